package io.eventloop.examples;

import static io.eventloop.process.Subprocess.createSubprocessExec;
import static io.eventloop.process.Subprocess.createSubprocessShell;

import io.eventloop.Async;
import io.eventloop.EventLoop;
import io.eventloop.Future;
import io.eventloop.process.Stdio;
import io.eventloop.process.Subprocess;
import io.eventloop.process.SubprocessOptions;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeoutException;

/**
 * Child processes, as asyncio's "Subprocesses" page runs them. Python:
 * <pre>
 * async def run(cmd):
 *     proc = await asyncio.create_subprocess_shell(
 *         cmd, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
 *     stdout, stderr = await proc.communicate()
 *     print(f'[{cmd!r} exited with {proc.returncode}]')
 *     if stdout:
 *         print(f'[stdout]\n{stdout.decode()}')
 *     if stderr:
 *         print(f'[stderr]\n{stderr.decode()}')
 *
 * async def get_date():
 *     proc = await asyncio.create_subprocess_exec('date', stdout=asyncio.subprocess.PIPE)
 *     data = await proc.stdout.readline()
 *     await proc.wait()
 *     return data.decode().rstrip()
 *
 * async def main():
 *     await asyncio.gather(run('ls /zzz'), run('sleep 1; echo "hello"'))
 *     print(f"Current date: {await get_date()}")
 *     proc = await asyncio.create_subprocess_exec('sleep', '60')
 *     try:
 *         await asyncio.wait_for(proc.wait(), timeout=1)
 *     except TimeoutError:
 *         proc.kill()
 *         print(f'[sleep 60 killed after 1 s: returncode {await proc.wait()}]')
 * </pre>
 * The two shell commands run at once (the pair takes about one second, which the program
 * prints); {@code ls /zzz} fails with status 2 and its complaint on stderr. The long child is
 * given one second, then killed: its return code is {@code -9}, minus SIGKILL, as asyncio reports
 * it. {@code --scale F} multiplies the one-second sleep and the timeout.
 */
public final class SubprocessDemo {
    private static final SubprocessOptions CAPTURE = SubprocessOptions.defaults().stdout(Stdio.PIPE).stderr(Stdio.PIPE);

    private SubprocessDemo() {
    }

    static Future<Void> run(String cmd) {
        return createSubprocessShell(cmd, CAPTURE)
                .then(proc -> proc.communicate())
                .map(done -> {
                    StringBuilder out = new StringBuilder("['" + cmd + "' exited with " + done.returnCode() + "]\n");
                    if (done.stdout().length > 0) {
                        out.append("[stdout]\n").append(done.stdoutText());
                    }
                    if (done.stderr().length > 0) {
                        out.append("[stderr]\n").append(done.stderrText());
                    }
                    System.out.print(out); // one print per command: the two runs' reports never interleave
                    return null;
                });
    }

    static Future<String> getDate() {
        return createSubprocessExec(List.of("date"), SubprocessOptions.defaults().stdout(Stdio.PIPE))
                .then(proc -> proc.stdout().readLine()
                        .then(line -> proc.await().map(code -> line)));
    }

    static Future<Void> main(Scale scale) {
        long start = System.nanoTime();
        String sleep = String.format(Locale.ROOT, "%.3f", scale.seconds(1).toNanos() / 1e9);
        return Async.gather(run("ls /zzz"), run("sleep " + sleep + "; echo \"hello\""))
                .then(v -> {
                    System.out.println("both commands took " + Scale.elapsed(start));
                    return getDate();
                })
                .then(date -> {
                    System.out.println("Current date: " + date);
                    return createSubprocessExec("sleep", "60");
                })
                .then(proc -> timedWait(proc, scale));
    }

    /** asyncio's {@code wait_for(proc.wait(), timeout)}, and {@code kill()} when it times out. */
    private static Future<Void> timedWait(Subprocess proc, Scale scale) {
        long start = System.nanoTime();
        return Async.waitFor(proc.await(), scale.seconds(1))
                .map(code -> "[sleep 60 exited with " + code + "]")
                .recover(TimeoutException.class, e -> {
                    proc.kill(); // a cancelled or timed-out wait leaves the child running: kill it
                    return proc.await().map(code -> "[sleep 60 killed after " + Scale.elapsed(start)
                            + ": returncode " + code + "]");
                })
                .map(line -> {
                    System.out.println(line);
                    return null;
                });
    }

    /** Runs the program: {@code ./run subprocess [--scale F]}. */
    public static void main(String[] args) {
        Scale scale = Scale.parse(args, "subprocess");
        EventLoop.run(() -> main(scale));
    }
}
