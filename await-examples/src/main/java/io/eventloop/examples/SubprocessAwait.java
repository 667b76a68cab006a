package io.eventloop.examples;

import static io.eventloop.await.Await.async;
import static io.eventloop.await.Await.await;
import static io.eventloop.process.Subprocess.createSubprocessExec;
import static io.eventloop.process.Subprocess.createSubprocessShell;

import io.eventloop.Async;
import io.eventloop.EventLoop;
import io.eventloop.Task;
import io.eventloop.process.Stdio;
import io.eventloop.process.Subprocess;
import io.eventloop.process.SubprocessOptions;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeoutException;

/**
 * {@link SubprocessDemo} in straight-line form: the examples of asyncio's Subprocesses page line
 * for line, {@code wait_for(proc.wait(), timeout)} in a {@code try/catch} that kills the child
 * when it times out. Python:
 * <pre>
 * async def run(cmd):
 *     proc = await asyncio.create_subprocess_shell(cmd, stdout=PIPE, stderr=PIPE)
 *     stdout, stderr = await proc.communicate()
 *     print(f'[{cmd!r} exited with {proc.returncode}]')
 *
 * async def get_date():
 *     proc = await asyncio.create_subprocess_exec('date', stdout=PIPE)
 *     line = (await proc.stdout.readline()).decode().rstrip()
 *     await proc.wait()
 *     return line
 * </pre>
 */
public final class SubprocessAwait {
    private static final SubprocessOptions CAPTURE = SubprocessOptions.defaults().stdout(Stdio.PIPE).stderr(Stdio.PIPE);

    private SubprocessAwait() {
    }

    static Task<Void> run(String cmd) {
        return async(() -> {
            Subprocess proc = await(createSubprocessShell(cmd, CAPTURE));
            var done = await(proc.communicate());
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

    static Task<String> getDate() {
        return async(() -> {
            Subprocess proc = await(createSubprocessExec(List.of("date"), SubprocessOptions.defaults().stdout(Stdio.PIPE)));
            String line = await(proc.stdout().readLine());
            await(proc.await());
            return line;
        });
    }

    /** asyncio's {@code wait_for(proc.wait(), timeout)}, and {@code kill()} when it times out. */
    static Task<Void> timedWait(Subprocess proc, Scale scale) {
        return async(() -> {
            long start = System.nanoTime();
            String line;
            try {
                line = "[sleep 60 exited with " + await(Async.waitFor(proc.await(), scale.seconds(1))) + "]";
            } catch (Exception e) {
                if (!(e instanceof TimeoutException)) {
                    throw e;
                }
                proc.kill(); // a cancelled or timed-out wait leaves the child running: kill it
                int code = await(proc.await());
                line = "[sleep 60 killed after " + Scale.elapsed(start) + ": returncode " + code + "]";
            }
            System.out.println(line);
            return null;
        });
    }

    static Task<Void> main(Scale scale) {
        return async(() -> {
            long start = System.nanoTime();
            String sleep = String.format(Locale.ROOT, "%.3f", scale.seconds(1).toNanos() / 1e9);
            await(Async.gather(run("ls /zzz"), run("sleep " + sleep + "; echo \"hello\"")));
            System.out.println("both commands took " + Scale.elapsed(start));
            System.out.println("Current date: " + await(getDate()));
            Subprocess proc = await(createSubprocessExec("sleep", "60"));
            await(timedWait(proc, scale));
            return null;
        });
    }

    /** Runs the program: {@code ./run subprocess --await [--scale F]}. */
    public static void main(String[] args) {
        Scale scale = Scale.parse(args, "subprocess --await");
        EventLoop.run(() -> main(scale));
    }
}
