package io.eventloop;

import java.time.Duration;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The body of {@link EventLoop.Options}: its fields, their defaults and validation, and its public
 * instance methods, which users call and read in the Javadoc as members of
 * {@code EventLoop.Options} (public methods of a package-private superclass are inherited as
 * public members of the public subclass, and javadoc documents them there). {@code EventLoop.Options}
 * is its only subclass, so the name users write stays nested in {@code EventLoop} while the code
 * lives here; {@code defaults()} and {@code DEBUG_PROPERTY} are declared in {@code Options} itself.
 *
 * <p>Immutable: every field is final and every setter returns a new {@code Options}, so any
 * thread may read and share one.
 */
abstract sealed class LoopSettings permits EventLoop.Options {
    private static final Duration DEFAULT_SLOW = Duration.ofMillis(100);
    private static final Duration DEFAULT_WATCHDOG = Duration.ofSeconds(1);
    /**
     * Long enough for correct code that holds a failed task while it does something else first (a
     * short sleep, a retry's backoff, a request's other I/O, all well under a second as a rule) to
     * come back to it; short enough that whoever watches a server's log sees a dropped failure
     * while the server runs.
     */
    private static final Duration DEFAULT_UNRETRIEVED_DELAY = Duration.ofSeconds(5);
    /** {@link EventLoop.Options#defaults()}. */
    static final EventLoop.Options DEFAULTS = new EventLoop.Options(Duration.ofSeconds(300),
            Boolean.getBoolean(EventLoop.Options.DEBUG_PROPERTY), DEFAULT_SLOW, null, false, DEFAULT_UNRETRIEVED_DELAY);

    private final Duration executorShutdownTimeout;
    private final boolean debug;
    private final Duration slowCallbackDuration;
    /** The watchdog threshold; null: the debug-mode default (on in debug mode, off otherwise). */
    private final Duration watchdog;
    /** Whether {@link #watchdog} was set explicitly (null then means "off"). */
    private final boolean watchdogSet;
    private final Duration unretrievedFailureDelay;

    LoopSettings(Duration executorShutdownTimeout, boolean debug, Duration slowCallbackDuration,
            Duration watchdog, boolean watchdogSet, Duration unretrievedFailureDelay) {
        this.executorShutdownTimeout = executorShutdownTimeout;
        this.debug = debug;
        this.slowCallbackDuration = slowCallbackDuration;
        this.watchdog = watchdog;
        this.watchdogSet = watchdogSet;
        this.unretrievedFailureDelay = unretrievedFailureDelay;
    }

    /**
     * How long {@link EventLoop#run(ThrowingSupplier)} waits for the default executor's threads.
     *
     * @param timeout how long to wait
     * @return a copy with that timeout
     * @throws IllegalArgumentException if negative
     */
    public EventLoop.Options executorShutdownTimeout(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative()) {
            throw new IllegalArgumentException("executorShutdownTimeout must not be negative: " + timeout);
        }
        return new EventLoop.Options(timeout, debug, slowCallbackDuration, watchdog, watchdogSet,
                unretrievedFailureDelay);
    }

    /**
     * How long {@link EventLoop#run(ThrowingSupplier)} waits for the default executor's threads.
     *
     * @return how long to wait
     */
    public Duration executorShutdownTimeout() {
        return executorShutdownTimeout;
    }

    /**
     * Turns debug mode on or off: slow callbacks and task steps are logged, tasks and futures
     * from {@link EventLoop#createFuture()} record where they were created, and the watchdog is
     * on unless set with {@link #watchdog(Duration) watchdog(Duration)}. asyncio's {@code loop.set_debug()}.
     *
     * @param on whether debug mode is on
     * @return a copy with that setting
     */
    public EventLoop.Options debug(boolean on) {
        return new EventLoop.Options(executorShutdownTimeout, on, slowCallbackDuration, watchdog, watchdogSet,
                unretrievedFailureDelay);
    }

    /**
     * Whether debug mode is on.
     *
     * @return true in debug mode
     */
    public boolean debug() {
        return debug;
    }

    /**
     * In debug mode, a callback or task step running longer than this is logged: asyncio's
     * {@code slow_callback_duration}. Default 100 ms.
     *
     * @param threshold the longest a callback may take before it is logged
     * @return a copy with that threshold
     * @throws IllegalArgumentException if negative
     */
    public EventLoop.Options slowCallbackDuration(Duration threshold) {
        Objects.requireNonNull(threshold, "threshold");
        if (threshold.isNegative()) {
            throw new IllegalArgumentException("slowCallbackDuration must not be negative: " + threshold);
        }
        return new EventLoop.Options(executorShutdownTimeout, debug, threshold, watchdog, watchdogSet,
                unretrievedFailureDelay);
    }

    /**
     * The slow-callback threshold of debug mode.
     *
     * @return the threshold
     */
    public Duration slowCallbackDuration() {
        return slowCallbackDuration;
    }

    /**
     * Sets the watchdog: a loop thread that has not come back from one callback or task step
     * for longer than {@code threshold} is reported with its stack, while it is still stuck.
     * Works without debug mode; {@code null} turns it off, also in debug mode. Default: 1 s in
     * debug mode, off otherwise.
     *
     * @param threshold how long the loop may be stuck in one callback before it is reported; null
     *     for no watchdog
     * @return a copy with that threshold
     * @throws IllegalArgumentException if zero or negative
     */
    public EventLoop.Options watchdog(Duration threshold) {
        if (threshold != null && (threshold.isNegative() || threshold.isZero())) {
            throw new IllegalArgumentException("watchdog threshold must be positive: " + threshold);
        }
        return new EventLoop.Options(executorShutdownTimeout, debug, slowCallbackDuration, threshold, true,
                unretrievedFailureDelay);
    }

    /**
     * The watchdog threshold in effect, or null when the watchdog is off.
     *
     * @return the threshold, or null
     */
    public Duration watchdog() {
        return watchdogSet ? watchdog : debug ? DEFAULT_WATCHDOG : null;
    }

    /**
     * Sets how long a failed future or task may stay unretrieved (no listener, no {@code result()},
     * no {@code exception()}) before the loop reports it as "exception was never retrieved",
     * measured on the loop's clock from the moment it failed. The loop also reports such failures
     * earlier, when it goes idle, and at {@link EventLoop#close()}; this rule is for a loop that
     * never goes idle, such as a server whose idle timeouts always keep a timer set. Default 5 s.
     * Zero reports a failure nobody looked at by the end of the iteration it failed in; a very long
     * delay leaves only the idle and close rules. asyncio reports when the garbage collector frees
     * the future, which Java has no timely way to see.
     *
     * @param delay how long a failure may stay unretrieved
     * @return a copy with that delay
     * @throws IllegalArgumentException if negative
     */
    public EventLoop.Options unretrievedFailureDelay(Duration delay) {
        Objects.requireNonNull(delay, "delay");
        if (delay.isNegative()) {
            throw new IllegalArgumentException("unretrievedFailureDelay must not be negative: " + delay);
        }
        return new EventLoop.Options(executorShutdownTimeout, debug, slowCallbackDuration, watchdog, watchdogSet, delay);
    }

    /**
     * How long a failure may stay unretrieved before it is reported (see {@link #unretrievedFailureDelay(Duration)}).
     *
     * @return the delay
     */
    public Duration unretrievedFailureDelay() {
        return unretrievedFailureDelay;
    }
}
