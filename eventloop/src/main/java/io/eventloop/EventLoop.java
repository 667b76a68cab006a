package io.eventloop;

import io.eventloop.internal.LoopAccess;
import io.eventloop.net.Connection;
import io.eventloop.net.DatagramProtocol;
import io.eventloop.net.DatagramTransport;
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
import java.util.function.BiFunction;
import java.util.function.Supplier;

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
 * <p><b>Diagnostics</b> ({@code docs/operations.md}): {@link Options Options.debug(boolean)} (or
 * {@code -Deventloop.debug=true}) logs slow callbacks and records where tasks and futures were
 * created; {@link Options Options.watchdog} reports a loop thread stuck in one callback while it is stuck;
 * {@link #metrics()} counts iterations, callbacks, timer lag and idle time; {@link #addSignalHandler}
 * handles INT, TERM and HUP on the loop. With debug mode and the watchdog off, none of it costs
 * anything per callback.
 *
 * <p><b>What is in this file.</b> The public API and the loop's own state. The methods delegate
 * to package-private classes named for what they hold, mapped in {@code package-info}:
 * {@code Scheduler} (the iteration and its queues), {@code LoopRuns}, {@code LoopSettings}
 * (the body of {@link Options}), {@code Readiness}, {@code LiveTasks}, {@code DefaultExecutor}.
 *
 * <p><b>Compared with asyncio:</b> the same names in Java case ({@code call_soon} is
 * {@link #callSoon}); time is {@code long} nanoseconds; {@code run_coroutine_threadsafe} is
 * {@link #submit}; live tasks are held strongly. <b>Compared with an
 * {@code ExecutorService}:</b> one thread, never blocked by design, and callbacks scheduled
 * from a callback run on the next iteration, after I/O has been polled.
 */
public final class EventLoop implements AutoCloseable {
    static {
        LoopAccess.install(new Readiness.NetAccess());
    }

    /** The loop's clock, for {@link #time()}; the scheduler reads the same one. */
    private final Clock clock;
    /** Debug mode (see {@link Options#debug(boolean)}). Final: the JIT folds the checks away. */
    final boolean debug;
    /** The signal handlers this loop installed. */
    private final SignalHandlers signalHandlers = new SignalHandlers(this);
    /** The iteration, and the ready queue, timer heap and inbox it drains. */
    final Scheduler scheduler;
    /** What reports call this loop besides its hash (a test kit names a loop after its test); null: none. */
    String name;
    /** Which channels the poller watches, and what each ready key queues; made by the scheduler. Loop thread only. */
    final Readiness readiness;

    /** How this loop is run: entering and leaving a run, the rule of one run per thread. */
    private final LoopRuns runs;
    /** The loop thread: the runner while running, else the creator or last runner. Any thread reads. */
    volatile Thread thread;
    /** Whether a run is under way; {@link #thread} and this are written by {@link LoopRuns}. Any thread reads. */
    volatile boolean running;
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
     * Continuations of the running task whose source just finished its step: they go on in the same
     * callback, after it, not one iteration later (see {@link Waiting#wake()}). Loop thread only.
     */
    final ArrayDeque<Waiting<?>> continuations = new ArrayDeque<>();
    /** The tasks not done yet, held strongly. Loop thread only. */
    final LiveTasks tasks = new LiveTasks(this);
    private volatile ExceptionHandler exceptionHandler;
    /** {@link #runInExecutor}'s default executor, created on first use. Loop thread only. */
    final DefaultExecutor defaultExecutor = new DefaultExecutor(this);

    /** A loop with default {@link Options}. Not running until {@link #runForever()} or {@link #runUntilComplete}. */
    public EventLoop() {
        this(Options.defaults());
    }

    /**
     * A loop with the given options.
     *
     * @param options its settings: debug mode, thresholds, the executor's shutdown timeout
     */
    public EventLoop(Options options) {
        this(options, Clock.SYSTEM, new NioPoller());
    }

    /** The seam for scheduler tests: fake time and a fake poller. */
    EventLoop(Options options, Clock clock, Poller poller) {
        Objects.requireNonNull(options, "options");
        this.clock = clock;
        this.debug = options.debug();
        this.scheduler = new Scheduler(this, options, clock, poller);
        this.readiness = scheduler.readiness;
        this.thread = Thread.currentThread();
        this.runs = new LoopRuns(this, scheduler);
    }

    // ================================================================== entry points

    /**
     * Runs {@code main} as a task named "main" on a new loop and returns its value, then cancels the
     * tasks still pending and waits for them (reporting their failures to the exception handler),
     * shuts the default executor down and closes the loop: asyncio's {@code asyncio.run()}.
     *
     * @param <T> the type of main's value
     * @param main starts the program's main task and returns its future; called on the loop thread
     * @return main's value
     * @throws RuntimeException main's failure (or what main threw) as it is when unchecked; a checked one wrapped in
     *         {@link java.util.concurrent.CompletionException}; {@link java.util.concurrent.CancellationException}
     *         if main was cancelled
     * @throws IllegalStateException when called from a running loop
     */
    public static <T> T run(ThrowingSupplier<? extends Future<T>> main) {
        return run(Options.defaults(), main);
    }

    /**
     * {@link #run(ThrowingSupplier)} with options.
     *
     * @param <T> the type of main's value
     * @param options the new loop's settings
     * @param main starts the program's main task and returns its future; called on the loop thread
     * @return main's value
     */
    public static <T> T run(Options options, ThrowingSupplier<? extends Future<T>> main) {
        return LoopRuns.run(options, main);
    }

    /**
     * The loop running on this thread, else the one it created or ran last if not closed: asyncio's
     * {@code get_running_loop()}, relaxed so that {@code new EventLoop()} then
     * {@code loop.runUntilComplete(Async.sleep(...))} works.
     *
     * @return the loop of this thread
     * @throws IllegalStateException when this thread has no such loop
     */
    public static EventLoop current() {
        return LoopRuns.current();
    }

    /**
     * Runs the loop until {@code future} is done and returns its value: asyncio's
     * {@code run_until_complete}.
     *
     * @param <T> the type of the future's value
     * @param future the future to run the loop for, of this loop
     * @return the future's value
     * @throws IllegalArgumentException if the future belongs to another loop
     * @throws IllegalStateException if the loop is closed, already running, another loop runs on
     *         this thread, or the loop was stopped before the future completed (the future stays
     *         pending; a later run can finish it)
     * @throws RuntimeException the future's failure, as {@link Future#result()} throws it
     */
    public <T> T runUntilComplete(Future<T> future) {
        return runs.runUntilComplete(future);
    }

    /**
     * Runs iterations until {@link #stop()} is called: asyncio's {@code run_forever}. If
     * {@code stop()} was called before, runs exactly one iteration, polling I/O without waiting.
     * An {@link Error} thrown by a callback ends the run and propagates; the loop can run again.
     *
     * @throws IllegalStateException if closed, already running, or another loop runs on this thread
     */
    public void runForever() {
        runs.runForever();
    }

    /**
     * Runs one of {@link #runForever()}'s iterations, for a host with a loop of its own (a game
     * loop, a GUI's idle hook), except that it always polls I/O, waiting at most {@code maxWait}
     * (rounded up to milliseconds) if nothing is due sooner; {@link #stop()} has no effect beyond
     * it. The calling thread is the loop thread meanwhile: call it from one thread. asyncio keeps
     * {@code _run_once} private; Netty's {@code ManualIoEventLoop} allows the same. Details:
     * {@code docs/guide.md}, "A loop driven by its host".
     *
     * @param maxWait the longest time to wait for I/O when nothing is due sooner; zero polls
     *     without waiting
     * @return the number of callbacks run
     * @throws IllegalArgumentException if {@code maxWait} is negative
     * @throws IllegalStateException if closed, already running (for example inside
     *         {@link #runForever()}), or another loop runs on this thread
     */
    public int runOnce(Duration maxWait) {
        return runs.runOnce(maxWait);
    }

    /**
     * Asks the loop to stop after the current iteration. Loop thread only; from another thread
     * use {@code loop.callSoonThreadsafe(loop::stop)}.
     */
    public void stop() {
        checkThread("EventLoop.stop");
        scheduler.stop();
    }

    /**
     * Whether the loop is running (in {@link #runForever()} or {@link #runUntilComplete}). Any thread.
     *
     * @return true from the start of a run until it returns
     */
    public boolean isRunning() {
        return running;
    }

    /**
     * Whether the loop runs in debug mode ({@link Options#debug(boolean)}, or
     * {@code -Deventloop.debug=true}): asyncio's {@code loop.get_debug()}. Fixed when the loop is
     * made. Any thread.
     *
     * @return true in debug mode
     */
    public boolean isDebug() {
        return debug;
    }

    /**
     * Whether {@link #close()} was called. Any thread.
     *
     * @return true once the loop is closed
     */
    public boolean isClosed() {
        return closed;
    }

    /**
     * Whether the calling thread is the loop thread.
     *
     * @return true on the thread that runs this loop
     */
    public boolean inLoopThread() {
        return thread == Thread.currentThread();
    }

    /**
     * Closes the loop: reports tasks still pending ("Task was destroyed but it is pending") and
     * failures nobody retrieved to the exception handler, lets each pending task whose body runs
     * in steps release it ({@link Task.Stepper#abandoned()}: a suspended body runs its
     * {@code finally} blocks), drops every scheduled callback and timer,
     * releases the selector and shuts the default executor down without waiting. Idempotent; then
     * every scheduling call throws {@link IllegalStateException}. Any thread, once it has stopped.
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
            scheduler.unretrieved.report();
            signalHandlers.removeAll();
            tasks.reportPending();
            tasks.abandonPending();
        } finally {
            tasks.clear();
            scheduler.clear();
            defaultExecutor.shutdownWithoutWaiting();
            scheduler.closePoller();
            runs.closed();
        }
    }

    // ================================================================== the iteration and its counters (Scheduler)

    /** One iteration: {@link Scheduler#runOnce()}, where its phases are. */
    void runOnce() {
        scheduler.runOnce();
    }

    /**
     * A snapshot of this loop's counters (iterations, callbacks run, timer lag, busy and idle time,
     * pending tasks, registered channels), from any thread. {@link LoopMetrics} says what each
     * costs and how current a snapshot taken on another thread is.
     *
     * @return the counters as they are now
     */
    public LoopMetrics metrics() {
        return scheduler.metrics(tasks);
    }

    // ================================================================== signals

    /**
     * Runs {@code handler} on the loop thread whenever the process receives signal {@code name}
     * ("INT", "TERM" or "HUP"): asyncio's {@code loop.add_signal_handler}. Any thread. It replaces
     * this loop's previous handler for that signal and, until {@link #removeSignalHandler} or
     * {@link #close()}, the JVM's own reaction (for INT and TERM: running shutdown hooks and
     * exiting). A signal the process ignores (INT in a script's {@code java ... &}, HUP under
     * {@code nohup}) cannot be handled: a warning says so. Platform limits: {@code docs/operations.md}.
     *
     * @param name the signal: "INT", "TERM" or "HUP"
     * @param handler what to run on the loop thread each time the signal arrives
     * @throws IllegalArgumentException if {@code name} is not INT, TERM or HUP, or the platform
     *         or the JVM (for example under {@code -Xrs}) does not let the signal be handled
     * @throws IllegalStateException if the loop is closed
     */
    public void addSignalHandler(String name, Runnable handler) {
        signalHandlers.add(name, handler);
    }

    /**
     * Removes this loop's handler for signal {@code name} and restores what was installed before
     * (normally the JVM's own handler): asyncio's {@code loop.remove_signal_handler}. Any thread.
     *
     * @param name the signal: "INT", "TERM" or "HUP"
     * @return whether a handler was installed
     * @throws IllegalArgumentException if {@code name} is not INT, TERM or HUP
     */
    public boolean removeSignalHandler(String name) {
        return signalHandlers.remove(name);
    }

    // ================================================================== scheduling

    /**
     * Schedules {@code callback} to run on the next iteration, after the callbacks already
     * scheduled: asyncio's {@code call_soon}. Loop thread only.
     *
     * @param callback what to run; if it throws, the exception goes to the exception handler
     * @return a handle that cancels the call
     * @throws IllegalStateException if the loop is closed or this is not the loop thread
     */
    public Handle callSoon(Runnable callback) {
        Objects.requireNonNull(callback, "callback");
        checkThread("EventLoop.callSoon");
        checkNotClosed("callSoon");
        Handle h = new Handle(callback, Context.capture(this)); // it runs with the TaskLocal values of now
        scheduler.addReady(h);
        return h;
    }

    /**
     * Schedules {@code callback} to run once {@code delay} has passed: asyncio's {@code call_later}.
     * A negative delay means "already due" (earlier deadlines still run first); a huge one
     * saturates. Timers with the same deadline run in scheduling order. Loop thread only.
     *
     * @param delay how long from now
     * @param callback what to run; if it throws, the exception goes to the exception handler
     * @return a handle that cancels the timer
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
     *
     * @param deadlineNanos when to run it, in {@link #time()} nanoseconds
     * @param callback what to run; if it throws, the exception goes to the exception handler
     * @return a handle that cancels the timer
     */
    public TimerHandle callAt(long deadlineNanos, Runnable callback) {
        Objects.requireNonNull(callback, "callback");
        checkThread("EventLoop.callAt");
        checkNotClosed("callAt");
        TimerHandle t = new TimerHandle(this, deadlineNanos, callback, Context.capture(this));
        scheduler.addTimer(t);
        return t;
    }

    /**
     * The loop's clock: monotonic nanoseconds ({@link System#nanoTime()}), the scale of {@link #callAt}.
     *
     * @return the current time in nanoseconds, only meaningful compared with another reading
     */
    public long time() {
        return clock.nanoTime();
    }

    /**
     * Schedules {@code callback} from any thread: the door into the loop, asyncio's
     * {@code call_soon_threadsafe}. Wakes the loop if it is blocked in select. FIFO with
     * {@link #callSoon}: what was sent first runs first.
     *
     * @param callback what to run on the loop thread; if it throws, the exception goes to the
     *     exception handler
     * @return a handle that cancels the call if it has not run yet
     * @throws IllegalStateException if the loop is closed: the callback will never run, so the
     *         caller learns it instead of losing it silently
     */
    public Handle callSoonThreadsafe(Runnable callback) {
        Objects.requireNonNull(callback, "callback");
        Handle h = new Handle(callback, Context.current()); // the calling thread's TaskLocal values
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
     * {@code run_coroutine_threadsafe}. The {@link CompletableFuture} completes with the task's outcome;
     * cancelling it (say, after a timed-out {@code get}) cancels the task. Its blocking methods
     * throw on the loop thread instead of deadlocking.
     *
     * @param <T> the type of the task's value
     * @param coroutine starts the work on the loop thread and returns its future
     * @return a future for other threads, completed with the task's outcome
     * @throws IllegalStateException if the loop is closed
     */
    public <T> CompletableFuture<T> submit(ThrowingSupplier<? extends Future<T>> coroutine) {
        return LoopCompletableFuture.submit(this, coroutine);
    }

    /**
     * A new pending future bound to this loop: asyncio's {@code create_future}.
     *
     * @param <T> the type of the future's value
     * @return a pending future that completes on this loop
     */
    public <T> Future<T> createFuture() {
        Future<T> f = new Future<>(this);
        if (debug) {
            f.site = Diagnostics.creationSite(); // debug mode only: a stack walk per future
        }
        return f;
    }

    /**
     * {@link #createTask(String, ThrowingSupplier)} with the default name "Task-N".
     *
     * @param <T> the type of the task's value
     * @param body starts the work and returns its future; runs on the next iteration
     * @return the task, already scheduled
     */
    public <T> Task<T> createTask(ThrowingSupplier<? extends Future<T>> body) {
        return createTask(null, body);
    }

    /**
     * Wraps {@code body} in a task that starts on the next iteration: asyncio's {@code create_task}.
     * The loop holds the task until it is done. A body that throws, checked or not, fails the task.
     *
     * @param <T> the type of the task's value
     * @param name the task's name, or null for "Task-N"
     * @param body starts the work and returns its future; runs on the next iteration
     * @return the task, already scheduled
     * @throws IllegalStateException if the loop is closed or this is not the loop thread
     */
    public <T> Task<T> createTask(String name, ThrowingSupplier<? extends Future<T>> body) {
        Objects.requireNonNull(body, "body");
        checkThread("EventLoop.createTask");
        checkNotClosed("createTask");
        Task<T> task = new Task<>(this, tasks.nextId(), name, body);
        tasks.add(task);
        JfrEvents.taskCreated(task);
        task.start();
        return task;
    }

    /**
     * A task whose body runs in steps that {@code stepper} drives: the hook for bodies that suspend
     * without returning a future, such as a one-shot continuation (the optional
     * {@code eventloop-await} module builds its straight-line {@code await} on it). Everything
     * else is as for {@link #createTask(String, ThrowingSupplier)}: the first step runs on the
     * next iteration, the loop holds the task until it is done, cancellation, timeouts, task
     * groups and reports treat it like any task. asyncio's {@code create_task(coro)} drives a
     * coroutine the same way; see {@link Task.Stepper}.
     *
     * @param <T> the type of the task's value
     * @param name the task's name, or null for "Task-N"
     * @param stepper runs the body's steps
     * @return the task, already scheduled
     * @throws IllegalStateException if the loop is closed or this is not the loop thread
     */
    public <T> Task<T> createSteppedTask(String name, Task.Stepper<T> stepper) {
        Objects.requireNonNull(stepper, "stepper");
        checkThread("EventLoop.createSteppedTask");
        checkNotClosed("createSteppedTask");
        Task<T> task = new Task<>(this, tasks.nextId(), name, stepper);
        tasks.add(task);
        JfrEvents.taskCreated(task);
        task.start();
        return task;
    }

    /**
     * The tasks that are not done yet, in no particular order: asyncio's {@code all_tasks}.
     *
     * @return a new list of the live tasks
     */
    public List<Task<?>> allTasks() {
        return tasks.all();
    }

    /**
     * The task whose step is running, or null outside any task: asyncio's {@code current_task}.
     *
     * @return the running task, or null
     */
    public Task<?> currentTask() {
        checkThread("EventLoop.currentTask");
        return currentTask;
    }

    // ================================================================== readiness

    /**
     * Calls {@code callback} on the loop whenever {@code channel} is readable (a server channel: has a
     * connection to accept) until {@link #removeReader}, replacing its previous reader: asyncio's
     * {@code add_reader}.
     *
     * @param channel a non-blocking channel to watch
     * @param callback what to run each time it is readable
     * @throws IllegalArgumentException if the channel is blocking, closed, or cannot be read
     */
    public void addReader(SelectableChannel channel, Runnable callback) {
        readiness.addReader(channel, callback);
    }

    /**
     * Calls {@code callback} on the loop whenever {@code channel} is writable (a socket still
     * connecting: when the connect completes) until {@link #removeWriter}: asyncio's {@code add_writer}.
     *
     * @param channel a non-blocking channel to watch
     * @param callback what to run each time it is writable
     * @throws IllegalArgumentException if the channel is blocking, closed, or cannot be written
     */
    public void addWriter(SelectableChannel channel, Runnable callback) {
        readiness.addWriter(channel, callback);
    }

    /**
     * Stops watching {@code channel} for reading.
     *
     * @param channel the channel to stop watching
     * @return whether a reader was registered
     */
    public boolean removeReader(SelectableChannel channel) {
        return readiness.removeReader(channel);
    }

    /**
     * Stops watching {@code channel} for writing.
     *
     * @param channel the channel to stop watching
     * @return whether a writer was registered
     */
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
     *
     * @param protocolFactory makes the protocol of each accepted connection
     * @param host the name or address to listen on; null or empty for every interface
     * @param port the port to listen on; 0 picks a free one
     * @return the server, once it listens on every address
     */
    public Future<Server> createServer(Supplier<? extends Protocol> protocolFactory, String host, int port) {
        return Net.createServer(this, protocolFactory, host, port);
    }

    /**
     * Connects to {@code host}:{@code port} with a protocol from {@code protocolFactory}: asyncio's
     * {@code loop.create_connection()}, with a 30 s connect timeout. See
     * {@link Net#createConnection(EventLoop, Supplier, String, int)}.
     *
     * @param protocolFactory makes the connection's protocol, once connected
     * @param host the name or address to connect to
     * @param port the port to connect to
     * @return the connection's transport, once connected
     */
    public Future<Transport> createConnection(Supplier<? extends Protocol> protocolFactory, String host, int port) {
        return Net.createConnection(this, protocolFactory, host, port);
    }

    /**
     * {@link #createConnection(Supplier, String, int)} with a connect timeout (null: none).
     *
     * @param protocolFactory makes the connection's protocol, once connected
     * @param host the name or address to connect to
     * @param port the port to connect to
     * @param connectTimeout how long the lookup and the connect may take together; null for no
     *     limit of ours
     * @return the connection's transport, once connected
     */
    public Future<Transport> createConnection(Supplier<? extends Protocol> protocolFactory, String host, int port,
            Duration connectTimeout) {
        return Net.createConnection(this, protocolFactory, host, port, connectTimeout);
    }

    /**
     * Serves each connection with {@code handler(reader, writer)}, run as a task; the connection
     * closes when the handler's future completes: asyncio's {@code asyncio.start_server()}. See
     * {@link Net#startServer(EventLoop, BiFunction, String, int)}.
     *
     * @param handler called with each connection's reader and writer; the connection closes when
     *     its future completes
     * @param host the name or address to listen on; null or empty for every interface
     * @param port the port to listen on; 0 picks a free one
     * @return the server, once it listens on every address
     */
    public Future<Server> startServer(BiFunction<StreamReader, StreamWriter, ? extends Future<?>> handler,
            String host, int port) {
        return Net.startServer(this, handler, host, port);
    }

    /**
     * Connects and returns the reader and writer: asyncio's {@code asyncio.open_connection()}.
     * See {@link Net#openConnection(EventLoop, String, int)}.
     *
     * @param host the name or address to connect to
     * @param port the port to connect to
     * @return the connection's reader and writer, once connected
     */
    public Future<Connection> openConnection(String host, int port) {
        return Net.openConnection(this, host, port);
    }

    /**
     * Makes a UDP endpoint bound to {@code local} and, if given, connected to {@code remote}, with
     * a protocol from {@code protocolFactory}: asyncio's {@code loop.create_datagram_endpoint()}.
     * Completes with the transport (the protocol is {@link DatagramTransport#protocol()}). See
     * {@link Net#createDatagramEndpoint(EventLoop, Supplier, SocketAddress, SocketAddress,
     * io.eventloop.net.DatagramOptions)} for the options.
     *
     * @param protocolFactory makes the endpoint's protocol, once the socket is set up
     * @param local the address to bind; null for the wildcard address and a free port
     * @param remote the address to connect to; null for an endpoint that sends anywhere
     * @return the endpoint's transport, once bound (and connected)
     */
    public Future<DatagramTransport> createDatagramEndpoint(Supplier<? extends DatagramProtocol> protocolFactory,
            SocketAddress local, SocketAddress remote) {
        return Net.createDatagramEndpoint(this, protocolFactory, local, remote);
    }

    /**
     * Accepts a connection on a non-blocking channel: asyncio's {@code loop.sock_accept()}.
     *
     * @param channel the listening channel, in non-blocking mode
     * @return the accepted connection's channel
     */
    public Future<SocketChannel> sockAccept(ServerSocketChannel channel) {
        return Net.sockAccept(this, channel);
    }

    /**
     * Connects a non-blocking channel: asyncio's {@code loop.sock_connect()}.
     *
     * @param channel the channel to connect, in non-blocking mode
     * @param address where to connect, resolved or not
     * @return a future that completes once connected
     */
    public Future<Void> sockConnect(SocketChannel channel, SocketAddress address) {
        return Net.sockConnect(this, channel, address);
    }

    /**
     * Reads up to {@code maxBytes} (empty at EOF): asyncio's {@code loop.sock_recv()}.
     *
     * @param channel the channel to read from
     * @param maxBytes the most bytes to read
     * @return the bytes read, empty at EOF
     */
    public Future<byte[]> sockRecv(SocketChannel channel, int maxBytes) {
        return Net.sockRecv(this, channel, maxBytes);
    }

    /**
     * Reads into {@code dst} (-1 at EOF): asyncio's {@code loop.sock_recv_into()}.
     *
     * @param channel the channel to read from
     * @param dst the buffer to read into, from its position up to its limit
     * @return the number of bytes read, -1 at EOF
     */
    public Future<Integer> sockRecvInto(SocketChannel channel, ByteBuffer dst) {
        return Net.sockRecvInto(this, channel, dst);
    }

    /**
     * Sends every remaining byte of {@code data}: asyncio's {@code loop.sock_sendall()}.
     *
     * @param channel the channel to write to
     * @param data the bytes to send, from its position up to its limit
     * @return a future that completes once every byte is written to the socket
     */
    public Future<Void> sockSendAll(SocketChannel channel, ByteBuffer data) {
        return Net.sockSendAll(this, channel, data);
    }

    /**
     * Sends all of {@code data}: asyncio's {@code loop.sock_sendall()}.
     *
     * @param channel the channel to write to
     * @param data the bytes to send
     * @return a future that completes once every byte is written to the socket
     */
    public Future<Void> sockSendAll(SocketChannel channel, byte[] data) {
        return Net.sockSendAll(this, channel, data);
    }

    // ================================================================== executor bridge

    /**
     * Runs blocking {@code work} on {@code executor} (null: the default executor, at most
     * {@code min(32, cores + 4)} daemon threads as asyncio's, unbounded queue, shut down by
     * {@link #run(ThrowingSupplier)}) and returns a future that completes on the loop: asyncio's
     * {@code run_in_executor}. Cancelled, it keeps the work from starting or interrupts its thread,
     * and is cancelled at once. The outcome returns through {@link #callSoonThreadsafe}, or is
     * dropped if the loop has closed.
     *
     * @param <T> the type of the work's value
     * @param executor where to run the work; null for the loop's default executor
     * @param work the blocking work
     * @return the work's value or failure, delivered on the loop
     */
    public <T> Future<T> runInExecutor(Executor executor, Callable<T> work) {
        return defaultExecutor.run(executor, work);
    }

    /**
     * Shuts the default executor down and completes once its threads have finished, or after
     * {@code timeout} with a warning: asyncio's {@code shutdown_default_executor}.
     *
     * @param timeout how long to wait for the executor's threads to finish
     * @return a future that completes once they have finished, or after the timeout
     */
    public Future<Void> shutdownDefaultExecutor(Duration timeout) {
        return defaultExecutor.shutdown(timeout);
    }

    // ================================================================== errors

    /**
     * Sets the handler for errors that have nowhere else to go; null restores the default, which
     * logs through SLF4J (to stderr when no provider is bound). asyncio's {@code set_exception_handler}.
     *
     * @param handler receives each error with its context; null for the default
     */
    public void setExceptionHandler(ExceptionHandler handler) {
        this.exceptionHandler = handler;
    }

    /**
     * Passes {@code context} to the exception handler: asyncio's {@code call_exception_handler}.
     * A handler that throws is logged ("Unhandled error in exception handler"); the loop goes on.
     *
     * @param context what happened, and to what
     */
    public void callExceptionHandler(ErrorContext context) {
        Objects.requireNonNull(context, "context");
        ExceptionHandler handler = exceptionHandler;
        if (handler == null) {
            LoopLog.error(EventLoop.class, context.toString(), context.exception());
            return;
        }
        try {
            handler.handle(this, context);
        } catch (Exception e) {
            LoopLog.error(EventLoop.class, "Unhandled error in exception handler while handling: " + context, e);
        }
    }

    /** {@code future} failed with no listener: it is reported unless someone looks at it in time. */
    void unretrievedFailure(Future<?> future) {
        scheduler.unretrieved.add(future);
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
     * loop-affine call here gives (who called, from which thread, whose thread the loop is, the door
     * for other threads), for code built on the loop such as {@code io.eventloop.net};
     * {@link #inLoopThread()} asks without throwing. asyncio checks this only in debug mode
     * ({@code _check_thread}).
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

    /** Number of timers in the heap. For tests. */
    int timerCount() {
        return scheduler.timerCount();
    }

    /** Callbacks waiting in the ready queue. For tests. */
    int readyCount() {
        return scheduler.readyCount();
    }

    @Override
    public String toString() {
        return (name != null ? "EventLoop '" + name + "'@" : "EventLoop@") + Integer.toHexString(System.identityHashCode(this))
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
    public static final class Options extends LoopSettings {
        /** The system property that turns debug mode on for {@link #defaults()}. */
        public static final String DEBUG_PROPERTY = "eventloop.debug";

        Options(Duration shutdownTimeout, boolean debug, Duration slow, Duration watchdog, boolean watchdogSet,
                Duration unretrieved) {
            super(shutdownTimeout, debug, slow, watchdog, watchdogSet, unretrieved);
        }

        /**
         * The defaults: a 300 s executor shutdown timeout, as asyncio's {@code asyncio.run}; debug
         * mode off unless the system property {@code eventloop.debug} is {@code true}; a 100 ms slow-callback
         * threshold; the watchdog on (1 s) only in debug mode; a 5 s {@code unretrievedFailureDelay}.
         *
         * @return the default settings
         */
        public static Options defaults() {
            // Here, not in LoopSettings: javac bridges inherited instance methods (JDK-6342411), not statics.
            return DEFAULTS;
        }
    }
}
