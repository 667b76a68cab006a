package io.eventloop;

import io.eventloop.internal.LoopAccess;
import io.eventloop.net.Connection;
import io.eventloop.net.Net;
import io.eventloop.net.Protocol;
import io.eventloop.net.Server;
import io.eventloop.net.StreamReader;
import io.eventloop.net.StreamWriter;
import io.eventloop.net.Transport;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectableChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A single-threaded event loop: asyncio's {@code BaseEventLoop} on a
 * {@link java.nio.channels.Selector}.
 *
 * <p>One thread runs everything that touches loop state: ready callbacks, timers, socket
 * readiness, and the continuations of every {@link Future} and {@link Task}. The heart is
 * {@code Scheduler.runOnce()}, one iteration, read top to bottom; {@code docs/architecture.md}
 * draws the same phases.
 *
 * <p><b>Threading rule.</b> Everything here is confined to the loop thread (the thread running the
 * loop, or, while it is not running, the thread that created or last ran it) except the one door
 * from other threads: {@link #callSoonThreadsafe} and what is built on it ({@link #submit},
 * executor results from {@link #runInExecutor}). A loop-affine call from another thread throws
 * {@link IllegalStateException} naming that door.
 *
 * <p><b>Typical use.</b>
 * <pre>{@code
 * String s = EventLoop.run(() -> Async.sleep(Duration.ofSeconds(1)).map(v -> "hello"));
 * }</pre>
 * or, to keep a loop for a server, {@code new EventLoop()}, {@link #runForever()},
 * {@link #stop()} and {@link #close()}.
 *
 * <p><b>Diagnostics.</b> {@link Options#debug(boolean)} (or {@code -Deventloop.debug=true}) logs
 * slow callbacks and records where tasks and futures were created; {@link Options#watchdog} reports
 * a loop thread stuck in one callback while it is stuck; {@link #metrics()} counts iterations,
 * callbacks, timer lag and idle time; {@link #addSignalHandler} runs a handler on the loop when
 * the process gets INT, TERM or HUP. With debug mode and the watchdog off, none of it costs
 * anything per callback. {@code docs/operations.md} describes them.
 *
 * <p><b>What is in this file.</b> The public API, and the loop's lifecycle: running, stopping and
 * closing it, and which thread it belongs to. The iteration and the queues it drains (the ready
 * queue, the timer heap, the inbox from other threads) are in the package-private
 * {@code Scheduler}, to which the scheduling methods delegate. The other parts it leans on are
 * package-private classes beside it, each named for what it holds: {@code Readiness} (which
 * channels are watched, what a ready key queues), {@code LiveTasks}, {@code UnretrievedFailures},
 * {@code DefaultExecutor}, and the {@code Clock} and {@code Poller} seams; the package's
 * {@code package-info} maps them all.
 *
 * <p><b>Compared with asyncio:</b> the same names in Java case ({@code call_soon} is
 * {@link #callSoon}); time is {@code long} nanoseconds; {@code run_coroutine_threadsafe} is
 * {@link #submit}; live tasks are held strongly. <b>Compared with an
 * {@code ExecutorService}:</b> one thread, never blocked by design, and callbacks scheduled
 * from a callback run on the next iteration, after I/O has been polled.
 */
public final class EventLoop implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EventLoop.class);

    /** {@link Scheduler#POLL_INTERVAL}, by the name tests know it. */
    static final int POLL_INTERVAL = Scheduler.POLL_INTERVAL;

    /** The loop running on each thread. */
    private static final ThreadLocal<EventLoop> RUNNING = new ThreadLocal<>();
    /** The loop a thread created or ran last, for {@link #current()} outside a run. */
    private static final ThreadLocal<EventLoop> THREAD_DEFAULT = new ThreadLocal<>();

    static {
        LoopAccess.install(new Readiness.NetAccess());
    }

    private final Options options;
    /** The loop's clock, for {@link #time()}; the scheduler reads the same one. */
    private final Clock clock;
    /** Debug mode (see {@link Options#debug(boolean)}). Final: the JIT folds the checks away. */
    final boolean debug;
    /** Signal handlers this loop installed, by name. */
    private final java.util.Map<String, SignalHandlers.Installed> signalHandlers = new java.util.concurrent.ConcurrentHashMap<>();
    /** The iteration, and the ready queue, timer heap and inbox it drains. */
    private final Scheduler scheduler;
    /** Which channels the poller watches, and what each ready key queues; made by the scheduler. Loop thread only. */
    final Readiness readiness;

    /** The loop thread: the runner while running, else the creator or last runner. Any thread reads. */
    private volatile Thread thread;
    private volatile boolean running;
    /** Set by {@link #close()}; never cleared. Any thread reads. */
    volatile boolean closed;

    /** The task whose step is running, or null. Loop thread only; set by {@link Waiting#wake()}. */
    Task<?> currentTask;
    /**
     * The innermost timeout scope the running code is under, or null. Loop thread only; set by
     * {@link Waiting#wake()} and, while a scope's body is being called, by {@link Timeout}.
     */
    Timeout currentTimeout;
    /** The {@link Waiting} whose step is running, or null. Loop thread only; set by {@link Waiting#wake()}. */
    Waiting<?> stepping;
    /**
     * Continuations of the running task whose source just finished its step: they go on in the
     * same callback, after it, instead of one iteration later (see {@link Waiting#wake()}).
     * Loop thread only.
     */
    final ArrayDeque<Waiting<?>> continuations = new ArrayDeque<>();
    /** The tasks not done yet, held strongly. Loop thread only. */
    private final LiveTasks tasks = new LiveTasks(this);
    /** Failed futures that had no listener when they failed. Loop thread only. */
    final UnretrievedFailures unretrieved = new UnretrievedFailures(this);
    private volatile ExceptionHandler exceptionHandler;
    /** {@link #runInExecutor}'s default executor, created on first use. Loop thread only. */
    private final DefaultExecutor defaultExecutor = new DefaultExecutor(this);

    /** A loop with default {@link Options}. Not running until {@link #runForever()} or {@link #runUntilComplete}. */
    public EventLoop() {
        this(Options.defaults());
    }

    /** A loop with the given options. */
    public EventLoop(Options options) {
        this(options, Clock.SYSTEM, new NioPoller());
    }

    /** The seam for scheduler tests: fake time and a fake poller. */
    EventLoop(Options options, Clock clock, Poller poller) {
        this.options = Objects.requireNonNull(options, "options");
        this.clock = clock;
        this.debug = options.debug();
        this.scheduler = new Scheduler(this, options, clock, poller);
        this.readiness = scheduler.readiness;
        this.thread = Thread.currentThread();
        THREAD_DEFAULT.set(this);
    }

    // ================================================================== entry points

    /**
     * Runs {@code main} on a new loop and returns its value: asyncio's {@code asyncio.run()}.
     *
     * <p>Creates a loop, runs {@code main} as a task named "main" until it is done, then cancels
     * every task still pending and waits for them (reporting any that fail while cancelling to
     * the exception handler), shuts down the default executor, and closes the loop.
     *
     * @return main's value
     * @throws RuntimeException main's failure as it is when unchecked; a checked one wrapped in
     *         {@link java.util.concurrent.CompletionException}; {@link java.util.concurrent.CancellationException}
     *         if main was cancelled
     * @throws IllegalStateException when called from a running loop
     */
    public static <T> T run(Supplier<? extends Future<T>> main) {
        return run(Options.defaults(), main);
    }

    /** {@link #run(Supplier)} with options. */
    public static <T> T run(Options options, Supplier<? extends Future<T>> main) {
        Objects.requireNonNull(main, "main");
        if (RUNNING.get() != null) {
            throw new IllegalStateException("EventLoop.run() cannot be called from a running event loop;"
                    + " inside the loop, use createTask or then(...)");
        }
        try (EventLoop loop = new EventLoop(options)) {
            Task<T> task = loop.createTask("main", main);
            try {
                return loop.runUntilComplete(task);
            } finally {
                loop.tasks.cancelAll();
                loop.runUntilComplete(loop.shutdownDefaultExecutor(options.executorShutdownTimeout));
            }
        }
    }

    /**
     * The loop running on this thread; when none is running, the loop this thread created or ran
     * last, if it is not closed. asyncio's {@code get_running_loop()}, relaxed so that
     * {@code new EventLoop()} followed by {@code loop.runUntilComplete(Async.sleep(...))} works.
     *
     * @throws IllegalStateException when this thread has no such loop
     */
    public static EventLoop current() {
        EventLoop loop = RUNNING.get();
        if (loop != null) {
            return loop;
        }
        loop = THREAD_DEFAULT.get();
        if (loop != null && !loop.closed) {
            return loop;
        }
        throw new IllegalStateException("no event loop on thread '" + Thread.currentThread().getName()
                + "'; start one with EventLoop.run(...) or new EventLoop()");
    }

    /**
     * Runs the loop until {@code future} is done and returns its value: asyncio's
     * {@code run_until_complete}.
     *
     * @throws IllegalArgumentException if the future belongs to another loop
     * @throws IllegalStateException if the loop is closed, already running, another loop runs on
     *         this thread, or the loop was stopped before the future completed (the future stays
     *         pending; a later run can finish it)
     * @throws RuntimeException the future's failure, as {@link Future#result()} throws it
     */
    public <T> T runUntilComplete(Future<T> future) {
        Objects.requireNonNull(future, "future");
        checkNotClosed("runUntilComplete");
        if (future.loop != this) {
            throw new IllegalArgumentException(future + " belongs to another event loop than " + this);
        }
        checkCanRun();
        Stopper stopper = new Stopper();
        future.onDone(stopper);
        try {
            runForever();
        } finally {
            stopper.active = false;
            future.removeDoneCallback(stopper);
        }
        if (!future.isDone()) {
            throw new IllegalStateException("Event loop stopped before Future completed: " + future);
        }
        return future.result();
    }

    /** Stops the loop when the future it watches is done, unless its run is over (bpo-22429). */
    private final class Stopper implements Consumer<Future<?>> {
        boolean active = true;

        @Override
        public void accept(Future<?> f) {
            if (active) {
                stop();
            }
        }
    }

    /**
     * Runs iterations until {@link #stop()} is called: asyncio's {@code run_forever}. If
     * {@code stop()} was called before, runs exactly one iteration, polling I/O without waiting.
     *
     * <p>An {@link Error} thrown by a callback ends the run and propagates; the loop is left
     * consistent and can run again.
     *
     * @throws IllegalStateException if closed, already running, or another loop runs on this thread
     */
    public void runForever() {
        enterRun("runForever");
        try {
            scheduler.runUntilStopped();
        } finally {
            exitRun();
        }
    }

    /**
     * Runs one iteration of the loop, for a host that owns its thread and drives the loop itself
     * (a game loop, a GUI toolkit's idle hook, a controller's cycle); Netty's
     * {@code ManualIoEventLoop} allows the same. The iteration is the one {@link #runForever()}
     * repeats, except that it always polls I/O: waiting at most {@code maxWait} (rounded up to
     * whole milliseconds), and only if no callback is ready and no timer is due sooner; then it
     * queues due timers and callbacks from other threads, and runs the callbacks that were ready.
     * What they schedule runs on the next call. {@code Duration.ZERO} never waits. {@link #stop()} inside it has no
     * effect beyond this iteration: the host decides when to call again. asyncio has no public
     * counterpart ({@code _run_once} is private).
     *
     * <p>The calling thread becomes the loop thread for the iteration, as with
     * {@link #runForever()}; call it from one thread.
     *
     * @return the number of callbacks run
     * @throws IllegalArgumentException if {@code maxWait} is negative
     * @throws IllegalStateException if closed, already running (for example inside
     *         {@link #runForever()}), or another loop runs on this thread
     */
    public int runOnce(Duration maxWait) {
        Objects.requireNonNull(maxWait, "maxWait");
        if (maxWait.isNegative()) {
            throw new IllegalArgumentException("maxWait must not be negative: " + maxWait);
        }
        long nanos = Clock.saturatedNanos(maxWait);
        long maxWaitMillis = nanos / 1_000_000 + (nanos % 1_000_000 == 0 ? 0 : 1);
        enterRun("runOnce");
        try {
            return scheduler.runOnceForHost(maxWaitMillis);
        } finally {
            exitRun();
        }
    }

    /** The start of a run: this thread becomes the loop thread. */
    private void enterRun(String method) {
        checkNotClosed(method);
        checkCanRun();
        thread = Thread.currentThread();
        running = true;
        RUNNING.set(this);
        THREAD_DEFAULT.set(this);
        scheduler.runStarted();
    }

    private void exitRun() {
        scheduler.runEnded();
        running = false;
        RUNNING.remove();
    }

    private void checkCanRun() {
        if (running) {
            throw new IllegalStateException(this + " is already running");
        }
        EventLoop other = RUNNING.get();
        if (other != null) {
            throw new IllegalStateException("cannot run " + this + " while " + other + " runs on this thread");
        }
    }

    /**
     * Asks the loop to stop after the current iteration. Loop thread only; from another thread
     * use {@code loop.callSoonThreadsafe(loop::stop)}.
     */
    public void stop() {
        checkThread("EventLoop.stop");
        scheduler.stop();
    }

    /** Whether the loop is running (in {@link #runForever()} or {@link #runUntilComplete}). Any thread. */
    public boolean isRunning() {
        return running;
    }

    /** Whether {@link #close()} was called. Any thread. */
    public boolean isClosed() {
        return closed;
    }

    /** Whether the calling thread is the loop thread. */
    public boolean inLoopThread() {
        return thread == Thread.currentThread();
    }

    /**
     * Closes the loop: reports tasks still pending ("Task was destroyed but it is pending") and
     * failures nobody retrieved to the exception handler, drops every scheduled callback and
     * timer, releases the selector and shuts the default executor down without waiting.
     * Idempotent. After it, every scheduling call throws {@link IllegalStateException}.
     *
     * <p>May be called from any thread once the loop has stopped running.
     *
     * @throws IllegalStateException if the loop is running
     */
    @Override
    public void close() {
        if (running) {
            throw new IllegalStateException("cannot close " + this + " while it is running; stop() it first");
        }
        if (closed) {
            return;
        }
        closed = true;
        try {
            unretrieved.report();
            SignalHandlers.removeAll(this, signalHandlers);
            tasks.reportPending();
        } finally {
            tasks.clear();
            scheduler.clear();
            defaultExecutor.shutdownWithoutWaiting();
            scheduler.closePoller();
            if (THREAD_DEFAULT.get() == this) {
                THREAD_DEFAULT.remove();
            }
        }
    }

    // ================================================================== the iteration and its counters (Scheduler)

    /** One iteration: {@link Scheduler#runOnce()}, where its phases are. */
    void runOnce() {
        scheduler.runOnce();
    }

    /**
     * A snapshot of this loop's counters, from any thread: iterations, callbacks run, timer lag,
     * busy and idle time, pending tasks, registered channels. See {@link LoopMetrics} for what
     * each costs and how current a snapshot taken on another thread is.
     */
    public LoopMetrics metrics() {
        return scheduler.metrics(tasks);
    }

    // ================================================================== signals

    /**
     * Runs {@code handler} on the loop thread whenever the process receives the signal
     * {@code name} ("INT", "TERM" or "HUP"): asyncio's {@code loop.add_signal_handler}. Any
     * thread. Replaces this loop's previous handler for that signal. While installed, it replaces
     * the JVM's own reaction to the signal (for INT and TERM: running shutdown hooks and exiting);
     * {@link #removeSignalHandler} and {@link #close()} restore it. Platform limits are in
     * {@code docs/operations.md}.
     *
     * @throws IllegalArgumentException if {@code name} is not INT, TERM or HUP, or the platform
     *         or the JVM (for example under {@code -Xrs}) does not let the signal be handled
     * @throws IllegalStateException if the loop is closed
     */
    public void addSignalHandler(String name, Runnable handler) {
        Objects.requireNonNull(handler, "handler");
        checkNotClosed("addSignalHandler");
        SignalHandlers.add(this, signalHandlers, name, handler);
    }

    /**
     * Removes this loop's handler for signal {@code name} and restores what was installed before
     * (normally the JVM's own handler): asyncio's {@code loop.remove_signal_handler}. Any thread.
     *
     * @return whether a handler was installed
     * @throws IllegalArgumentException if {@code name} is not INT, TERM or HUP
     */
    public boolean removeSignalHandler(String name) {
        return SignalHandlers.remove(signalHandlers, name);
    }

    // ================================================================== scheduling

    /**
     * Schedules {@code callback} to run on the next iteration, after the callbacks already
     * scheduled: asyncio's {@code call_soon}. Loop thread only.
     *
     * @throws IllegalStateException if the loop is closed or this is not the loop thread
     */
    public Handle callSoon(Runnable callback) {
        Objects.requireNonNull(callback, "callback");
        checkThread("EventLoop.callSoon");
        checkNotClosed("callSoon");
        Handle h = new Handle(callback);
        scheduler.addReady(h);
        return h;
    }

    /**
     * Schedules {@code callback} to run once {@code delay} has passed: asyncio's
     * {@code call_later}. A negative delay is legal and means "already due"; timers with earlier
     * deadlines still run first. A huge delay saturates instead of overflowing. Timers with the
     * same deadline run in the order they were scheduled. Loop thread only.
     */
    public TimerHandle callLater(Duration delay, Runnable callback) {
        Objects.requireNonNull(delay, "delay");
        Objects.requireNonNull(callback, "callback");
        checkThread("EventLoop.callLater");
        return callAt(Clock.saturatedAdd(time(), Clock.saturatedNanos(delay)), callback);
    }

    /**
     * Schedules {@code callback} at {@code deadlineNanos} on the {@link #time()} scale: asyncio's
     * {@code call_at}. Loop thread only.
     */
    public TimerHandle callAt(long deadlineNanos, Runnable callback) {
        Objects.requireNonNull(callback, "callback");
        checkThread("EventLoop.callAt");
        checkNotClosed("callAt");
        TimerHandle t = new TimerHandle(this, deadlineNanos, callback);
        scheduler.addTimer(t);
        return t;
    }

    /** The loop's clock: monotonic nanoseconds ({@link System#nanoTime()}), the scale of {@link #callAt}. */
    public long time() {
        return clock.nanoTime();
    }

    /**
     * Schedules {@code callback} from any thread: the door into the loop, asyncio's
     * {@code call_soon_threadsafe}. Wakes the loop if it is blocked in select. It keeps FIFO order
     * with {@link #callSoon} on the loop thread: what was sent first runs first.
     *
     * @throws IllegalStateException if the loop is closed: the callback will never run, so the
     *         caller learns it instead of losing it silently
     */
    public Handle callSoonThreadsafe(Runnable callback) {
        Objects.requireNonNull(callback, "callback");
        Handle h = new Handle(callback);
        if (!scheduler.offer(h)) {
            throw closedError("callSoonThreadsafe");
        }
        return h;
    }

    /** {@link #callSoonThreadsafe} that returns false instead of throwing when the loop is closed. */
    boolean callSoonThreadsafeIfOpen(Runnable callback) {
        return scheduler.offer(callback);
    }

    /**
     * Runs {@code coroutine} as a task on this loop, from any thread: asyncio's
     * {@code run_coroutine_threadsafe}. The returned {@link CompletableFuture} completes with the
     * task's outcome; cancelling it (for example after a timed-out {@code get}) cancels the task.
     * Its blocking methods throw on the loop thread instead of deadlocking.
     *
     * @throws IllegalStateException if the loop is closed
     */
    public <T> CompletableFuture<T> submit(Supplier<? extends Future<T>> coroutine) {
        Objects.requireNonNull(coroutine, "coroutine");
        LoopCompletableFuture<T> cf = new LoopCompletableFuture<>(this);
        callSoonThreadsafe(() -> {
            if (cf.isDone()) {
                return; // cancelled before it reached the loop: never start
            }
            Task<T> task;
            try {
                task = createTask(coroutine);
            } catch (RuntimeException e) {
                cf.completeExceptionally(e);
                return;
            }
            cf.follow(task);
        });
        return cf;
    }

    /** A new pending future bound to this loop: asyncio's {@code create_future}. */
    public <T> Future<T> createFuture() {
        Future<T> f = new Future<>(this);
        if (debug) {
            f.site = Diagnostics.creationSite(); // debug mode only: a stack walk per future
        }
        return f;
    }

    /** {@link #createTask(String, Supplier)} with the default name "Task-N". */
    public <T> Task<T> createTask(Supplier<? extends Future<T>> body) {
        return createTask(null, body);
    }

    /**
     * Wraps {@code body} in a task that starts on the next iteration: asyncio's
     * {@code create_task}. The loop holds the task until it is done.
     *
     * @param name the task's name, or null for "Task-N"
     * @throws IllegalStateException if the loop is closed or this is not the loop thread
     */
    public <T> Task<T> createTask(String name, Supplier<? extends Future<T>> body) {
        Objects.requireNonNull(body, "body");
        checkThread("EventLoop.createTask");
        checkNotClosed("createTask");
        Task<T> task = new Task<>(this, tasks.nextId(), name, body);
        tasks.add(task);
        JfrEvents.taskCreated(task);
        task.start();
        return task;
    }

    /** The tasks that are not done yet, in no particular order: asyncio's {@code all_tasks}. */
    public List<Task<?>> allTasks() {
        return tasks.all();
    }

    /** The task whose step is running, or null outside any task: asyncio's {@code current_task}. */
    public Task<?> currentTask() {
        checkThread("EventLoop.currentTask");
        return currentTask;
    }

    // ================================================================== readiness

    /**
     * Calls {@code callback} on the loop whenever {@code channel} is readable (or, for a server
     * channel, has a connection to accept), until {@link #removeReader}: asyncio's
     * {@code add_reader}. Replaces a previous reader of the channel.
     *
     * @throws IllegalArgumentException if the channel is blocking, closed, or cannot be read
     */
    public void addReader(SelectableChannel channel, Runnable callback) {
        readiness.addReader(channel, callback);
    }

    /**
     * Calls {@code callback} on the loop whenever {@code channel} is writable (for a socket still
     * connecting: when the connect completes), until {@link #removeWriter}: asyncio's
     * {@code add_writer}.
     *
     * @throws IllegalArgumentException if the channel is blocking, closed, or cannot be written
     */
    public void addWriter(SelectableChannel channel, Runnable callback) {
        readiness.addWriter(channel, callback);
    }

    /** Stops watching {@code channel} for reading. @return whether a reader was registered */
    public boolean removeReader(SelectableChannel channel) {
        return readiness.removeReader(channel);
    }

    /** Stops watching {@code channel} for writing. @return whether a writer was registered */
    public boolean removeWriter(SelectableChannel channel) {
        return readiness.removeWriter(channel);
    }

    /** Channels registered with the poller (cancelled keys not yet flushed included). Loop thread only. */
    int registeredChannels() {
        return scheduler.registeredChannels();
    }

    /** A registered channel was closed: {@link Scheduler#releaseClosed()}. */
    void releaseClosed() {
        scheduler.releaseClosed();
    }

    // ================================================================== networking (io.eventloop.net)

    /**
     * Listens on {@code host}:{@code port}, serving each connection with a new protocol from
     * {@code protocolFactory}: asyncio's {@code loop.create_server()}. See
     * {@link Net#createServer(EventLoop, Supplier, String, int)}.
     */
    public Future<Server> createServer(Supplier<? extends Protocol> protocolFactory, String host, int port) {
        return Net.createServer(this, protocolFactory, host, port);
    }

    /**
     * Connects to {@code host}:{@code port} with a protocol from {@code protocolFactory}: asyncio's
     * {@code loop.create_connection()}, with a 30 s connect timeout. See
     * {@link Net#createConnection(EventLoop, Supplier, String, int)}.
     */
    public Future<Transport> createConnection(Supplier<? extends Protocol> protocolFactory, String host, int port) {
        return Net.createConnection(this, protocolFactory, host, port);
    }

    /** {@link #createConnection(Supplier, String, int)} with a connect timeout (null: none). */
    public Future<Transport> createConnection(Supplier<? extends Protocol> protocolFactory, String host, int port,
            Duration connectTimeout) {
        return Net.createConnection(this, protocolFactory, host, port, connectTimeout);
    }

    /**
     * Serves each connection with {@code handler(reader, writer)}, run as a task; the connection
     * closes when the handler's future completes: asyncio's {@code asyncio.start_server()}. See
     * {@link Net#startServer(EventLoop, BiFunction, String, int)}.
     */
    public Future<Server> startServer(BiFunction<StreamReader, StreamWriter, ? extends Future<?>> handler,
            String host, int port) {
        return Net.startServer(this, handler, host, port);
    }

    /**
     * Connects and returns the reader and writer: asyncio's {@code asyncio.open_connection()}. See
     * {@link Net#openConnection(EventLoop, String, int)}.
     */
    public Future<Connection> openConnection(String host, int port) {
        return Net.openConnection(this, host, port);
    }

    /** Accepts a connection on a non-blocking channel: asyncio's {@code loop.sock_accept()}. */
    public Future<SocketChannel> sockAccept(ServerSocketChannel channel) {
        return Net.sockAccept(this, channel);
    }

    /** Connects a non-blocking channel: asyncio's {@code loop.sock_connect()}. */
    public Future<Void> sockConnect(SocketChannel channel, SocketAddress address) {
        return Net.sockConnect(this, channel, address);
    }

    /** Reads up to {@code maxBytes} (empty at EOF): asyncio's {@code loop.sock_recv()}. */
    public Future<byte[]> sockRecv(SocketChannel channel, int maxBytes) {
        return Net.sockRecv(this, channel, maxBytes);
    }

    /** Reads into {@code dst} (-1 at EOF): asyncio's {@code loop.sock_recv_into()}. */
    public Future<Integer> sockRecvInto(SocketChannel channel, ByteBuffer dst) {
        return Net.sockRecvInto(this, channel, dst);
    }

    /** Sends every remaining byte of {@code data}: asyncio's {@code loop.sock_sendall()}. */
    public Future<Void> sockSendAll(SocketChannel channel, ByteBuffer data) {
        return Net.sockSendAll(this, channel, data);
    }

    /** Sends all of {@code data}: asyncio's {@code loop.sock_sendall()}. */
    public Future<Void> sockSendAll(SocketChannel channel, byte[] data) {
        return Net.sockSendAll(this, channel, data);
    }

    // ================================================================== executor bridge

    /**
     * Runs blocking {@code work} on {@code executor} (null: the default executor) and returns a
     * future that completes on the loop: asyncio's {@code run_in_executor}.
     *
     * <p>Cancelling the future before the work starts means it never starts; while it runs, its
     * thread is interrupted and the future is cancelled at once. The work's outcome crosses back
     * only through {@link #callSoonThreadsafe}; if the loop has closed meanwhile, it is dropped.
     *
     * <p>The default executor has at most {@code min(32, cores + 4)} daemon threads (asyncio's
     * sizing) and an unbounded queue; {@link #run(Supplier)} shuts it down.
     */
    public <T> Future<T> runInExecutor(Executor executor, Callable<T> work) {
        return defaultExecutor.run(executor, work);
    }

    /**
     * Shuts the default executor down and completes once its threads have finished, or after
     * {@code timeout} with a warning: asyncio's {@code shutdown_default_executor}.
     */
    public Future<Void> shutdownDefaultExecutor(Duration timeout) {
        return defaultExecutor.shutdown(timeout);
    }

    /** The default executor if it was created, for tests. */
    ExecutorService defaultExecutorIfCreated() {
        return defaultExecutor.ifCreated();
    }

    // ================================================================== errors

    /**
     * Sets the handler for errors that have nowhere else to go; null restores the default, which
     * logs through SLF4J. asyncio's {@code set_exception_handler}.
     */
    public void setExceptionHandler(ExceptionHandler handler) {
        this.exceptionHandler = handler;
    }

    /**
     * Passes {@code context} to the exception handler: asyncio's {@code call_exception_handler}.
     * If the handler throws, that is logged ("Unhandled error in exception handler") and the loop
     * goes on.
     */
    public void callExceptionHandler(ErrorContext context) {
        Objects.requireNonNull(context, "context");
        ExceptionHandler handler = exceptionHandler;
        if (handler == null) {
            log.error("{}", context, context.exception());
            return;
        }
        try {
            handler.handle(this, context);
        } catch (Exception e) {
            log.error("Unhandled error in exception handler while handling: {}", context, e);
        }
    }

    /** {@code future} failed with no listener: it is reported unless someone looks at it in time. */
    void unretrievedFailure(Future<?> future) {
        unretrieved.add(future);
    }

    // ================================================================== internals

    /** Adds an internal callback to the ready queue. */
    void schedule(Runnable callback) {
        checkNotClosed("schedule a callback");
        scheduler.addReady(callback);
    }

    /** A scheduled timer was cancelled: it leaves the heap now. */
    void timerCancelled(TimerHandle timer) {
        scheduler.timerCancelled(timer);
    }

    /** {@code task} is done: it leaves the live tasks. */
    void taskFinished(Task<?> task) {
        tasks.remove(task);
    }

    /**
     * Throws {@link IllegalStateException} unless called on the loop thread, with the message every
     * loop-affine call of this library gives: who called, from which thread, which thread the loop
     * belongs to, and the door for other threads. For code built on the loop (such as
     * {@code io.eventloop.net}) that wants the same rule; {@link #inLoopThread()} is the question
     * without the throw. asyncio checks this only in debug mode ({@code _check_thread}).
     *
     * @param method what was called, for the message (for example {@code "Transport.write"})
     */
    public void checkThread(String method) {
        Thread t = thread;
        if (t != Thread.currentThread()) {
            throw new IllegalStateException(method + " called from thread '" + Thread.currentThread().getName()
                    + "', but " + this + " belongs to thread '" + t.getName()
                    + "'; from other threads use EventLoop.callSoonThreadsafe or EventLoop.submit");
        }
    }

    /** Throws {@link IllegalStateException} if the loop is closed, naming {@code method}. */
    void checkNotClosed(String method) {
        if (closed) {
            throw closedError(method);
        }
    }

    private IllegalStateException closedError(String method) {
        return new IllegalStateException(method + ": " + this + " is closed");
    }

    /** For reports: {@link Scheduler#timerFor}, whether a live timer completes {@code f}. */
    String timerFor(Future<?> f) {
        return scheduler.timerFor(f);
    }

    /** The loop thread (the runner, else the creator or last runner). */
    Thread thread() {
        return thread;
    }

    /** Number of timers in the heap. For tests. */
    int timerCount() {
        return scheduler.timerCount();
    }

    /** Callbacks waiting in the ready queue. For tests. */
    int readyCount() {
        return scheduler.readyCount();
    }

    /** {@link Clock#saturatedNanos}; {@code Async} calls it by this name. */
    static long saturatedNanos(Duration d) {
        return Clock.saturatedNanos(d);
    }

    @Override
    public String toString() {
        return "EventLoop@" + Integer.toHexString(System.identityHashCode(this))
                + (closed ? "[closed]" : running ? "[running]" : "[idle]");
    }

    /**
     * Settings of a loop; immutable, each setter returns a copy.
     *
     * <pre>{@code new EventLoop(EventLoop.Options.defaults().debug(true).slowCallbackDuration(Duration.ofMillis(50)))}</pre>
     *
     * <p>Compared with asyncio: {@code debug} is {@code loop.set_debug()} / {@code PYTHONASYNCIODEBUG}
     * (here the system property {@code eventloop.debug}), {@code slowCallbackDuration} is
     * {@code loop.slow_callback_duration}; the watchdog has no asyncio counterpart.
     */
    public static final class Options {
        /** The system property that turns debug mode on for {@link #defaults()}. */
        public static final String DEBUG_PROPERTY = "eventloop.debug";
        private static final Duration DEFAULT_SLOW = Duration.ofMillis(100);
        private static final Duration DEFAULT_WATCHDOG = Duration.ofSeconds(1);
        private static final Options DEFAULTS = new Options(Duration.ofSeconds(300),
                Boolean.getBoolean(DEBUG_PROPERTY), DEFAULT_SLOW, null, false);

        private final Duration executorShutdownTimeout;
        private final boolean debug;
        private final Duration slowCallbackDuration;
        /** The watchdog threshold; null: the debug-mode default (on in debug mode, off otherwise). */
        private final Duration watchdog;
        /** Whether {@link #watchdog} was set explicitly (null then means "off"). */
        private final boolean watchdogSet;

        private Options(Duration executorShutdownTimeout, boolean debug, Duration slowCallbackDuration,
                Duration watchdog, boolean watchdogSet) {
            this.executorShutdownTimeout = executorShutdownTimeout;
            this.debug = debug;
            this.slowCallbackDuration = slowCallbackDuration;
            this.watchdog = watchdog;
            this.watchdogSet = watchdogSet;
        }

        /**
         * The defaults: a 300 s executor shutdown timeout, as asyncio's {@code asyncio.run}; debug
         * mode off unless the system property {@code eventloop.debug} is {@code true}; a 100 ms
         * slow-callback threshold; the watchdog on (1 s) only in debug mode.
         */
        public static Options defaults() {
            return DEFAULTS;
        }

        /**
         * How long {@link EventLoop#run(Supplier)} waits for the default executor's threads.
         *
         * @throws IllegalArgumentException if negative
         */
        public Options executorShutdownTimeout(Duration timeout) {
            Objects.requireNonNull(timeout, "timeout");
            if (timeout.isNegative()) {
                throw new IllegalArgumentException("executorShutdownTimeout must not be negative: " + timeout);
            }
            return new Options(timeout, debug, slowCallbackDuration, watchdog, watchdogSet);
        }

        /** How long {@link EventLoop#run(Supplier)} waits for the default executor's threads. */
        public Duration executorShutdownTimeout() {
            return executorShutdownTimeout;
        }

        /**
         * Turns debug mode on or off: slow callbacks and task steps are logged, tasks and futures
         * from {@link EventLoop#createFuture()} record where they were created, and the watchdog is
         * on unless set with {@link #watchdog(Duration)}. asyncio's {@code loop.set_debug()}.
         */
        public Options debug(boolean on) {
            return new Options(executorShutdownTimeout, on, slowCallbackDuration, watchdog, watchdogSet);
        }

        /** Whether debug mode is on. */
        public boolean debug() {
            return debug;
        }

        /**
         * In debug mode, a callback or task step running longer than this is logged: asyncio's
         * {@code slow_callback_duration}. Default 100 ms.
         *
         * @throws IllegalArgumentException if negative
         */
        public Options slowCallbackDuration(Duration threshold) {
            Objects.requireNonNull(threshold, "threshold");
            if (threshold.isNegative()) {
                throw new IllegalArgumentException("slowCallbackDuration must not be negative: " + threshold);
            }
            return new Options(executorShutdownTimeout, debug, threshold, watchdog, watchdogSet);
        }

        /** The slow-callback threshold of debug mode. */
        public Duration slowCallbackDuration() {
            return slowCallbackDuration;
        }

        /**
         * Sets the watchdog: a loop thread that has not come back from one callback or task step
         * for longer than {@code threshold} is reported with its stack, while it is still stuck.
         * Works without debug mode; {@code null} turns it off, also in debug mode. Default: 1 s in
         * debug mode, off otherwise.
         *
         * @throws IllegalArgumentException if zero or negative
         */
        public Options watchdog(Duration threshold) {
            if (threshold != null && (threshold.isNegative() || threshold.isZero())) {
                throw new IllegalArgumentException("watchdog threshold must be positive: " + threshold);
            }
            return new Options(executorShutdownTimeout, debug, slowCallbackDuration, threshold, true);
        }

        /** The watchdog threshold in effect, or null when the watchdog is off. */
        public Duration watchdog() {
            return watchdogSet ? watchdog : debug ? DEFAULT_WATCHDOG : null;
        }
    }
}
