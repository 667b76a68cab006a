/**
 * asyncio's cooperative model on one NIO thread.
 *
 * <ul>
 *   <li>{@link io.eventloop.EventLoop} — the loop: ready queue, timer heap, cross-thread inbox and
 *       a {@link java.nio.channels.Selector}; {@code Scheduler.runOnce()} is one iteration.</li>
 *   <li>{@link io.eventloop.Future} and {@link io.eventloop.Task} — results that are not there yet,
 *       composed with continuations ({@code map}, {@code then}, {@code recover},
 *       {@code exceptionally}, {@code ensure}); cancellation reaches the innermost wait.</li>
 *   <li>{@link io.eventloop.Async} — {@code sleep}, {@code gather}, {@code waitFor}, {@code shield},
 *       {@code wait}, {@code asCompleted}, {@code toThread}, loops.</li>
 *   <li>{@link io.eventloop.Handle}, {@link io.eventloop.TimerHandle} — scheduled callbacks.</li>
 *   <li>{@link io.eventloop.ExceptionHandler}, {@link io.eventloop.ErrorContext} — where unhandled
 *       errors go.</li>
 * </ul>
 *
 * <p>Threading: everything is confined to the loop thread except
 * {@link io.eventloop.EventLoop#callSoonThreadsafe} and {@link io.eventloop.EventLoop#submit}.
 *
 * <h2>Map of the package</h2>
 *
 * Every file of the package, by layer. Package-private types are named in code font, without a
 * link.
 *
 * <p><b>Scheduler</b>: one iteration, and what it polls, runs and keeps.
 * <ul>
 *   <li>{@link io.eventloop.EventLoop} — the public API, and the loop's own state: which thread
 *       it belongs to, whether it runs, whether it is closed; {@code EventLoop.Options}.</li>
 *   <li>{@code LoopRuns} — how a loop is run ({@code run}, {@code runUntilComplete},
 *       {@code runForever}, {@code runOnce}), one run per thread, and {@code current()}.</li>
 *   <li>{@code LoopSettings} — the body of {@code EventLoop.Options}: its fields, defaults and
 *       validation.</li>
 *   <li>{@code Scheduler} — {@code runOnce()} and its phases, and the queues they drain: the
 *       ready queue, the timer heap, the inbox (the one door from other threads).</li>
 *   <li>{@code Poller}, {@code NioPoller} — the seam the loop waits on, and its
 *       {@link java.nio.channels.Selector} implementation (rebuilt on the epoll spin bug).</li>
 *   <li>{@code NioWarmUp} — one loopback connection per JVM, so that the JDK initialises its
 *       socket I/O classes before the process can run out of descriptors.</li>
 *   <li>{@code Clock} — the seam for time, and the saturating arithmetic on its nanosecond scale.</li>
 *   <li>{@code ReadyQueue} — the ready queue: callbacks in chunks, each filled and drained once.</li>
 *   <li>{@code TimerHeap} — live timers by (deadline, sequence); a cancelled one leaves at once.</li>
 *   <li>{@link io.eventloop.Handle}, {@link io.eventloop.TimerHandle} — a scheduled callback, and
 *       one scheduled for a time.</li>
 *   <li>{@code Readiness} — the readiness registry: what each selection key is attached to and
 *       what a ready key queues ({@code addReader} / {@code addWriter}, and the hook through
 *       which {@code io.eventloop.net} registers its channels).</li>
 *   <li>{@code LiveTasks} — the tasks not done yet, held strongly.</li>
 *   <li>{@code UnretrievedFailures} — failures nobody looked at, and when they are reported.</li>
 *   <li>{@code DefaultExecutor} — {@code runInExecutor} and the default thread pool.</li>
 *   <li>{@link io.eventloop.ExceptionHandler}, {@link io.eventloop.ErrorContext} — the one route
 *       for errors that have nowhere else to go.</li>
 * </ul>
 *
 * <p><b>Futures and continuations</b>: results that are not there yet, and what runs when they
 * are.
 * <ul>
 *   <li>{@link io.eventloop.Future} — PENDING, then SUCCEEDED, FAILED or CANCELLED; listeners
 *       run on the loop.</li>
 *   <li>{@code Waiting} — a future that waits on one other future at a time: the cancellation
 *       rule of the whole library.</li>
 *   <li>{@code Chain} — the future of {@code map}, {@code then}, {@code recover},
 *       {@code exceptionally}, {@code ensure}.</li>
 *   <li>{@link io.eventloop.Task} — a named unit of work, started on the next iteration and held
 *       by the loop until done: asyncio's {@code Task}.</li>
 *   <li>{@link io.eventloop.Task.Stepper} — a task body driven step by step
 *       ({@link io.eventloop.EventLoop#createSteppedTask}), as asyncio's {@code Task} drives a
 *       coroutine: the hook the optional straight-line {@code await} module rides on.</li>
 *   <li>{@link io.eventloop.ThrowingFunction}, {@link io.eventloop.ThrowingSupplier} — the
 *       shapes of continuations and bodies: each may throw a checked exception, which fails the
 *       future that runs it.</li>
 *   <li>{@code LoopCompletableFuture} — the {@link java.util.concurrent.CompletableFuture} handed
 *       to other threads.</li>
 *   <li>{@code StageFuture} — the other way: a {@link java.util.concurrent.CompletionStage}
 *       followed on the loop ({@code Future.from}).</li>
 *   <li>{@link io.eventloop.TaskLocal} — a value per task, inherited by the tasks it creates and
 *       carried to executor threads: asyncio's {@code contextvars.ContextVar}.</li>
 *   <li>{@code Context} — the immutable set of {@code TaskLocal} values, and where the current
 *       one lives (the running task, the running callback, or the thread).</li>
 * </ul>
 *
 * <p><b>Combinators</b>: ways to combine futures, built on the two layers above.
 * <ul>
 *   <li>{@link io.eventloop.Async} — {@code sleep}, {@code gather}, {@code waitFor},
 *       {@code shield}, {@code wait}, {@code asCompleted}, {@code toThread}, {@code using},
 *       {@code generate}, loops.</li>
 *   <li>{@link io.eventloop.ReturnWhen}, {@link io.eventloop.WaitResult} — when {@code wait}
 *       returns, and what.</li>
 *   <li>{@link io.eventloop.Timeout} — a deadline scope.</li>
 *   <li>{@link io.eventloop.TaskGroup}, {@link io.eventloop.TaskGroupException} — structured
 *       concurrency, and how a group fails.</li>
 *   <li>{@code Using}, {@link io.eventloop.AsyncCloseable} — {@code async with}, and what it
 *       opens and closes.</li>
 *   <li>{@link io.eventloop.AsyncIterator}, {@link io.eventloop.AsyncIterable} —
 *       {@code async for}.</li>
 *   <li>{@code Generator}, {@link io.eventloop.Emitter} — an async generator, and its
 *       {@code yield}.</li>
 * </ul>
 *
 * <p><b>Diagnostics</b>: watching the loop; none of it costs anything per callback when off.
 * <ul>
 *   <li>{@code Diagnostics} — debug mode's helpers: where a task or future was created, a
 *       callback in words, the warning every diagnostic goes through.</li>
 *   <li>{@code LoopLog} — where every report of the loop is written: SLF4J, or
 *       {@code System.err} when no provider is bound.</li>
 *   <li>{@code Watchdog} — reports a loop stuck in one callback while it is stuck.</li>
 *   <li>{@code JfrEvents} — the Java Flight Recorder events.</li>
 *   <li>{@link io.eventloop.LoopMetrics} — a snapshot of the loop's counters.</li>
 *   <li>{@code SignalHandlers} — INT, TERM and HUP handled on the loop.</li>
 *   <li>{@link io.eventloop.CallGraph} — who awaits whom: every live task and the chain it
 *       waits on, from any thread.</li>
 *   <li>{@code CallGraphDump} — the call graphs of every open loop, for a JFR recording and for
 *       the signal named by {@code -Deventloop.callGraphSignal}.</li>
 * </ul>
 *
 * <p><b>Files</b>: file I/O on the default executor.
 * <ul>
 *   <li>{@link io.eventloop.AsyncFiles} — whole-file operations and {@code open}.</li>
 *   <li>{@link io.eventloop.AsyncFile} — an open file.</li>
 *   <li>{@code Offload} — the future of one piece of file work, which is never interrupted.</li>
 * </ul>
 *
 * <p>Beside this package: {@code io.eventloop.net} (transports, servers, streams),
 * {@code io.eventloop.sync} (locks, events, queues, semaphores), {@code io.eventloop.process}
 * (child processes with their pipes as streams), and
 * {@code io.eventloop.internal} (glue between the loop and {@code net}; not API).
 */
package io.eventloop;
