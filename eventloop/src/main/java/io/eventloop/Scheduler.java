package io.eventloop;

import io.eventloop.internal.VirtualTime;
import java.io.IOException;
import java.nio.channels.SelectionKey;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.jctools.queues.MessagePassingQueue;
import org.jctools.queues.atomic.MpscUnboundedAtomicArrayQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The iteration of one {@link EventLoop}, and the queues it drains: the ready queue, the timer
 * heap and the inbox from other threads. The heart is {@link #runOnce()}, one iteration, read top
 * to bottom; {@code docs/architecture.md} draws the same phases.
 *
 * <p>It has no API of its own: the loop's public methods delegate here, and the loop is its only
 * user. It reaches back to the loop for the exception handler, the closed flag and debug mode.
 * Compared with asyncio: {@code BaseEventLoop._run_once} and the {@code _ready} and
 * {@code _scheduled} queues it drains, in a class of their own.
 *
 * <p>Threading: loop thread only, except {@link #offer} and {@link #metrics}, which any thread
 * may call.
 */
final class Scheduler {
    /** The loop's logger: what the iteration reports keeps the category users configure. */
    private static final Logger log = LoggerFactory.getLogger(EventLoop.class);

    /**
     * While callbacks keep the ready queue busy, the loop looks at the clock once this many
     * callbacks have run since its last look, to see whether {@link #POLL_INTERVAL_NANOS} have
     * passed (when the queue runs empty, it polls at once). A clock read costs about as much as a
     * whole hop, so not every iteration; docs/architecture.md says how both were chosen.
     */
    static final int POLL_INTERVAL = 64;
    /** A busy loop polls I/O once this long after the busy stretch began: 50 µs. */
    static final long POLL_INTERVAL_NANOS = 50_000;
    /** Cross-thread callbacks moved to the ready queue per iteration: a bound, so producers cannot pin the loop. */
    private static final int MAX_DRAIN = 4096;

    /** The loop this iteration belongs to. */
    private final EventLoop loop;
    private final Clock clock;
    private final Poller poller;
    /** Fake time's say before each wait ({@code eventloop-testing}); null on a loop on real time. */
    VirtualTime virtualTime;
    /** Debug mode's slow-callback threshold in nanoseconds. */
    private final long slowCallbackNanos;
    /**
     * The watchdog's view of the loop, or null when the watchdog is off. Final, and read once
     * per iteration by {@link #runReady()}: with debug mode and the watchdog off, that one read
     * of a final field per iteration is all the diagnostics cost.
     */
    private final Watchdog.Watch watch;
    /** Debug mode or the watchdog: {@link #runReady()} takes {@link #runReadyInstrumented(int)} (so do TaskLocal mirrors). */
    private final boolean instrumented;
    /** Counters behind {@link EventLoop#metrics()}; the loop thread writes them, any thread reads. */
    private final LoopMetrics.Counters counters = new LoopMetrics.Counters();

    /** Callbacks to run on the next {@link #runReady()}. Loop thread only. */
    private final ReadyQueue ready = new ReadyQueue();
    /** Live timers by (deadline, sequence); a cancelled timer leaves at once. Loop thread only. */
    private final TimerHeap timers = new TimerHeap();
    /** Callbacks run since I/O was last polled or the clock last looked at (see {@link #pollDue()}). Loop thread only. */
    private int sincePoll;
    /** Whether the loop has looked at the clock since its last poll, at {@link #busySince}. Loop thread only. */
    private boolean busy;
    /** The clock at the first look since the last poll. Loop thread only. */
    private long busySince;
    /** Callbacks from other threads. Any thread offers; the loop thread drains. */
    private final MpscUnboundedAtomicArrayQueue<Runnable> inbox = new MpscUnboundedAtomicArrayQueue<>(1024);
    private final MessagePassingQueue.Consumer<Runnable> toReady = ready::add;
    /**
     * True while the loop is in, or about to enter, a blocking select. Other threads wake the
     * selector only when they flip it from true to false: at most one wakeup per sleep, however
     * many threads submit (Netty's {@code nextWakeupNanos} idea, as a boolean).
     */
    private final AtomicBoolean sleeping = new AtomicBoolean();
    /**
     * Which channels the poller watches, and what each ready key queues: it feeds {@link #ready},
     * so it is created here; {@link EventLoop#readiness} is the same object. Loop thread only.
     */
    final Readiness readiness;
    /**
     * Failed futures nobody has looked at yet: created here because phase 1 applies their rules on
     * this clock, and their next deadline bounds the wait like a timer's. Loop thread only.
     */
    final UnretrievedFailures unretrieved;
    /** {@link Readiness#dispatch}, bound once: the poller calls it per ready key. */
    private final Consumer<SelectionKey> dispatchKey;
    /** Set by {@link #stop()}; checked after each iteration. Loop thread only. */
    private boolean stopping;
    /**
     * The {@link TaskLocal} values of the callback running now when it is not a task's step
     * (asyncio's {@code Handle._context}): what a handle, a done-callback or a continuation made
     * outside tasks brings, and what {@code TaskLocal.set} in such a callback replaces. Cleared
     * after every callback, so nothing set in one reaches the next: null (empty) between callbacks,
     * {@link Context#NOT_RUNNING} outside runs. Loop thread only; see {@link Context}.
     */
    Context context = Context.NOT_RUNNING;
    /** The context the TaskLocal mirrors show on the loop thread now, or {@link Context#UNKNOWN}. Loop thread only. */
    Context mirroredContext = Context.UNKNOWN;
    /** The {@link Context#mirrorsVersion} {@link #mirroredContext} is about. Loop thread only. */
    private int mirroredVersion;

    /** The iteration of {@code loop}, whose {@code debug} flag is already set. */
    Scheduler(EventLoop loop, EventLoop.Options options, Clock clock, Poller poller) {
        this.loop = loop;
        this.clock = clock;
        this.poller = poller;
        this.readiness = new Readiness(loop, poller, ready);
        this.dispatchKey = readiness::dispatch;
        this.slowCallbackNanos = Clock.saturatedNanos(options.slowCallbackDuration());
        Duration watchdog = options.watchdog();
        this.watch = watchdog == null ? null : new Watchdog.Watch(loop, Clock.saturatedNanos(watchdog));
        this.instrumented = loop.debug || watch != null;
        this.unretrieved = new UnretrievedFailures(loop, clock, Clock.saturatedNanos(options.unretrievedFailureDelay()));
    }

    // ================================================================== runs

    /** A run begins: its time starts counting, and the watchdog watches the loop. */
    void runStarted() {
        context = null;
        counters.runStarted(clock.nanoTime());
        if (watch != null) {
            Watchdog.watch(watch);
        }
    }

    /**
     * A run ends, normally or by an {@link Error}: the watchdog lets go, a pending stop is spent,
     * the TaskLocal mirrors show the thread's own values again.
     */
    void runEnded() {
        if (watch != null) {
            Watchdog.unwatch(watch);
        }
        counters.runEnded(clock.nanoTime());
        stopping = false;
        context = Context.NOT_RUNNING;
        mirroredContext = Context.UNKNOWN;
        Context.runEnded();
    }

    /** {@link EventLoop#runForever()}: iterations until {@link #stop()}; at least one. */
    void runUntilStopped() {
        do {
            runOnce();
        } while (!stopping);
    }

    /** {@link EventLoop#stop()}: the run ends after the current iteration. */
    void stop() {
        stopping = true;
    }

    /**
     * {@link EventLoop#runOnce(Duration)}: one iteration that polls I/O whatever the cadence,
     * waiting at most {@code maxWaitMillis}.
     *
     * @return the number of callbacks run
     */
    int runOnceForHost(long maxWaitMillis) {
        long before = counters.callbacks();
        runOnce(maxWaitMillis);
        return (int) (counters.callbacks() - before);
    }

    // ================================================================== the iteration

    /**
     * One iteration of the loop. This is the only place callbacks are called; everything else
     * only adds them to the ready queue.
     * <ol>
     *   <li>Compute how long the poller may block: 0 if anything is ready (or a stop is pending),
     *       until the earliest live timer if there is one, else until woken.</li>
     *   <li>Poll: wait for I/O readiness; each ready channel queues its reader or writer.</li>
     *   <li>Queue the timers that are due, then the callbacks other threads sent.</li>
     *   <li>Run exactly the callbacks that are ready now. What they schedule waits for the next
     *       iteration, after I/O has been polled again: nothing can starve I/O.</li>
     * </ol>
     */
    void runOnce() {
        runOnce(-1);
    }

    /** One iteration; a host-driven one ({@code maxWaitMillis >= 0}) always polls, waiting at most that. */
    private void runOnce(long maxWaitMillis) {
        long timeoutMillis = selectTimeout();                           // 1
        if (ready.isEmpty() || stopping || maxWaitMillis >= 0 || pollDue()) {
            poll(cap(timeoutMillis, maxWaitMillis));                    // 2
            sincePoll = 0;
            busy = false;
        }
        queueDueTimers();                                               // 3
        drainInbox();                                                   // 3
        sincePoll += runReady();                                        // 4
    }

    /**
     * Whether a loop kept busy by callbacks polls I/O now. Once {@link #POLL_INTERVAL} callbacks
     * have run since its last look, it reads the clock: the first look after a poll starts the
     * busy stretch, and the loop polls once {@link #POLL_INTERVAL_NANOS} have passed since. So
     * I/O waits at most 50 µs plus two rounds of at most 63 callbacks, each finishing the snapshot
     * it is in; a busy loop pays one clock read per 64 callbacks and one poll per 50 µs.
     */
    private boolean pollDue() {
        if (sincePoll < POLL_INTERVAL) {
            return false;
        }
        sincePoll = 0;
        long now = clock.nanoTime();
        if (!busy) {
            busy = true;
            busySince = now;
            return false;
        }
        return now - busySince >= POLL_INTERVAL_NANOS;
    }

    /** The shorter of two waits, where -1 means "no limit". */
    private static long cap(long timeoutMillis, long maxWaitMillis) {
        return timeoutMillis < 0 ? maxWaitMillis : maxWaitMillis < 0 ? timeoutMillis : Math.min(timeoutMillis, maxWaitMillis);
    }

    /** Phase 1. */
    private long selectTimeout() {
        if (!unretrieved.isEmpty()) {
            // Failures nobody looked at: reported if the loop goes idle, or once their delay has
            // passed (see UnretrievedFailures.check for the rules).
            unretrieved.check(ready.isEmpty() && !stopping && timers.isEmpty() && inbox.isEmpty());
        }
        if (!ready.isEmpty() || stopping) {
            return 0;
        }
        if (timers.isEmpty() && unretrieved.isEmpty()) {
            return -1;
        }
        long remaining = Clock.saturatedSubtract(nextDeadline(), clock.nanoTime());
        return Clock.millisRoundedUp(remaining); // a sub-millisecond timer must not spin on select(0)
    }

    /** The earliest timer's deadline, or sooner the next unretrieved failure's; MAX_VALUE if neither. */
    private long nextDeadline() {
        long due = unretrieved.nextDue();
        return timers.isEmpty() ? due : Math.min(timers.peekDeadline(), due);
    }

    /** Phase 2. */
    private void poll(long timeoutMillis) {
        boolean virtualWait = false;
        if (timeoutMillis != 0 && virtualTime != null) {
            if (virtualTime.beforeWait(nextDeadline(), othersPending())) {
                timeoutMillis = 0; // fake time moved: what it made due runs now
            } else {
                virtualWait = true;
            }
        }
        boolean announced = timeoutMillis != 0;
        if (announced) {
            sleeping.set(true);
            // A submission raced in before the announcement: take the flag back and don't block.
            // If a submitter took it first, its wakeup() is on the way and this select consumes
            // it, so no wake-up outlives the sleep it was meant for (one wakeup per sleep).
            if (!inbox.isEmpty() && sleeping.compareAndSet(true, false)) {
                timeoutMillis = 0;
            }
        }
        // Idle time is measured around the blocking select only: two clock reads per sleep,
        // none per callback. A select(0) is counted as busy.
        long idleSince = announced ? idleBegins() : 0;
        try {
            poller.select(timeoutMillis, dispatchKey);
        } catch (IOException e) {
            loop.callExceptionHandler(ErrorContext.of("polling for I/O failed", e));
        } finally {
            if (announced) {
                sleeping.set(false); // only after a sleep: a volatile write per hop costs ~10 ns
                idleEnds(idleSince);
            }
            if (virtualWait) {
                virtualTime.afterWait();
            }
        }
        if (Thread.interrupted()) {
            // An interrupt would make every later select return at once and spin the loop.
            // The loop is stopped with stop(), not interrupts (as in Netty's NioEventLoop).
            log.debug("{}: the loop thread was interrupted; the interrupt is cleared", loop);
        }
    }

    /** Whether anything outside the loop may still wake it: a channel, executor work, a submission. */
    private boolean othersPending() {
        return poller.registeredCount() > 0 || loop.defaultExecutor.outstanding() > 0 || !inbox.isEmpty();
    }

    /** Phase 3a. The clock is read once: a timer due later in this phase waits for the next. */
    private void queueDueTimers() {
        if (timers.isEmpty()) {
            return;
        }
        long now = clock.nanoTime();
        long lag = -1;
        while (!timers.isEmpty() && timers.peekDeadline() <= now) {
            lag = Math.max(lag, now - timers.peekDeadline()); // loop lag: how late the latest-firing timer is
            ready.add(timers.poll());
        }
        if (lag >= 0) {
            counters.timerLag(lag); // once per iteration that fired timers: plain writes
        }
    }

    /** Phase 3b. */
    private void drainInbox() {
        inbox.drain(toReady, MAX_DRAIN);
    }

    /**
     * Adds a callback on the loop thread, after the callbacks other threads sent before it:
     * callSoon and callSoonThreadsafe keep one FIFO order, as they share asyncio's one ready deque
     * (test_events::test_call_soon_threadsafe). Appending straight to {@link #ready} would let a
     * later callSoon overtake a callback still waiting in the inbox for phase 3.
     */
    void addReady(Runnable callback) {
        if (!inbox.isEmpty()) {
            drainInbox();
        }
        ready.add(callback);
    }

    /**
     * Phase 4: run the snapshot. An exception goes to the handler; an {@link Error} ends the run.
     * Debug mode, the watchdog and TaskLocal mirrors take a copy of this loop with their
     * bookkeeping, so that without them a callback costs exactly what it did: no clock read, no
     * check, no write.
     */
    private int runReady() {
        int n = ready.size();
        counters.iteration(n); // per iteration: two plain writes and one release store
        if (instrumented || Context.mirroring) {
            runReadyInstrumented(n);
            return n;
        }
        for (int i = n; i > 0; i--) {
            runCallback(ready.poll());
        }
        return n;
    }

    private void runCallback(Runnable callback) {
        try {
            callback.run();
        } catch (Exception e) {
            Handle handle = callback instanceof Handle h ? h : null;
            loop.callExceptionHandler(new ErrorContext("Exception in callback " + callback, e, handle, null, null));
        }
        context = null; // a TaskLocal set by this callback ends with it (a plain write: see Context)
    }

    /**
     * Phase 4 in debug mode, under the watchdog, or while a TaskLocal has a mirror. Per callback:
     * for the watchdog, two opaque writes (which callback, and a progress count); in debug mode,
     * two clock reads to time it; with mirrors, the callback's context, copied to them when it
     * differs from the last one.
     */
    private void runReadyInstrumented(int n) {
        Watchdog.Watch w = watch;
        boolean debug = loop.debug;
        boolean mirror = Context.mirroring;
        if (mirror && mirroredVersion != Context.mirrorsVersion) {
            mirroredVersion = Context.mirrorsVersion;
            mirroredContext = Context.UNKNOWN; // a sink added since has not been given it
        }
        for (; n > 0; n--) {
            Runnable callback = ready.poll();
            if (w != null) {
                w.enter(callback);
            }
            if (mirror) {
                mirror(callback);
            }
            long start = debug ? clock.nanoTime() : 0;
            runCallback(callback);
            if (debug) {
                long took = clock.nanoTime() - start;
                if (took >= slowCallbackNanos) {
                    slowCallback(callback, took);
                }
            }
        }
        if (w != null) {
            w.enter(null);
        }
    }

    /** TaskLocal mirrors: they show the values {@code callback} is about to see. */
    private void mirror(Runnable callback) {
        Context c = Context.of(callback);
        if (c != mirroredContext) {
            mirroredContext = c;
            Context.mirror(c);
        }
    }

    /** Debug mode: asyncio's "Executing <Handle ...> took 0.153 seconds". */
    private void slowCallback(Runnable callback, long tookNanos) {
        String what = Diagnostics.describe(callback);
        Diagnostics.warn("Executing " + what + " took " + Diagnostics.seconds(tookNanos) + " seconds");
        JfrEvents.slowCallback(what, tookNanos);
    }

    /** Phase 2, before a blocking select: the watchdog learns the loop is idle, not stuck. */
    private long idleBegins() {
        if (watch != null) {
            watch.idle();
        }
        return clock.nanoTime();
    }

    private void idleEnds(long since) {
        counters.idle(clock.nanoTime() - since);
    }

    // ================================================================== what the queues take in

    /**
     * The door: every callback from {@link EventLoop#callSoonThreadsafe} goes through the inbox,
     * even on the loop thread. A thread that created the loop but hands it to another thread to
     * run cannot tell whether that thread has started yet, so appending to {@link #ready} from it
     * would race with the loop; the inbox is safe from anywhere, and {@link #addReady} keeps the
     * FIFO order with {@link EventLoop#callSoon}. Any thread.
     *
     * @return false if the loop is closed: the callback will never run
     */
    boolean offer(Runnable callback) {
        if (loop.closed) {
            return false;
        }
        inbox.offer(callback);
        if (loop.closed) {
            return false; // close() won the race and dropped the inbox: it will never run
        }
        if (sleeping.get() && sleeping.compareAndSet(true, false)) {
            poller.wakeup();
        }
        return true;
    }

    /** {@link EventLoop#callAt}: {@code timer} joins the heap. */
    void addTimer(TimerHandle timer) {
        timers.add(timer);
    }

    /** A scheduled timer was cancelled: it leaves the heap now. */
    void timerCancelled(TimerHandle timer) {
        timers.remove(timer);
    }

    /**
     * A registered listening channel was closed: flush the selector's cancelled keys now, since
     * the selector releases a closed channel's descriptor only then. So a closed port refuses
     * connections, and can be bound again, as soon as {@code Server.close()} returns, as with
     * asyncio. The select hands nothing over: readiness is level-triggered, so what it saw is
     * reported again by the next poll.
     */
    void releaseClosed() {
        if (loop.closed) {
            return;
        }
        try {
            poller.select(0, key -> { });
        } catch (IOException e) {
            loop.callExceptionHandler(ErrorContext.of("flushing closed channels from the selector failed", e));
        }
    }

    /** At {@link EventLoop#close()}: every callback and timer not run yet is dropped. */
    void clear() {
        ready.clear();
        timers.clear();
        inbox.clear();
    }

    /** At {@link EventLoop#close()}, last: the selector is released. */
    void closePoller() {
        try {
            poller.close();
        } catch (IOException e) {
            LoopLog.warn(EventLoop.class, "closing the selector of " + loop + " failed", e);
        }
    }

    // ================================================================== what it reports

    /** {@link EventLoop#metrics()}: a snapshot of the counters. Any thread. */
    LoopMetrics metrics(LiveTasks tasks) {
        int channels;
        try {
            channels = loop.closed ? 0 : poller.registeredCount(); // a racy int read from other threads: harmless
        } catch (RuntimeException e) {
            channels = 0; // closed meanwhile
        }
        return counters.snapshot(loop.isRunning(), clock.nanoTime(), tasks.count(), channels);
    }

    /** Channels registered with the poller (cancelled keys not yet flushed included). Loop thread only. */
    int registeredChannels() {
        return poller.registeredCount();
    }

    /**
     * For reports: "a timer completes it in 0.700 s" when a live timer's callback is {@code f}
     * itself (a sleep), else null. Scans the heap: shutdown reports only.
     */
    String timerFor(Future<?> f) {
        TimerHandle t = timers.find(h -> h.callback() == f);
        if (t == null) {
            return null;
        }
        return "a timer completes it in " + Diagnostics.seconds(Math.max(0, t.when() - clock.nanoTime())) + " s";
    }

    /** Number of timers in the heap. For tests. */
    int timerCount() {
        return timers.size();
    }

    /** Callbacks waiting in the ready queue. For tests. */
    int readyCount() {
        return ready.size();
    }
}
