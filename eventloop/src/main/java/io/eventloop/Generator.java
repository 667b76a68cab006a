package io.eventloop;

import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CancellationException;

/**
 * The iterator {@link Async#generate} returns: an async generator driven by its consumer.
 * <pre>
 *              next()                 emit(v)
 *   NEW ──────────────&gt; RUNNING ──────────────&gt; SUSPENDED
 *                        │  ▲        next()        │
 *                        │  └──────────────────────┤
 *                        │ producer done           │ closeAsync(): emit future cancelled
 *                        ▼                         ▼
 *                    FINISHED &lt;──producer done── CLOSING
 * </pre>
 * RUNNING: the producer runs and the consumer's {@code next()} is pending. SUSPENDED: the
 * producer waits in {@code emit} and the consumer holds the value. The producer is never more
 * than one value ahead because it can only emit in RUNNING. NEW and SUSPENDED may also go
 * straight to FINISHED (a close before the start; a producer that ended without waiting for its
 * last emit).
 *
 * <p>The producer is not a task: it runs in whichever task calls {@code next()}, as an asyncio
 * async generator runs in the task that iterates it. So nothing is registered with the loop
 * besides the continuations of the futures involved, and nothing is left behind once the
 * producer's future is done.
 */
final class Generator<T> implements AsyncIterator<T> {
    private static final byte NEW = 0;
    private static final byte RUNNING = 1;
    private static final byte SUSPENDED = 2;
    private static final byte CLOSING = 3;
    private static final byte FINISHED = 4;

    private final EventLoop loop;
    /** The generator body, until it starts. */
    private ThrowingFunction<? super Emitter<T>, ? extends Future<?>> producer;
    /** One of the states above. Loop thread only, like every field here. */
    private byte state = NEW;
    /** The producer's future once started. */
    private Future<?> producerFuture;
    /** Whether the producer's future is done (it may end while SUSPENDED, without waiting). */
    private boolean producerEnded;
    /** The consumer's pending next() in RUNNING. */
    private Next pending;
    /** The next() that took the value the producer is suspended on, in SUSPENDED. */
    private Next last;
    /** The future of the producer's last emit, pending in SUSPENDED and CLOSING. */
    private Future<Void> emitted;
    /** The last value, given back by a cancelled waiter of its next(); handed out again. */
    private Optional<T> retracted;
    /** The future closeAsync() returned once called on a started generator. */
    private Future<Void> closed;

    Generator(EventLoop loop, ThrowingFunction<? super Emitter<T>, ? extends Future<?>> producer) {
        this.loop = loop;
        this.producer = producer;
    }

    @Override
    public Future<Optional<T>> next() {
        loop.checkThread("AsyncIterator.next");
        switch (state) {
            case RUNNING:
                throw new IllegalStateException("next() of " + this + " while the previous next() is pending"
                        + " (asyncio: asynchronous generator is already running)");
            case NEW:
                Next first = new Next();
                pending = first;
                state = RUNNING;
                start(); // may emit, or end, at once
                return first;
            case SUSPENDED:
                Next n = new Next();
                if (retracted != null) {
                    // the last value went back (its waiter was cancelled before it resumed): hand
                    // it out again; the producer stays suspended
                    n.finish(Future.SUCCEEDED, retracted);
                    retracted = null;
                    return n;
                }
                pending = n;
                state = RUNNING;
                if (producerEnded) {
                    producerDone();
                } else {
                    emitted.complete(null); // the producer goes on from its emit
                }
                return n;
            default: // CLOSING, FINISHED
                return Async.completed(Optional.empty());
        }
    }

    private void start() {
        ThrowingFunction<? super Emitter<T>, ? extends Future<?>> p = producer;
        producer = null;
        Emitter<T> emitter = this::emit;
        Future<?> f;
        try {
            f = p.apply(emitter);
            if (f == null) {
                throw new NullPointerException("the producer of " + this + " returned null instead of a Future");
            }
        } catch (Error e) {
            producerFuture = Async.failed(e);
            producerDone();
            throw e;
        } catch (Throwable t) {
            f = Async.failed(t);
        }
        producerFuture = f;
        f.addListener(this::producerDone);
    }

