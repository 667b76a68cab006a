package io.eventloop;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * asyncio's module-level functions: {@code sleep}, {@code gather}, {@code wait_for},
 * {@code shield}, {@code wait}, {@code as_completed}, {@code to_thread}, and helpers for loops.
 *
 * <p>Functions that take no future use {@link EventLoop#current()}; the others use the loop of
 * the futures they are given (which must all belong to one loop). Everything returns a
 * {@link Future} that is already running ("hot"): nothing needs to be awaited to start.
 *
 * <p>Compared with {@code CompletableFuture.allOf} / {@code anyOf}: {@link #gather} keeps the
 * values in argument order and cancels its children when cancelled; {@link #wait} returns the
 * done and pending sets without cancelling anything; and the timeouts cancel and then wait for
 * the cancelled operation to finish.
 */
public final class Async {
    private Async() {
    }

    // ------------------------------------------------------------------ values and time

    /**
     * A future already completed with {@code value}, on the current loop.
     *
     * @param <T> the type of the value
     * @param value the future's value
     * @return a done future
     */
    public static <T> Future<T> completed(T value) {
        Future<T> f = new Future<>(EventLoop.current());
        f.finish(Future.SUCCEEDED, value);
        return f;
    }

    /**
     * A future already failed with {@code error}, on the current loop.
     *
     * @param <T> the type the future would have had
     * @param error the future's failure
     * @return a failed future
     */
    public static <T> Future<T> failed(Throwable error) {
        Objects.requireNonNull(error, "error");
        Future<T> f = new Future<>(EventLoop.current());
        f.markRetrieved(); // it is handed straight to the caller: not a forgotten failure
        f.finish(Future.FAILED, error);
        return f;
    }

    /**
     * A future that completes after {@code delay}: asyncio's {@code asyncio.sleep}. Cancelling it
     * cancels its timer. A zero or negative delay is {@link #yieldNow()}.
     *
     * @param delay how long to wait
     * @return a future that completes with null after the delay
     */
    public static Future<Void> sleep(Duration delay) {
        return sleep(delay, null);
    }

    /**
     * {@link #sleep(Duration)} that completes with {@code value}: {@code asyncio.sleep(d, result=v)}.
     *
     * @param <T> the type of the value
     * @param delay how long to wait
     * @param value what the future completes with
     * @return a future that completes with {@code value} after the delay
     */
    public static <T> Future<T> sleep(Duration delay, T value) {
        Objects.requireNonNull(delay, "delay");
        EventLoop loop = EventLoop.current();
        Sleep<T> sleep = new Sleep<>(loop, value);
        long nanos = Clock.saturatedNanos(delay);
        sleep.handle = nanos <= 0 ? loop.callSoon(sleep) : loop.callLater(delay, sleep);
        return sleep;
    }

    /**
     * A future that completes on the next loop iteration: asyncio's {@code await asyncio.sleep(0)}.
     * Callbacks scheduled before it run before what is chained on it.
     *
     * @return a future that completes with null on the next iteration
     */
    public static Future<Void> yieldNow() {
        return sleep(Duration.ZERO, null);
    }

    private static final class Sleep<T> extends Future<T> implements Runnable {
        private final T value;
        Handle handle;

        Sleep(EventLoop loop, T value) {
            super(loop);
            this.value = value;
        }

        @Override
        public void run() {
            finish(SUCCEEDED, value);
        }

        @Override
        public boolean cancel(String message) {
            if (!super.cancel(message)) {
                return false;
            }
            handle.cancel();
            return true;
        }

        @Override
        public String toString() {
            return "Future[sleep, " + describeState() + "]";
        }
    }

    /**
     * Runs blocking {@code work} on the current loop's default executor: asyncio's
     * {@code asyncio.to_thread}. See {@link EventLoop#runInExecutor}.
     *
     * @param <T> the type of the work's value
     * @param work the blocking work
     * @return the work's value or failure, delivered on the loop
     */
    public static <T> Future<T> toThread(Callable<T> work) {
        return EventLoop.current().runInExecutor(null, work);
    }

    // ------------------------------------------------------------------ gather

    /**
     * A future of all the values, in argument order: asyncio's {@code gather}. The first failure
     * (or cancellation) of a child fails the result at once while the other children keep
     * running; cancelling the result cancels every child. With no argument, an empty list.
     *
     * @param <T> the common type of the values
     * @param futures the children, all of the current loop
     * @return the list of the children's values
     */
    @SafeVarargs
    public static <T> Future<List<T>> gather(Future<? extends T>... futures) {
        return gather(Arrays.asList(futures));
    }

    /**
     * {@link #gather(Future[])} over a collection.
     *
     * @param <T> the common type of the values
     * @param futures the children, all of the current loop
     * @return the list of the children's values
     */
    public static <T> Future<List<T>> gather(Collection<? extends Future<? extends T>> futures) {
        Objects.requireNonNull(futures, "futures");
        @SuppressWarnings("unchecked")
        Gather<T, List<T>> g = new Gather<>(loopOf(futures), futures.toArray(new Future[0]), false);
        return g;
    }

    /**
     * Waits for every child and returns them, all done, in argument order: asyncio's
     * {@code gather(..., return_exceptions=True)}. Read each outcome with
     * {@link Future#result()}, {@link Future#exception()} or {@link Future#isCancelled()}.
     * Cancelling the result cancels every child; it then ends cancelled once all are done.
     *
     * @param <T> the type of the children's values
     * @param futures the children, all of the current loop
     * @return the children themselves, once every one is done
     */
    @SafeVarargs
    public static <T> Future<List<Future<T>>> gatherSettled(Future<T>... futures) {
        return gatherSettled(Arrays.asList(futures));
    }

    /**
     * {@link #gatherSettled(Future[])} over a collection.
     *
     * @param <T> the type of the children's values
     * @param futures the children, all of the current loop
     * @return the children themselves, once every one is done
     */
    public static <T> Future<List<Future<T>>> gatherSettled(Collection<? extends Future<T>> futures) {
        Objects.requireNonNull(futures, "futures");
        @SuppressWarnings("unchecked")
        Gather<T, List<Future<T>>> g = new Gather<>(loopOf(futures), futures.toArray(new Future[0]), true);
        return g;
    }

    private static EventLoop loopOf(Collection<? extends Future<?>> futures) {
        EventLoop loop = null;
        for (Future<?> f : futures) {
            Objects.requireNonNull(f, "futures contains null");
            if (loop == null) {
                loop = f.loop;
            } else if (f.loop != loop) {
                throw new IllegalArgumentException(f + " belongs to another event loop than the other futures");
            }
        }
        loop = loop != null ? loop : EventLoop.current();
        loop.checkThread("Async");
        return loop;
    }

    /**
     * The future {@code gather} and {@code gatherSettled} return. The value type is V: a list of
     * values, or the list of children.
     */
    private static final class Gather<T, V> extends Future<V> {
        private final Future<? extends T>[] children;
        private final Object[] values;
        private final boolean settled;
        private int remaining;
        private boolean cancelRequested;

        Gather(EventLoop loop, Future<? extends T>[] children, boolean settled) {
            super(loop);
            this.children = children;
            this.values = new Object[children.length];
            this.settled = settled;
            this.remaining = children.length;
            if (children.length == 0) {
                finish(SUCCEEDED, List.of());
            }
            for (int i = 0; i < children.length; i++) {
                int index = i;
                children[i].addListener(() -> childDone(index));
            }
        }

        private void childDone(int index) {
            if (isDone()) {
                return;
            }
            Future<? extends T> child = children[index];
            if (!settled) {
                if (child.state() != SUCCEEDED) {
                    // asyncio: the first failure, or a child's CancelledError, becomes the outer's
                    // exception; the outer is itself cancelled only if it was asked to be.
                    finish(cancelRequested && child.isCancelled() ? CANCELLED : FAILED, child.rawResult());
                    return;
                }
                values[index] = child.rawResult();
            }
            if (--remaining == 0) {
                if (cancelRequested) {
                    finish(CANCELLED, new CancellationException("gather was cancelled"));
                } else {
                    finish(SUCCEEDED, settled ? List.of(children) : Collections.unmodifiableList(Arrays.asList(values)));
                }
            }
        }

        /** Cancels every child; refused (false) when none could be cancelled, e.g. all are done. */
        @Override
        public boolean cancel(String message) {
            loop.checkThread("Future.cancel");
            if (isDone()) {
                return false;
            }
            boolean any = false;
            for (Future<? extends T> child : children) {
                any |= child.cancel(message);
            }
            cancelRequested |= any;
            return any;
        }

        @Override
        void forEachAwaited(Consumer<? super Future<?>> action) {
            for (Future<? extends T> child : children) {
                if (!child.isDone()) {
                    action.accept(child);
                }
            }
        }

        @Override
        public String toString() {
            return "Future[gather of " + children.length + ", " + describeState() + "]";
        }
    }

    // ------------------------------------------------------------------ waitFor and shield

    /**
     * {@code inner}'s outcome, or a {@link TimeoutException} once {@code timeout} passes:
     * asyncio's {@code wait_for}. On timeout it cancels {@code inner} and <em>waits until inner
     * has finished</em> (its cleanup ran) before failing; the TimeoutException's cause is the
     * CancellationException. If inner swallows the cancel and returns a value, that value is the
     * result; if inner fails with another exception while being cancelled, that exception is.
     * A zero or negative timeout cancels a pending inner at once (a task that has not started
     * never starts). Cancelling the result cancels inner, and the result ends cancelled even if
     * inner completes in the same iteration (python/cpython#86296); a value inner completed with
     * is then {@linkplain Future#retract() retracted}, so {@code waitFor(queue.get(), d)} loses no
     * item to that race. A null timeout waits forever.
     *
     * @param <T> the type of inner's value
     * @param inner the future to wait for
     * @param timeout how long to wait; null for ever
     * @return inner's outcome, or a failure with {@link TimeoutException}
     */
    public static <T> Future<T> waitFor(Future<T> inner, Duration timeout) {
        Objects.requireNonNull(inner, "inner");
        inner.loop.checkThread("Async.waitFor");
        return new WaitFor<>(inner, timeout);
    }

    private static final class WaitFor<T> extends Future<T> implements Runnable {
        private final Future<T> inner;
        private TimerHandle timer;
        private boolean timedOut;
        private CancellationException cancelled;

        WaitFor(Future<T> inner, Duration timeout) {
            super(inner.loop);
            this.inner = inner;
            inner.addListener(this);
            if (timeout != null) {
                if (Clock.saturatedNanos(timeout) <= 0) {
                    expire();
                } else {
                    timer = loop.callLater(timeout, this::expire);
                }
            }
        }

        private void expire() {
            timer = null;
            // Refused if inner is already done: its outcome then wins, a cancellation included
            // (asyncio's wait_for returns fut.result() for a done future whatever the timeout).
            timedOut = inner.cancel();
        }

        /** inner is done. */
        @Override
        public void run() {
            if (timer != null) {
                timer.cancel();
                timer = null;
            }
            if (cancelled != null) {
                if (inner.state() == SUCCEEDED) {
                    inner.retract(); // the value will not be delivered: a lock or item goes back
                }
                finish(CANCELLED, cancelled);
            } else if (timedOut && inner.isCancelled()) {
                TimeoutException timeout = new TimeoutException("waitFor timed out");
                timeout.initCause((Throwable) inner.rawResult());
                finish(FAILED, timeout);
            } else {
                finish(inner.state(), inner.rawResult());
            }
        }

        @Override
        public boolean cancel(String message) {
            loop.checkThread("Future.cancel");
            if (isDone()) {
                return false;
            }
            if (cancelled == null) {
                cancelled = new CancellationException(message);
            }
            if (timer != null) {
                timer.cancel();
                timer = null;
            }
            inner.cancel(message);
            return true;
        }

        /** The value is inner's: a waiter that drops it gives it back to inner. */
        @Override
        protected boolean retract() {
            return inner.state() != SUCCEEDED || inner.retract();
        }

        @Override
        void forEachAwaited(Consumer<? super Future<?>> action) {
            if (!inner.isDone()) {
                action.accept(inner);
            }
        }

        @Override
        public String toString() {
            return "Future[waitFor " + inner + ", " + describeState() + "]";
        }
    }

    /**
     * Runs {@code body} under a deadline {@code delay} from now: asyncio's
     * {@code async with asyncio.timeout(delay):}. Short for
     * {@code Timeout.after(delay).run(body)}; see {@link Timeout} for the rules (the body's
     * future is cancelled at the deadline and the scope then fails with
     * {@link TimeoutException}; foreign cancels stay cancels; nested scopes; deadlines visible to
     * the tasks the body starts). A zero or negative delay expires on the next iteration; a null
     * delay means no deadline. A body that throws, checked or not, fails the result with that
     * exception.
     *
     * @param <T> the type of the body's value
     * @param delay the time from now to the deadline; null for none
     * @param body starts the work under the deadline and returns its future
     * @return the body's outcome, or a failure with {@link TimeoutException} at the deadline
     */
    public static <T> Future<T> timeout(Duration delay, ThrowingSupplier<? extends Future<T>> body) {
        return Timeout.after(delay).run(body);
    }

    /**
     * {@link #timeout(Duration, ThrowingSupplier)} with an absolute deadline on the
     * {@link EventLoop#time()} scale: asyncio's {@code asyncio.timeout_at(when)}.
     *
     * @param <T> the type of the body's value
     * @param deadlineNanos the deadline, in {@link EventLoop#time()} nanoseconds
     * @param body starts the work under the deadline and returns its future
     * @return the body's outcome, or a failure with {@link TimeoutException} at the deadline
     */
    public static <T> Future<T> timeoutAt(long deadlineNanos, ThrowingSupplier<? extends Future<T>> body) {
        return Timeout.at(deadlineNanos).run(body);
    }

    /**
     * Protects {@code inner} from cancellation: asyncio's {@code shield}. Cancelling the returned
     * future cancels only it; inner runs on. Inner's outcome, cancellation included, passes
     * through otherwise. A done inner is returned as it is.
     *
     * @param <T> the type of inner's value
     * @param inner the future to protect
     * @return a future with inner's outcome, whose cancellation does not reach inner
     */
    public static <T> Future<T> shield(Future<T> inner) {
        Objects.requireNonNull(inner, "inner");
        inner.loop.checkThread("Async.shield");
        if (inner.isDone()) {
            return inner;
        }
        Future<T> outer = new Future<>(inner.loop);
        inner.addListener(() -> outer.finish(inner.state(), inner.rawResult()));
        return outer;
    }

    // ------------------------------------------------------------------ wait and asCompleted

    /**
     * Waits until {@code when} holds or {@code timeout} passes (null: no timeout), then returns
     * the done and pending futures: asyncio's {@code wait}. Never cancels anything. Futures that
     * are done but whose callbacks have not run yet count as done. A future given twice counts
     * once.
     *
     * @param <T> the type of the futures' values
     * @param futures the futures to watch, all of the current loop
     * @param when which completion ends the wait
     * @param timeout the longest wait; null for none
     * @return the done and the pending futures, once the wait ends
     * @throws IllegalArgumentException if {@code futures} is empty
     */
    public static <T> Future<WaitResult<T>> wait(Collection<? extends Future<T>> futures, ReturnWhen when,
            Duration timeout) {
        Objects.requireNonNull(futures, "futures");
        Objects.requireNonNull(when, "when");
        if (futures.isEmpty()) {
            throw new IllegalArgumentException("wait() needs at least one future");
        }
        EventLoop loop = loopOf(futures);
        return new Wait<>(loop, new LinkedHashSet<>(futures), when, timeout);
    }

    private static final class Wait<T> extends Future<WaitResult<T>> {
        private final Set<Future<T>> futures;
        private final ReturnWhen when;
        private int remaining;
        private TimerHandle timer;

        Wait(EventLoop loop, Set<Future<T>> futures, ReturnWhen when, Duration timeout) {
            super(loop);
            this.futures = futures;
            this.when = when;
            this.remaining = futures.size();
            for (Future<T> f : futures) {
                f.addListener(() -> childDone(f));
            }
            if (timeout != null) {
                timer = loop.callLater(timeout, this::settle);
            }
        }

        private void childDone(Future<T> child) {
            if (isDone()) {
                return;
            }
            remaining--;
            boolean failed = child.state() == FAILED;
            if (remaining == 0 || when == ReturnWhen.FIRST_COMPLETED
                    || (when == ReturnWhen.FIRST_EXCEPTION && failed)) {
                settle();
            }
        }

        private void settle() {
            if (isDone()) {
                return;
            }
            if (timer != null) {
                timer.cancel();
                timer = null;
            }
            Set<Future<T>> done = new LinkedHashSet<>();
            Set<Future<T>> pending = new LinkedHashSet<>();
            for (Future<T> f : futures) {
                (f.isDone() ? done : pending).add(f);
            }
            finish(SUCCEEDED, new WaitResult<>(Collections.unmodifiableSet(done), Collections.unmodifiableSet(pending)));
        }

        @Override
        public boolean cancel(String message) {
            boolean cancelled = super.cancel(message);
            if (cancelled && timer != null) {
                timer.cancel();
                timer = null;
            }
            return cancelled;
        }

        @Override
        void forEachAwaited(Consumer<? super Future<?>> action) {
            for (Future<T> f : futures) {
                if (!f.isDone()) {
                    action.accept(f);
                }
            }
        }

        @Override
        public String toString() {
            return "Future[wait " + when + " of " + futures.size() + ", " + describeState() + "]";
        }
    }

    /**
     * {@link #asCompleted(Collection, Duration)} with no timeout.
     *
     * @param <T> the type of the futures' values
     * @param futures the futures to watch, all of the current loop
     * @return one future per given one, to await in order: the first completes first
     */
    public static <T> List<Future<T>> asCompleted(Collection<? extends Future<T>> futures) {
        return asCompleted(futures, null);
    }

    /**
     * Futures that complete in the order the given ones do: asyncio's {@code as_completed}. The
     * i-th returned future takes the outcome of the i-th given future to finish. After
     * {@code timeout} (null: none), those still pending fail with {@link TimeoutException}. A
     * future given twice counts once.
     *
     * @param <T> the type of the futures' values
     * @param futures the futures to watch, all of the current loop
     * @param timeout the longest wait; null for none
     * @return one future per given one, to await in order: the first completes first
     */
    public static <T> List<Future<T>> asCompleted(Collection<? extends Future<T>> futures, Duration timeout) {
        Objects.requireNonNull(futures, "futures");
        EventLoop loop = loopOf(futures);
        Set<Future<T>> distinct = Collections.newSetFromMap(new IdentityHashMap<>());
        List<Future<T>> inOrder = new ArrayList<>();
        for (Future<T> f : futures) {
            if (distinct.add(f)) {
                inOrder.add(f);
            }
        }
        List<Future<T>> results = new ArrayList<>(inOrder.size());
        for (int i = 0; i < inOrder.size(); i++) {
            results.add(new Future<>(loop));
        }
        int[] next = {0};
        TimerHandle[] timer = {null};
        for (Future<T> f : inOrder) {
            f.addListener(() -> {
                if (next[0] < results.size()) {
                    results.get(next[0]++).finish(f.state(), f.rawResult());
                    if (next[0] == results.size() && timer[0] != null) {
                        timer[0].cancel();
                    }
                }
            });
        }
        if (timeout != null) {
            timer[0] = loop.callLater(timeout, () -> {
                while (next[0] < results.size()) {
                    results.get(next[0]++).finish(Future.FAILED, new TimeoutException("asCompleted timed out"));
                }
            });
        }
        return Collections.unmodifiableList(results);
    }

    // ------------------------------------------------------------------ loops

    /**
     * Runs {@code step} again and again while the future it returns completes with {@code true}:
     * a {@code while} loop of awaits. The first step runs now. Each later step runs from the
     * loop's ready queue, so a loop of a million steps uses constant stack. The result fails with
     * the first failure of a step, or with what {@code step} threw (checked or not); cancelling it
     * cancels the step in progress.
     *
     * @param step starts one round and returns whether to go on
     * @return a future that completes once a step yields false
     */
    public static Future<Void> repeat(ThrowingSupplier<? extends Future<Boolean>> step) {
        Objects.requireNonNull(step, "step");
        EventLoop loop = EventLoop.current();
        loop.checkThread("Async.repeat");
        Repeat r = new Repeat(loop, step);
        r.next();
        return r;
    }

    /**
     * Awaits {@code body(item)} for each item in turn: {@code for x in items: await body(x)}.
     * Stack-safe like {@link #repeat}.
     *
     * @param <T> the type of the items
     * @param items the items, in iteration order
     * @param body starts the work on one item and returns its future
     * @return a future that completes once the body has finished with every item
     */
    public static <T> Future<Void> forEach(Iterable<? extends T> items, ThrowingFunction<? super T, ? extends Future<?>> body) {
        Objects.requireNonNull(items, "items");
        Objects.requireNonNull(body, "body");
        Iterator<? extends T> it = items.iterator();
        return repeat(() -> it.hasNext() ? body.apply(it.next()).map(ignored -> true) : completed(false));
    }

    /**
     * Awaits {@code body(x)} for each element of an async iterator in turn: asyncio's
     * {@code async for x in items: await body(x)}, inside {@code async with aclosing(items)}.
     * One element at a time ({@code next()}, then the body, then {@code next()} ...), stack-safe
     * like {@link #repeat}. Stops when {@code next()} gives an empty Optional; the first failure
     * of {@code next()} or of the body fails the result. On every path the iterator is then
     * closed ({@link AsyncIterator#closeAsync()}) and the result completes only after the close
     * did; a close failure is reported as {@link #using} reports it. Cancelling the result cancels
     * the {@code next()} or body in progress, still closes, and ends cancelled.
     *
     * @param <T> the type of the elements
     * @param items the async iterator, closed at the end
     * @param body starts the work on one element and returns its future
     * @return a future that completes once every element is done and the iterator is closed
     */
    public static <T> Future<Void> forEach(AsyncIterator<? extends T> items,
            ThrowingFunction<? super T, ? extends Future<?>> body) {
        Objects.requireNonNull(items, "items");
        Objects.requireNonNull(body, "body");
        return using(items, it -> repeat(() -> it.next().then(element -> {
            if (element.isEmpty()) {
                return completed(false);
            }
            return body.apply(element.get()).map(ignored -> true);
        })));
    }

    /**
     * {@link #forEach(AsyncIterator, ThrowingFunction)} over a new iterator of {@code items}:
     * {@code async for x in items}.
     *
     * @param <T> the type of the elements
     * @param items what gives the iterator, closed at the end
     * @param body starts the work on one element and returns its future
     * @return a future that completes once every element is done and the iterator is closed
     */
    public static <T> Future<Void> forEach(AsyncIterable<? extends T> items,
            ThrowingFunction<? super T, ? extends Future<?>> body) {
        Objects.requireNonNull(items, "items");
        Objects.requireNonNull(body, "body");
        AsyncIterator<? extends T> it = items.iterator();
        if (it == null) {
            throw new NullPointerException(items + ".iterator() returned null");
        }
        return forEach(it, body);
    }

    // ------------------------------------------------------------------ resources and generators

    /**
     * Opens a resource, runs {@code body} with it and closes it on every path: asyncio's
     * {@code async with await open() as r: return await body(r)}. Waits for {@code opening}
     * (the future an open call returned, e.g. {@code AsyncFiles.open(path)}), calls {@code body}, waits for its future, then waits for
     * {@link AsyncCloseable#closeAsync()}, whether the body succeeded, failed (or threw) or was
     * cancelled.
     *
     * <p>The result is the body's outcome, unless closing fails: then the close failure; if both
     * fail (a cancellation counts as a failure here), the body's failure, with the close failure
     * {@linkplain Throwable#addSuppressed added as suppressed}. If {@code opening} fails or is
     * cancelled, there is nothing to close and its outcome is the result. Cancelling the result
     * while it waits for the open cancels the open; if the resource was already there (the open
     * completed in the same iteration as the cancel), it is closed before the result ends
     * cancelled. Cancelling it while the body runs cancels the body, then still closes, then ends
     * cancelled. Cancelling it while it closes cancels the close, as a cancel reaches
     * {@code __aexit__} in asyncio.
     *
     * @param <R> the type of the resource
     * @param <T> the type of the body's value
     * @param opening the future of the open call
     * @param body starts the work with the open resource and returns its future
     * @return the body's outcome once the resource is closed, or the close failure
     */
    public static <R extends AsyncCloseable, T> Future<T> using(Future<? extends R> opening,
            ThrowingFunction<? super R, ? extends Future<T>> body) {
        Objects.requireNonNull(opening, "opening");
        Objects.requireNonNull(body, "body");
        EventLoop loop = EventLoop.current();
        loop.checkThread("Async.using");
        return Using.open(loop, opening, body);
    }

    /**
     * {@link #using(Future, ThrowingFunction)} for a resource that is already open: runs
     * {@code body} at once, then closes {@code resource} on every path.
     *
     * @param <R> the type of the resource
     * @param <T> the type of the body's value
     * @param resource the open resource, closed at the end
     * @param body starts the work with the resource and returns its future
     * @return the body's outcome once the resource is closed, or the close failure
     */
    public static <R extends AsyncCloseable, T> Future<T> using(R resource,
            ThrowingFunction<? super R, ? extends Future<T>> body) {
        Objects.requireNonNull(resource, "resource");
        Objects.requireNonNull(body, "body");
        EventLoop loop = EventLoop.current();
        loop.checkThread("Async.using");
        return Using.with(loop, resource, body);
    }

    /**
     * An async generator: asyncio's {@code async def} with {@code yield}. {@code producer}
     * receives an {@link Emitter} and returns a future that completes when it has nothing more
     * to give. The iterator returned is lazy and pulls:
     * <ul>
     *   <li>the producer starts on the first {@code next()}, inside that call;</li>
     *   <li>{@code emit(v)} completes the pending {@code next()} with {@code v} and suspends the
     *       producer until the consumer calls {@code next()} again, so the producer is never more
     *       than one value ahead;</li>
     *   <li>when the producer's future completes, the iterator is exhausted; when it fails, the
     *       pending (or the next) {@code next()} fails with that failure; after either, every
     *       {@code next()} gives an empty Optional;</li>
     *   <li>{@code closeAsync()} while the producer is suspended in {@code emit} cancels that
     *       emit's future (asyncio throws {@code GeneratorExit} in at the {@code yield}), so the
     *       producer's {@code ensure}/{@code recover} cleanup runs; it completes once the
     *       producer's future is done, and fails with that future's failure if it is not a
     *       cancellation. A producer that catches the cancellation and emits again makes
     *       {@code closeAsync} fail with {@link IllegalStateException} ("ignored the close"), and
     *       that emit never completes. Closing a generator that has not started or has finished
     *       does nothing;</li>
     *   <li>cancelling a pending {@code next()} cancels what the producer is awaiting right now,
     *       as cancelling a task suspended in {@code __anext__} does; the {@code next()} ends the
     *       way the producer then does (cancelled, unless the producer catches the cancellation
     *       and emits), and a generator whose producer ended is finished. A value whose
     *       {@code next()} completed but whose consumer was cancelled before it resumed is not
     *       lost: the next {@code next()} gets it again (see {@link Future#retract()}).</li>
     * </ul>
     * The producer runs in the consumer's task (no task of its own), as an async generator runs
     * in the task that iterates it. {@code next()} while another is pending, or
     * {@code closeAsync()} while a {@code next()} is pending, throws
     * {@link IllegalStateException} (asyncio: "asynchronous generator is already running").
     *
     * @param <T> the type of the values emitted
     * @param producer the generator body; called at most once
     * @return the iterator, not yet started; use it on the current loop's thread
     */
    public static <T> AsyncIterator<T> generate(ThrowingFunction<? super Emitter<T>, ? extends Future<?>> producer) {
        Objects.requireNonNull(producer, "producer");
        EventLoop loop = EventLoop.current();
        loop.checkThread("Async.generate");
        return new Generator<>(loop, producer);
    }

    private static final class Repeat extends Waiting<Void> implements Runnable {
        private final ThrowingSupplier<? extends Future<Boolean>> step;

        Repeat(EventLoop loop, ThrowingSupplier<? extends Future<Boolean>> step) {
            super(loop, loop.currentTask);
            this.step = step;
        }

        void next() {
            Future<Boolean> f;
            try {
                f = step.get();
            } catch (Throwable t) {
                stepThrew(t);
                return;
            }
            await(f);
        }

        @Override
        Runnable waker() {
            return this;
        }

        @Override
        public void run() {
            wake();
        }

        @Override
        void resume(byte state, Object result) {
            if (state != SUCCEEDED) {
                adopt(state, result);
            } else if (Boolean.TRUE.equals(result)) {
                next();
            } else {
                succeedStep(null);
            }
        }

        @Override
        public String toString() {
            return "Future[repeat, " + describeState() + "]";
        }
    }
}
