package io.eventloop.bench;

import io.eventloop.Async;
import io.eventloop.EventLoop;
import io.eventloop.Future;
import io.eventloop.process.Stdio;
import io.eventloop.process.Subprocess;
import io.eventloop.process.SubprocessOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Child processes on the loop, the two costs a program meets: bytes through a child's pipes, and
 * starting and reaping children. Not a JMH benchmark: a plain program that
 * {@code benchmarks/run-subprocess.sh} runs in turn with asyncio's and uvloop's version of the same
 * work ({@code benchmarks/python/subprocess_bench.py}), and that prints one line per measure:
 * <ul>
 *   <li><b>pipe</b>: {@code MIB} MiB written to {@code cat}'s stdin in 64 KiB writes, each followed
 *       by {@code drain()}, while another task reads its stdout with {@code read(65536)} until EOF;
 *       MiB per second, counting the bytes once.</li>
 *   <li><b>spawn</b>: {@code CHILDREN} runs of {@code true} with the three streams piped, 16 at a
 *       time, each {@code communicate()}d (stdin closed, both outputs read to EOF, exit awaited);
 *       children per second.</li>
 * </ul>
 * A warm-up pass of each (a tenth of the work) comes first, so the JIT has compiled the path.
 * Usage: {@code SubprocessBench MIB CHILDREN}; prints {@code pipe_mib_per_s X} and
 * {@code spawn_per_s Y}.
 */
public final class SubprocessBench {
    private static final int CHUNK = 64 * 1024;
    private static final int AT_ONCE = 16;
    private static final SubprocessOptions PIPES =
            SubprocessOptions.defaults().stdin(Stdio.PIPE).stdout(Stdio.PIPE).stderr(Stdio.PIPE);

    private SubprocessBench() {
    }

    /** Seconds to push {@code bytes} bytes (rounded down to whole 64 KiB writes) through cat. */
    static Future<Double> pipe(long bytes) {
        long total = bytes - bytes % CHUNK;
        long start = System.nanoTime();
        byte[] block = new byte[CHUNK];
        for (int i = 0; i < CHUNK; i++) {
            block[i] = (byte) i;
        }
        return Subprocess.createSubprocessExec(List.of("cat"), PIPES.stderr(Stdio.INHERIT)).then(proc -> {
            long[] sent = {0};
            Future<Void> writing = Async.repeat(() -> {
                if (sent[0] >= total) {
                    proc.stdin().close();
                    return Async.completed(false);
                }
                proc.stdin().write(block);
                sent[0] += CHUNK;
                return proc.stdin().drain().map(v -> true);
            });
            long[] received = {0};
            Future<Void> reading = Async.repeat(() -> proc.stdout().read(CHUNK).map(b -> {
                received[0] += b.length;
                return b.length > 0;
            }));
            return Async.gather(writing, reading).then(v -> proc.await()).map(code -> {
                if (code != 0 || received[0] != total) {
                    throw new IllegalStateException("cat exited with " + code + " after " + received[0] + " of " + total + " bytes");
                }
                return (System.nanoTime() - start) / 1e9;
            });
        });
    }

    /** Seconds to run {@code children} times {@code true}, {@value #AT_ONCE} at a time. */
    static Future<Double> spawn(int children) {
        long start = System.nanoTime();
        int[] next = {0};
        List<Future<Void>> workers = new ArrayList<>();
        for (int w = 0; w < AT_ONCE; w++) {
            workers.add(Async.repeat(() -> {
                if (next[0] == children) {
                    return Async.completed(false);
                }
                next[0]++;
                return Subprocess.createSubprocessExec(List.of("true"), PIPES)
                        .then(Subprocess::communicate)
                        .map(done -> {
                            if (done.returnCode() != 0) {
                                throw new IllegalStateException("true exited with " + done.returnCode());
                            }
                            return true;
                        });
            }));
        }
        return Async.gather(workers).map(v -> (System.nanoTime() - start) / 1e9);
    }

    public static void main(String[] args) {
        int mib = Integer.parseInt(args[0]);
        int children = Integer.parseInt(args[1]);
        long bytes = (long) mib << 20;
        EventLoop.run(() -> pipe(bytes / 10)
                .then(s -> spawn(children / 10))
                .then(s -> pipe(bytes))
                .then(pipeSeconds -> spawn(children).map(spawnSeconds -> {
                    System.out.printf(Locale.ROOT, "pipe_mib_per_s %.1f%n", mib / pipeSeconds);
                    System.out.printf(Locale.ROOT, "spawn_per_s %.1f%n", children / spawnSeconds);
                    return null;
                })));
    }
}
