package io.eventloop.process;

import io.eventloop.Async;
import io.eventloop.EventLoop;
import io.eventloop.Future;
import io.eventloop.net.Net;
import io.eventloop.net.StreamReader;
import io.eventloop.net.StreamWriter;
import java.io.File;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A child process run from the loop, with its pipes as streams: asyncio's
 * {@code asyncio.subprocess.Process}, made by {@link #createSubprocessExec(List, SubprocessOptions)}
 * and {@link #createSubprocessShell(String, SubprocessOptions)}.
 *
 * <pre>{@code
 * createSubprocessExec(List.of("ls", "-l"), SubprocessOptions.defaults().stdout(Stdio.PIPE))
 *     .then(proc -> proc.stdout().read(-1)
 *         .then(out -> proc.await().map(code -> new String(out, UTF_8) + "exit " + code)));
 * }</pre>
 *
 * <p><b>Streams.</b> {@link #stdin()} is a {@link StreamWriter} and {@link #stdout()} /
 * {@link #stderr()} are {@link StreamReader}s (with the options' limit) when the stream is
 * {@link Stdio#PIPE}, else null, as in asyncio. Java gives a child's pipes only as blocking
 * streams, so each pipe is served by one daemon thread of its own (at most three per process, none
 * for a stream that is not a pipe, and stdin's only once it is written to) that hands the
 * bytes to the loop and takes back-pressure from it: a reader above twice its limit stops its
 * pipe's thread, so the child blocks in its own write; a writer above its high-water mark makes
 * {@code drain()} wait. The threads end when their pipe ends (the child exits or closes it, or the
 * program closes the stream). {@code docs/architecture.md}, "How child-process pipes reach the
 * loop", draws it.
 *
 * <p><b>The return code</b> is asyncio's: the exit status, or minus the signal number when a signal
 * ended the process ({@code -9} after {@link #kill()}). Java's {@link Process#exitValue()} reports a
 * signal N as {@code 128 + N}, the shells' convention, and cannot tell it from a process that
 * exited with that status itself; so a status from 129 to 192 is reported as a signal (a shell that
 * exits with {@code 128 + N} because its own child died of signal N reads as that signal too).
 *
 * <p><b>Waiting and cancelling.</b> {@link #await()} (asyncio's {@code wait()}, which
 * {@link Object#wait()} already names in Java) completes when the process exits; cancelling it
 * leaves the child running, as in asyncio, unless {@link SubprocessOptions#killOnCancel(boolean)}
 * asks for SIGKILL. {@link #communicate(byte[])} feeds stdin and reads both outputs at once, so a
 * child that fills one pipe while the program waits on the other cannot deadlock. As in asyncio,
 * {@code await()} with a pipe nobody reads can deadlock once the child fills it: read the pipes, or
 * use {@code communicate}.
 *
 * <p><b>The loop closing first.</b> A child outlives a loop that closes before it exits, as it does
 * in asyncio: nothing kills it. When it exits later a warning is logged (asyncio warns about the
 * unclosed transport). Its pipes' threads notice within a second when they wait on the loop, else
 * at their next read or write, and close their pipes (the loop can no longer take what they
 * carry): a child still writing gets EPIPE, one reading its stdin gets EOF.
 *
 * <p>Loop thread only, like every loop-affine object. Compared with {@link Process}: the same
 * process, but nothing blocks (every wait is a future), the pipes are loop streams with
 * back-pressure, signals go by number or name, and {@code kill()} means SIGKILL as in asyncio.
 */
public final class Subprocess {
    private static final Logger log = LoggerFactory.getLogger(Subprocess.class);
    /** Linux's highest signal number (SIGRTMAX): Java's {@code 128 + N} codes end here. */
    private static final int MAX_SIGNAL = 64;
    /** asyncio runs shell commands with {@code /bin/sh -c} on POSIX; so do we. */
    private static final String SHELL = "/bin/sh";
    /** Enough for a loop of blocking reads or writes: these threads call nothing deep. */
    private static final long PIPE_THREAD_STACK = 256 * 1024;
    /** Linux signal names, at their numbers (x86 and ARM), for {@link #sendSignal(String)}. */
    private static final List<String> SIGNAL_NAMES = List.of("", "HUP", "INT", "QUIT", "ILL", "TRAP", "ABRT", "BUS",
            "FPE", "KILL", "USR1", "SEGV", "USR2", "PIPE", "ALRM", "TERM", "STKFLT", "CHLD", "CONT", "STOP", "TSTP",
            "TTIN", "TTOU", "URG", "XCPU", "XFSZ", "VTALRM", "PROF", "WINCH", "IO", "PWR", "SYS");

    private final EventLoop loop;
    private final Process process;
    private final List<String> args;
    private final boolean killOnCancel;
    private final StreamWriter stdin;
    private final StreamReader stdout;
    private final StreamReader stderr;
    private final PipeWriter stdinPipe;
    private final PipeReader stdoutPipe;
    private final PipeReader stderrPipe;

    // Loop thread only:
    /** The return code once the loop learned of the exit; null while running. */
    private Integer returnCode;
    /** The futures {@link #await()} gave out that are waiting for the exit. */
    private List<Future<Integer>> exitWaiters = new ArrayList<>(1);

    private Subprocess(EventLoop loop, Process process, List<String> args, SubprocessOptions options) {
        this.loop = loop;
        this.process = process;
        this.args = args;
        this.killOnCancel = options.killOnCancel();
        long pid = process.pid();
        if (options.stdin() == Stdio.PIPE) {
            stdinPipe = new PipeWriter(loop, "stdin of process " + pid, process.getOutputStream());
            // asyncio's SubprocessStreamProtocol gives stdin a writer and no reader; this reader only
            // carries the pipe's loss to drain(), which is how a write-and-drain loop learns of EPIPE.
            stdinPipe.start(Net.streamReaderProtocol(loop, new StreamReader(loop, options.limit()), null));
            stdin = Net.connection(stdinPipe).writer();
        } else {
            stdinPipe = null;
            stdin = null;
        }
        if (options.stdout() == Stdio.PIPE) {
            stdout = new StreamReader(loop, options.limit());
            stdoutPipe = new PipeReader(loop, "stdout of process " + pid, process.getInputStream());
            stdoutPipe.start(Net.streamReaderProtocol(loop, stdout, null));
        } else {
            stdout = null;
            stdoutPipe = null;
        }
        if (options.stderr() == Stdio.PIPE) {
            stderr = new StreamReader(loop, options.limit());
            stderrPipe = new PipeReader(loop, "stderr of process " + pid, process.getErrorStream());
            stderrPipe.start(Net.streamReaderProtocol(loop, stderr, null));
        } else {
            stderr = null;
            stderrPipe = null;
        }
        // Reaping: the JDK's own reaper waits for the child; its completion comes to the loop through
        // the one door from other threads.
        process.onExit().whenComplete((p, e) -> {
            try {
                loop.callSoonThreadsafe(this::exited);
            } catch (IllegalStateException closed) {
                log.warn("process {} {} exited with status {} after its loop closed", pid, args, process.exitValue());
            }
        });
    }

    // ------------------------------------------------------------------ starting

    /**
     * Runs {@code program} with {@code args}, its three streams inherited from this JVM: asyncio's
     * {@code await asyncio.create_subprocess_exec(program, *args)}.
     *
     * @param program the program: a path, or a name looked up on the {@code PATH}
     * @param args its arguments
     * @return the running process; failed with an {@link IOException} naming the program if it cannot
     *     be started
     * @throws IllegalStateException when not called on a loop's thread
     */
    public static Future<Subprocess> createSubprocessExec(String program, String... args) {
        List<String> argv = new ArrayList<>(args.length + 1);
        argv.add(program);
        argv.addAll(Arrays.asList(args));
        return createSubprocessExec(argv, SubprocessOptions.defaults());
    }

    /**
     * Runs {@code argv} (the program, then its arguments) on the current loop: asyncio's
     * {@code await asyncio.create_subprocess_exec(*argv, stdin=..., stdout=..., ...)}. No shell is
     * involved: each element is one argument as it is.
     *
     * <p>Starting takes the loop thread for as long as the JDK takes to spawn the child, as the fork
     * does in asyncio. A program that cannot be started (not found, not executable, a working
     * directory that does not exist) fails the future with the JDK's {@link IOException}, which names
     * the program (and the directory); nothing is left running and no thread is started.
     *
     * @param argv the program and its arguments
     * @param options where the streams go, the working directory and environment, the readers' limit
     * @return the running process
     * @throws IllegalArgumentException if {@code argv} is empty or holds a null
     * @throws IllegalStateException when not called on a loop's thread
     */
    public static Future<Subprocess> createSubprocessExec(List<String> argv, SubprocessOptions options) {
        Objects.requireNonNull(argv, "argv");
        Objects.requireNonNull(options, "options");
        if (argv.isEmpty()) {
            throw new IllegalArgumentException("argv is empty: it needs at least the program to run");
        }
        for (String arg : argv) {
            if (arg == null) {
                throw new IllegalArgumentException("argv holds a null: " + argv);
            }
        }
        EventLoop loop = EventLoop.current();
        loop.checkThread("createSubprocessExec");
        List<String> command = List.copyOf(argv);
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.redirectInput(switch (options.stdin()) {
            case PIPE -> ProcessBuilder.Redirect.PIPE;
            case DEVNULL -> ProcessBuilder.Redirect.from(new File("/dev/null"));
            default -> ProcessBuilder.Redirect.INHERIT;
        });
        builder.redirectOutput(output(options.stdout()));
        if (options.stderr() == Stdio.STDOUT) {
            builder.redirectErrorStream(true);
        } else {
            builder.redirectError(output(options.stderr()));
        }
        if (options.cwd() != null) {
            builder.directory(options.cwd().toFile());
        }
        if (options.env() != null) {
            builder.environment().clear();
            builder.environment().putAll(options.env());
        }
        Future<Subprocess> f = loop.createFuture();
        Process process;
        try {
            process = builder.start();
        } catch (IOException | RuntimeException e) {
            f.fail(e);
            return f;
        }
        f.complete(new Subprocess(loop, process, command, options));
        return f;
    }

    private static ProcessBuilder.Redirect output(Stdio stdio) {
        return switch (stdio) {
            case PIPE -> ProcessBuilder.Redirect.PIPE;
            case DEVNULL -> ProcessBuilder.Redirect.DISCARD;
            default -> ProcessBuilder.Redirect.INHERIT;
        };
    }

    /**
     * Runs {@code command} with {@code /bin/sh -c}, its three streams inherited: asyncio's
     * {@code await asyncio.create_subprocess_shell(cmd)}.
     *
     * @param command the shell command line
     * @return the running shell
     * @throws IllegalStateException when not called on a loop's thread
     */
    public static Future<Subprocess> createSubprocessShell(String command) {
        return createSubprocessShell(command, SubprocessOptions.defaults());
    }

    /**
     * Runs {@code command} with {@code /bin/sh -c}: asyncio's
     * {@code await asyncio.create_subprocess_shell(cmd, stdout=..., ...)}. The shell parses the line:
     * quote what comes from outside the program, or use
     * {@link #createSubprocessExec(List, SubprocessOptions)}. The process is the shell; a command it
     * runs as a child of its own gets no signal sent to the shell.
     *
     * @param command the shell command line
     * @param options where the streams go, the working directory and environment, the readers' limit
     * @return the running shell
     * @throws IllegalStateException when not called on a loop's thread
     */
    public static Future<Subprocess> createSubprocessShell(String command, SubprocessOptions options) {
        Objects.requireNonNull(command, "command");
        return createSubprocessExec(List.of(SHELL, "-c", command), options);
    }

    /** A daemon thread for one pipe, with a small stack and no inherited thread-local values. */
    static Thread daemonThread(Runnable body, String name) {
        Thread t = new Thread(null, body, name, PIPE_THREAD_STACK, false);
        t.setDaemon(true);
        return t;
    }

    // ------------------------------------------------------------------ the process

    /**
     * The process id: asyncio's {@code proc.pid}.
     *
     * @return the child's pid
     */
    public long pid() {
        return process.pid();
    }

    /**
     * The command the process runs (for a shell command, {@code /bin/sh -c} and the line).
     *
     * @return the program and its arguments
     */
    public List<String> args() {
        return args;
    }

    /**
     * The writer to the child's stdin, or null if stdin is not {@link Stdio#PIPE}: asyncio's
     * {@code proc.stdin}. Closing it ({@link StreamWriter#close()} or {@code writeEof()}) sends EOF
     * once what was written has reached the pipe.
     *
     * @return the stdin writer, or null
     */
    public StreamWriter stdin() {
        return stdin;
    }

    /**
     * The reader of the child's stdout, or null if stdout is not {@link Stdio#PIPE}: asyncio's
     * {@code proc.stdout}.
     *
     * @return the stdout reader, or null
     */
    public StreamReader stdout() {
        return stdout;
    }

    /**
     * The reader of the child's stderr, or null if stderr is not {@link Stdio#PIPE}: asyncio's
     * {@code proc.stderr}.
     *
     * @return the stderr reader, or null
     */
    public StreamReader stderr() {
        return stderr;
    }

    /**
     * The return code once the loop has seen the process exit, else null: asyncio's
     * {@code proc.returncode}. Negative when a signal ended it (see the class comment).
     *
     * @return the return code, or null while running
     */
    public Integer returnCode() {
        loop.checkThread("Subprocess.returnCode");
        return returnCode;
    }

    /**
     * Completes with the return code once the process has exited: asyncio's {@code await proc.wait()}
     * (Java's {@link Object#wait()} owns the name). Each call returns a future of its own; cancelling
     * it leaves the process running (asyncio's rule) unless
     * {@link SubprocessOptions#killOnCancel(boolean)} is set, which sends SIGKILL. It does not wait
     * for the pipes: what the child wrote stays readable from {@link #stdout()} and
     * {@link #stderr()}.
     *
     * @return the return code, when the process has exited
     */
    public Future<Integer> await() {
        loop.checkThread("Subprocess.await");
        Future<Integer> f = loop.createFuture();
        if (returnCode != null) {
            f.complete(returnCode);
            return f;
        }
        exitWaiters.removeIf(Future::isDone); // cancelled waits, so repeated timeouts keep no garbage
        exitWaiters.add(f);
        if (killOnCancel) {
            f.onDone(w -> {
                if (w.isCancelled()) {
                    kill();
                }
            });
        }
        return f;
    }

    /** Loop thread: the JDK reaped the child. */
    private void exited() {
        returnCode = returnCode(process.exitValue());
        if (stdinPipe != null) {
            stdinPipe.processExited();
        }
        List<Future<Integer>> waiters = exitWaiters;
        exitWaiters = List.of();
        for (Future<Integer> w : waiters) {
            w.complete(returnCode);
        }
    }

    /** Java's exit value as asyncio reports it: {@code 128 + N} becomes {@code -N} (see the class comment). */
    static int returnCode(int exitValue) {
        return exitValue > 128 && exitValue <= 128 + MAX_SIGNAL ? -(exitValue - 128) : exitValue;
    }

    /**
     * Sends {@code input} to stdin and closes it, reads stdout and stderr to their end, and waits for
     * the exit: asyncio's {@code await proc.communicate(input)}. The three go on at once, so a child
     * that fills one pipe while another is being waited on cannot deadlock. A child that exits
     * without reading all its input is not an error (a broken pipe on stdin is ignored, as in
     * asyncio). Both outputs are held in memory: for large ones, read the streams yourself.
     * Cancelling the future stops the reads and writes and leaves the child running, unless
     * {@link SubprocessOptions#killOnCancel(boolean)} is set.
     *
     * @param input the bytes for stdin, or null to send none (stdin, if a pipe, is closed at once)
     * @return both outputs (null for one that is not a pipe) and the return code
     * @throws IllegalArgumentException if {@code input} is given and stdin is not a pipe
     */
    public Future<CompletedProcess> communicate(byte[] input) {
        loop.checkThread("Subprocess.communicate");
        if (input != null && stdin == null) {
            throw new IllegalArgumentException("communicate(" + input.length + " bytes): the stdin of process "
                    + pid() + " is not a pipe (SubprocessOptions.stdin(Stdio.PIPE))");
        }
        Future<Void> feeding = stdin == null ? Async.completed(null) : feedStdin(input);
        Future<byte[]> out = stdout == null ? Async.completed(null) : stdout.read(-1);
        Future<byte[]> err = stderr == null ? Async.completed(null) : stderr.read(-1);
        Future<CompletedProcess> done = Async.<Object>gather(feeding, out, err)
                .then(all -> await())
                .map(code -> new CompletedProcess(args, code, out.result(), err.result()));
        if (killOnCancel) {
            done.onDone(d -> {
                if (d.isCancelled()) {
                    kill();
                }
            });
        }
        return done;
    }

    /**
     * {@link #communicate(byte[])} with no input.
     *
     * @return both outputs and the return code
     */
    public Future<CompletedProcess> communicate() {
        return communicate(null);
    }

    /** asyncio's {@code _feed_stdin}: write, drain (a child gone already is fine), close. */
    private Future<Void> feedStdin(byte[] input) {
        if (input != null && input.length > 0) {
            stdin.write(input);
        }
        return stdin.drain()
                .recover(IOException.class, e -> {
                    log.debug("process {}: stdin closed before it took all of communicate's input", pid(), e);
                    return Async.completed(null);
                })
                .map(v -> {
                    stdin.close();
                    return null;
                });
    }

    /** The transport under {@link #stdout()}, or null: for tests of closing a pipe early. */
    PipeReader stdoutPipe() {
        return stdoutPipe;
    }

    // ------------------------------------------------------------------ signals

    /**
     * Sends SIGTERM: asyncio's {@code proc.terminate()}. Nothing happens if the process has exited.
     */
    public void terminate() {
        loop.checkThread("Subprocess.terminate");
        process.toHandle().destroy();
    }

    /**
     * Sends SIGKILL: asyncio's {@code proc.kill()} (Java's {@code destroyForcibly()}). Nothing happens
     * if the process has exited. {@link #await()} then reports {@code -9}.
     */
    public void kill() {
        loop.checkThread("Subprocess.kill");
        process.toHandle().destroyForcibly();
    }

    /**
     * Sends signal {@code signal} (a Linux number, 1 to 64): asyncio's {@code proc.send_signal()}.
     * Nothing happens if the process has exited. SIGTERM and SIGKILL go through the JDK
     * ({@link ProcessHandle#destroy()}, which checks that the pid still names this process); the JDK
     * sends no other signal, so the others are sent by {@code /bin/sh -c 'kill -N PID'}, and the
     * future completes when that has run. (A pid reused between the exit and that {@code kill} would
     * get the signal: the window is the helper's start, and only after this process exited unseen.)
     *
     * @param signal the signal's number
     * @return a future that completes once the signal was sent; it fails with an {@link IOException}
     *     if {@code kill} could not send it
     * @throws IllegalArgumentException if {@code signal} is not between 1 and 64
     */
    public Future<Void> sendSignal(int signal) {
        loop.checkThread("Subprocess.sendSignal");
        if (signal < 1 || signal > MAX_SIGNAL) {
            throw new IllegalArgumentException("not a signal number (1 to " + MAX_SIGNAL + "): " + signal);
        }
        Future<Void> f = loop.createFuture();
        if (!process.isAlive()) {
            f.complete(null);
        } else if (signal == 15) {
            process.toHandle().destroy();
            f.complete(null);
        } else if (signal == 9) {
            process.toHandle().destroyForcibly();
            f.complete(null);
        } else {
            sendWithKill(signal, f);
        }
        return f;
    }

    /**
     * Sends the signal named {@code name}: {@code "USR1"} or {@code "SIGUSR1"}, any case (asyncio
     * takes {@code signal.SIGUSR1}); see {@link #sendSignal(int)}.
     *
     * @param name the signal's name, with or without {@code SIG}
     * @return a future that completes once the signal was sent
     * @throws IllegalArgumentException if {@code name} is not a Linux signal's name
     */
    public Future<Void> sendSignal(String name) {
        return sendSignal(signalNumber(name));
    }

    /** The number of a signal's name, with or without {@code SIG}, any case. */
    static int signalNumber(String name) {
        Objects.requireNonNull(name, "name");
        String n = name.toUpperCase(Locale.ROOT);
        if (n.startsWith("SIG")) {
            n = n.substring(3);
        }
        int i = n.isEmpty() ? -1 : SIGNAL_NAMES.indexOf(n);
        if (i < 1) {
            throw new IllegalArgumentException("not a signal name: " + name + " (one of SIGHUP, SIGINT, ... SIGSYS)");
        }
        return i;
    }

    private void sendWithKill(int signal, Future<Void> done) {
        List<String> command = List.of(SHELL, "-c", "kill -" + signal + " " + process.pid());
        Process helper;
        try {
            helper = new ProcessBuilder(command)
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
        } catch (IOException e) {
            done.fail(e);
            return;
        }
        helper.onExit().whenComplete((h, e) -> {
            int status = helper.exitValue();
            try {
                loop.callSoonThreadsafe(() -> {
                    if (status == 0) {
                        done.complete(null);
                    } else {
                        done.fail(new IOException(command + " exited with status " + status
                                + ": signal " + signal + " was not sent to process " + process.pid()));
                    }
                });
            } catch (IllegalStateException closed) {
                // the loop closed: nobody is waiting any more
            }
        });
    }

    @Override
    public String toString() {
        String state = returnCode != null ? "returncode=" + returnCode : "running";
        return "Subprocess[pid=" + process.pid() + ", " + state + ", " + args + "]";
    }
}
