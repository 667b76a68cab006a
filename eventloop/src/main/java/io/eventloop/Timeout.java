package io.eventloop;

import java.time.Duration;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeoutException;

/**
 * A deadline around a piece of asynchronous work: asyncio's {@code asyncio.timeout()} scope.
 * {@link Async#timeout(Duration, ThrowingSupplier)} is the short form; create a {@code Timeout} yourself
 * when the body needs to move its own deadline:
 * <pre>{@code
 * Timeout t = Timeout.after(Duration.ofSeconds(5));
 * Future<Reply> reply = t.run(() -> readHeader().then(h -> {
 *     t.rescheduleAfter(Duration.ofSeconds(30));     // a large body: allow more time
 *     return readBody(h);
 * }));
 * }</pre>
 *
 * <pre>
 *            run(body)              body's future done
 *   CREATED ───────────&gt; ENTERED ─────────────────────&gt; EXITED
 *                          │ deadline passes: expired() = true,
 *                          │ the body's future is cancelled
 * </pre>
 *
 * <p><b>What happens at the deadline.</b> The scope cancels the future its body returned, so the
 * cancel reaches whatever the body waits on, exactly like {@link Future#cancel()}. If the body
 * then ends cancelled, the scope fails with {@link TimeoutException} (its cause is the
 * {@link CancellationException}); that conversion happens only here, at the scope boundary, so
 * code inside the body sees a plain cancellation and its {@code ensure} blocks run. If the body
 * catches the cancellation and returns a value, or fails with another exception, that outcome
 * is the scope's. A body that is already done when the deadline passes keeps its outcome.
 *
 * <p><b>Foreign cancellation.</b> Cancelling the scope's future from outside is not a timeout:
 * the scope ends cancelled. When an outer scope's deadline cancels an inner scope, the inner one
 * ends cancelled (even if its own deadline passed too) and only the outer one fails with
 * {@code TimeoutException}, as with nested asyncio scopes.
 *
 * <p><b>Deadline inheritance</b> (which asyncio lacks). Continuations and tasks created while a
 * scope's body runs (directly or in any of its continuations) run under that scope, and under
 * every scope around it. {@link #currentDeadline()} tells such code the earliest deadline it
 * runs under, so a server can give a whole request one budget and let a task started deep
 * inside it size its own waits, or stop in time with {@link #inherited()}. The deadline is read,
 * never enforced on tasks the body does not wait for: cancellation still flows only through
 * what the body awaits (use a {@link TaskGroup} to have children cancelled with the body).
 *
 * <p><b>Compared with asyncio:</b> asyncio's scope cancels the enclosing task and counts cancel
 * requests ({@code Task.cancelling()} / {@code uncancel()}) to tell its own cancel from others.
 * Here the scope cancels the body's future instead, so the enclosing task is never touched and
 * its cancel count never changes. <b>Compared with {@code CompletableFuture.orTimeout}:</b> the
 * work is cancelled, not just abandoned, and the scope waits until it has finished.
 */
public final class Timeout {
    private static final byte CREATED = 0;
    private static final byte ENTERED = 1;
    private static final byte EXITED = 2;

    private final EventLoop loop;
    /** CREATED, ENTERED or EXITED. Loop thread only. */
    private byte state;
    /** Whether {@link #when} is set; false means no deadline. */
    private boolean hasDeadline;
    /** The deadline on the {@link EventLoop#time()} scale, if {@link #hasDeadline}. */
    private long when;
    /** Whether the deadline passed while the scope was entered. */
    private boolean expired;
    /** The pending expiry callback, or null. */
    private Handle timer;
    /** The scope in force where this one was entered (its enclosing scope), or null. Set once. */
    private Timeout parent;
    /** The scope's future, once entered. */
    private Scope<?> scope;
    private final Runnable expire = this::expire;

    private Timeout(EventLoop loop, boolean hasDeadline, long when) {
        this.loop = loop;
        this.hasDeadline = hasDeadline;
        this.when = when;
    }