    private Future<Void> emit(T value) {
        Objects.requireNonNull(value, "emit(null): an async generator cannot emit null"
                + " (an empty Optional is how next() says the generator is exhausted)");
        loop.checkThread("Emitter.emit");
        switch (state) {
            case RUNNING:
                Next n = pending;
                pending = null;
                state = SUSPENDED;
                emitted = loop.createFuture();
                last = n;
                n.finish(Future.SUCCEEDED, Optional.of(value));
                return emitted;
            case SUSPENDED:
                throw new IllegalStateException("emit(" + value + ") of " + this
                        + " before the consumer took the previous value: wait for the future of each emit");
            case CLOSING:
                // asyncio: "async generator ignored GeneratorExit". The producer stays suspended
                // here for good: cancelling this emit too could make a producer that catches
                // cancellations in a loop spin forever.
                state = FINISHED;
                emitted = null;
                closed.finish(Future.FAILED, new IllegalStateException(this + " ignored the close: it emitted "
                        + value + " after its emit was cancelled"));
                return loop.createFuture();
            default: // NEW cannot happen: the emitter is handed out by start()
                throw new IllegalStateException("emit(" + value + ") of " + this + ", which is finished");
        }
    }

    /** The producer's future is done (also called from next() when it ended while SUSPENDED). */
    private void producerDone() {
        producerEnded = true;
        Future<?> f = producerFuture;
        switch (state) {
            case RUNNING:
                state = FINISHED;
                Next n = pending;
                pending = null;
                byte s = f.state();
                Object r = f.rawResult();
                if (s == Future.SUCCEEDED) {
                    if (n.cancelRequested != null) {
                        n.finish(Future.CANCELLED, n.cancelRequested);
                    } else {
                        n.finish(Future.SUCCEEDED, Optional.empty());
                    }
                } else if (r instanceof CancellationException c) {
                    n.finish(Future.CANCELLED, c);
                } else {
                    n.finish(Future.FAILED, r);
                }
                break;
            case CLOSING:
                state = FINISHED;
                emitted = null;
                if (f.state() == Future.FAILED && !(f.rawResult() instanceof CancellationException)) {
                    closed.finish(Future.FAILED, f.rawResult());
                } else {
                    closed.finish(Future.SUCCEEDED, null);
                }
                break;
            default:
                // SUSPENDED: the producer ended without waiting for its last emit; the next
                // next() reports how it ended. FINISHED: it ignored a close, then ended anyway.
        }
    }

    @Override
    public Future<Void> closeAsync() {
        loop.checkThread("AsyncIterator.closeAsync");
        switch (state) {
            case NEW:
                state = FINISHED;
                producer = null;
                return Async.completed(null);
            case RUNNING:
                throw new IllegalStateException("closeAsync() of " + this + " while a next() is pending"
                        + " (asyncio: aclose(): asynchronous generator is already running)");
            case SUSPENDED:
                closed = loop.createFuture();
                if (producerEnded) {
                    state = FINISHED;
                    emitted = null;
                    closed.finish(Future.SUCCEEDED, null);
                } else {
                    state = CLOSING;
                    emitted.cancel("async generator closed");
                }
                return closed;
            default: // CLOSING, FINISHED
                return closed != null ? closed : Async.completed(null);
        }
    }

    @Override
    public String toString() {
        String s = switch (state) {
            case NEW -> "new";
            case RUNNING -> "running";
            case SUSPENDED -> "suspended";
            case CLOSING -> "closing";
            default -> "finished";
        };
        return "AsyncGenerator[" + s + "]";
    }

    /**
     * A consumer's next(). Cancelling it cancels the producer's future, which passes the cancel
     * to what the producer is awaiting; the next() then ends the way the producer does.
     */
    private final class Next extends Future<Optional<T>> {
        /** The cancel asked for, or null. */
        CancellationException cancelRequested;

        Next() {
            super(Generator.this.loop);
        }

        @Override
        public boolean cancel(String message) {
            loop.checkThread("Future.cancel");
            if (isDone()) {
                return false;
            }
            if (cancelRequested != null) {
                return true;
            }
            cancelRequested = new CancellationException(message);
            Future<?> p = producerFuture;
            if (p != null && !p.isDone() && p.cancel(message)) {
                return true; // the producer's outcome arrives through producerDone() or emit()
            }
            if (p == null) {
                // cancelled from inside the producer's first step: nothing is awaited yet
                return true;
            }
            // The producer is done and its callback has not run yet: end now.
            state = FINISHED;
            pending = null;
            finish(CANCELLED, cancelRequested);
            return true;
        }

        /**
         * The consumer awaiting this value was cancelled before it resumed (see
         * {@link Future#retract()}): the value is kept and handed to the next {@code next()}, so
         * a cancel that races with an emit loses no value, as an {@code AsyncQueue} item goes
         * back to its queue.
         */
        @Override
        @SuppressWarnings("unchecked")
        protected boolean retract() {
            if (state != SUSPENDED || last != this || state() != SUCCEEDED) {
                return false;
            }
            last = null;
            retracted = (Optional<T>) rawResult();
            return true;
        }

        @Override
        public String toString() {
            return "Future[next of " + Generator.this + ", " + describeState() + "]";
        }
    }
}
