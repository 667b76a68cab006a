/**
 * Child processes run from the loop, with their pipes as loop streams: asyncio's
 * {@code asyncio.create_subprocess_exec}, {@code create_subprocess_shell} and
 * {@code asyncio.subprocess.Process}.
 *
 * <h2>The types</h2>
 * <ul>
 *   <li>{@link io.eventloop.process.Subprocess} — starts a process
 *       ({@code createSubprocessExec}, {@code createSubprocessShell}) and is the running process:
 *       its streams, {@code await()} for the return code, {@code communicate}, signals.</li>
 *   <li>{@link io.eventloop.process.SubprocessOptions} and {@link io.eventloop.process.Stdio} — where
 *       the three streams go, the working directory, the environment, the readers' limit.</li>
 *   <li>{@link io.eventloop.process.CompletedProcess} — what {@code communicate} gives.</li>
 *   <li>{@code PipeReader} and {@code PipeWriter} (package-private) — the transports under a child's
 *       stdout/stderr and stdin: each pipe is served by one thread of its own that blocks on the
 *       pipe and reaches the loop through {@link io.eventloop.EventLoop#callSoonThreadsafe}, with
 *       back-pressure both ways. The {@link io.eventloop.net.StreamReader} and
 *       {@link io.eventloop.net.StreamWriter} on top are the ones sockets use.</li>
 * </ul>
 *
 * <h2>Why threads</h2>
 * A child's pipes reach Java only as blocking {@link java.io.InputStream} and
 * {@link java.io.OutputStream} ({@link java.lang.Process}); no public API gives their descriptors as
 * selectable channels, and reaching for them through JDK internals is what this project does not do.
 * So the loop does not poll them: a thread per pipe blocks in {@code read} or {@code write} and
 * talks to the loop through its one door. The number of threads is bounded (three per process at
 * most), none holds more than two chunks of 64 KiB, and each ends when its pipe ends. The exit
 * comes from the JDK's own reaper ({@link java.lang.Process#onExit()}), also through the door.
 */
package io.eventloop.process;