    /**
     * A scope that expires {@code delay} from now on the current loop: asyncio's
     * {@code asyncio.timeout(delay)}. The deadline is fixed now, not when the scope is entered.
     * A zero or negative delay expires on the next iteration after entry; {@code null} means no
     * deadline (it can be set later with {@link #reschedule}).
     *
     * @param delay the time from now to the deadline; null for none
     * @return a scope, not entered yet
     */
    public static Timeout after(Duration delay) {
        EventLoop loop = EventLoop.current();
        loop.checkThread("Timeout.after");
        if (delay == null) {
            return new Timeout(loop, false, 0);
        }
        return new Timeout(loop, true, Clock.saturatedAdd(loop.time(), Clock.saturatedNanos(delay)));
    }

    /**
     * A scope that expires at {@code deadlineNanos} on the {@link EventLoop#time()} scale:
     * asyncio's {@code asyncio.timeout_at(when)}.
     *
     * @param deadlineNanos the deadline, in {@link EventLoop#time()} nanoseconds
     * @return a scope, not entered yet
     */
    public static Timeout at(long deadlineNanos) {
        EventLoop loop = EventLoop.current();
        loop.checkThread("Timeout.at");
        return new Timeout(loop, true, deadlineNanos);
    }

    /**
     * A scope whose deadline is the earliest one the running code is under
     * ({@link #currentDeadline()}), or none: for a task started inside a request's scope that
     * must stop when the request's budget runs out, though nobody waits for it.
     *
     * @return a scope, not entered yet, with the inherited deadline
     */
    public static Timeout inherited() {
        EventLoop loop = EventLoop.current();
        loop.checkThread("Timeout.inherited");
        OptionalLong d = deadlineOf(loop.currentTimeout);
        return new Timeout(loop, d.isPresent(), d.orElse(0));
    }

    /**
     * The earliest deadline the running code is under, on the {@link EventLoop#time()} scale:
     * the minimum over the scope whose body (or a continuation or task created inside it) is
     * running and every scope enclosing it. Empty outside any scope, or when no enclosing scope
     * has a deadline. A rescheduled scope counts with its new deadline.
     *
     * @return the deadline in {@link EventLoop#time()} nanoseconds, or empty
     */
    public static OptionalLong currentDeadline() {
        EventLoop loop = EventLoop.current();
        loop.checkThread("Timeout.currentDeadline");
        return deadlineOf(loop.currentTimeout);
    }

    /** The earliest deadline of {@code scope} and the scopes around it. */
    static OptionalLong deadlineOf(Timeout scope) {
        boolean any = false;
        long min = Long.MAX_VALUE;
        for (Timeout t = scope; t != null; t = t.parent) {
            if (t.hasDeadline) {
                any = true;
                min = Math.min(min, t.when);
            }
        }
        return any ? OptionalLong.of(min) : OptionalLong.empty();
    }

    /**
     * Enters the scope: calls {@code body} now and returns a future of its outcome, or of a
     * {@link TimeoutException} if the deadline passes first (see the class comment). This is
     * asyncio's {@code async with timeout:}. A scope is entered once. A body that throws, checked
     * or not, fails the scope's future with that exception.
     *
     * @param <T> the type of the body's value
     * @param body starts the work under the deadline and returns its future
     * @return the body's outcome, or a failure with {@link TimeoutException} at the deadline
     * @throws IllegalStateException if the scope was already entered
     */
    public <T> Future<T> run(ThrowingSupplier<? extends Future<T>> body) {
        Objects.requireNonNull(body, "body");
        loop.checkThread("Timeout.run");
        if (state != CREATED) {
            throw new IllegalStateException(this + " has already been entered; a Timeout is entered once");
        }
        state = ENTERED;
        parent = loop.currentTimeout;
        Scope<T> s = new Scope<>(this); // created outside the scope: it resumes after the scope
        scope = s;
        schedule();
        Future<T> b;
        loop.currentTimeout = this;
        try {
            b = body.get();
        } catch (Throwable t) {
            exit();
            s.stepThrew(t);
            return s;
        } finally {
            loop.currentTimeout = parent;
        }
        s.await(b);
        return s;
    }

    /**
     * The deadline on the {@link EventLoop#time()} scale, or empty if there is none.
     *
     * @return the deadline in {@link EventLoop#time()} nanoseconds, or empty
     */
    public OptionalLong when() {
        return hasDeadline ? OptionalLong.of(when) : OptionalLong.empty();
    }

    /**
     * Whether the deadline passed while the scope was entered: asyncio's {@code expired()}. Stays
     * false if the scope was cancelled from outside before its deadline.
     *
     * @return true if the scope timed out
     */
    public boolean expired() {
        return expired;
    }

    /**
     * Moves the deadline to {@code deadlineNanos} on the {@link EventLoop#time()} scale, or
     * removes it ({@code null}): asyncio's {@code reschedule(when)}. A deadline in the past
     * expires the scope on the next iteration.
     *
     * @param deadlineNanos the new deadline in {@link EventLoop#time()} nanoseconds, or null for
     *     none
     * @throws IllegalStateException if the scope has not been entered, has expired or has exited
     */
    public void reschedule(Long deadlineNanos) {
        loop.checkThread("Timeout.reschedule");
        if (state == CREATED) {
            throw new IllegalStateException(this + " has not been entered; reschedule it inside run()");
        }
        if (state == EXITED || expired) {
            throw new IllegalStateException("cannot reschedule " + this);
        }
        if (timer != null) {
            timer.cancel();
            timer = null;
        }
        hasDeadline = deadlineNanos != null;
        when = hasDeadline ? deadlineNanos : 0;
        schedule();
    }

    /**
     * {@link #reschedule(Long)} to {@code delay} from now; {@code null} removes the deadline.
     *
     * @param delay the time from now to the new deadline, or null for none
     * @throws IllegalStateException if the scope has not been entered, has expired or has exited
     */
    public void rescheduleAfter(Duration delay) {
        loop.checkThread("Timeout.rescheduleAfter");
        reschedule(delay == null ? null : Clock.saturatedAdd(loop.time(), Clock.saturatedNanos(delay)));
    }

    private void schedule() {
        if (hasDeadline) {
            // asyncio schedules a past deadline with call_soon: the body gets to run until its
            // first await, and the expiry is queued before anything that body schedules.
            timer = when <= loop.time() ? loop.callSoon(expire) : loop.callAt(when, expire);
        }
    }

    private void expire() {
        timer = null;
        if (state != ENTERED) {
            return;
        }
        expired = true;
        Future<?> body = scope.awaited();
        if (body != null) {
            body.cancel(); // refused if the body is already done: its outcome then stands
        }
    }

    private void exit() {
        state = EXITED;
        if (timer != null) {
            timer.cancel();
            timer = null;
        }
    }

    @Override
    public String toString() {
        String s = switch (state) {
            case CREATED -> "created";
            case ENTERED -> expired ? "expiring" : "entered";
            default -> expired ? "expired" : "exited";
        };
        return "Timeout[" + s + (hasDeadline ? ", when=" + when : ", no deadline") + "]";
    }

    /** The future {@link #run} returns: waits on the body, and turns its own expiry into a TimeoutException. */
    private static final class Scope<T> extends Waiting<T> implements Runnable {
        private final Timeout timeout;
        /** Whether the scope's future was cancelled from outside. */
        private boolean foreign;

        Scope(Timeout timeout) {
            super(timeout.loop, timeout.loop.currentTask);
            this.timeout = timeout;
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
        void cancelRequested() {
            foreign = true;
        }

        @Override
        void resume(byte state, Object result) {
            timeout.exit();
            if (state == CANCELLED && timeout.expired && !foreign) {
                TimeoutException e = new TimeoutException("timed out: " + timeout);
                e.initCause((Throwable) result);
                failStep(e);
            } else {
                adopt(state, result);
            }
        }

        @Override
        public String toString() {
            return "Future[timeout, " + describeState() + "]";
        }
    }
}
