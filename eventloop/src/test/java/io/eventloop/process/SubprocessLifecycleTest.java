package io.eventloop.process;

import static io.eventloop.process.ProcessTesting.await;
import static io.eventloop.process.ProcessTesting.failure;
import static io.eventloop.process.ProcessTesting.iterate;
import static io.eventloop.process.ProcessTesting.require;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eventloop.Async;
import io.eventloop.EventLoop;
import io.eventloop.Future;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Starting, reaping, signals, cancellation, and what is left behind (nothing). */
@ExtendWith(ProcessTesting.class)
class SubprocessLifecycleTest {
    private static final SubprocessOptions PIPES =
            SubprocessOptions.defaults().stdin(Stdio.PIPE).stdout(Stdio.PIPE).stderr(Stdio.PIPE);

    private EventLoop loop;
    /** Children a test started and may leave running if it fails: killed after it. */
    private final List<Subprocess> started = new ArrayList<>();

    @BeforeEach
    void setUp() {
        loop = new EventLoop();
    }

    @AfterEach
    void tearDown() {
        try {
            for (Subprocess p : started) {
                if (!loop.isClosed() && p.returnCode() == null) {
                    p.kill();
                    await(loop, p.await());
                }
            }
        } finally {
            loop.close();
        }
    }

    private Subprocess start(SubprocessOptions options, String... argv) {
        Subprocess p = await(loop, Subprocess.createSubprocessExec(List.of(argv), options));
        started.add(p);
        return p;
    }

    private static boolean alive(long pid) {
        Optional<ProcessHandle> h = ProcessHandle.of(pid);
        return h.isPresent() && h.get().isAlive();
    }

    @Test
    void killReportsMinusNine() {
        Subprocess proc = start(SubprocessOptions.defaults(), require("sleep", "coreutils"), "30");
        assertNull(proc.returnCode());
        proc.kill();
        assertEquals(-9, await(loop, proc.await()));
        assertEquals(-9, proc.returnCode());
        proc.kill(); // after the exit: nothing happens
        proc.terminate();
        await(loop, proc.sendSignal("USR1"));
    }

    @Test
    void terminateReportsMinusFifteen() {
        Subprocess proc = start(SubprocessOptions.defaults(), require("sleep", "coreutils"), "30");
        proc.terminate();
        assertEquals(-15, await(loop, proc.await()));
    }

    @Test
    void sendSignalDeliversAnySignalByNameOrNumber() {
        String script = "trap 'echo got USR1; exit 3' USR1; echo ready; while :; do sleep 0.01; done";
        Subprocess trapping = await(loop, Subprocess.createSubprocessShell(script,
                SubprocessOptions.defaults().stdout(Stdio.PIPE)));
        started.add(trapping);
        assertEquals("ready", await(loop, trapping.stdout().readLine()));
        await(loop, trapping.sendSignal("SIGUSR1"));
        assertEquals("got USR1", await(loop, trapping.stdout().readLine()));
        assertEquals(3, await(loop, trapping.await()));

        Subprocess sleeping = start(SubprocessOptions.defaults(), require("sleep", "coreutils"), "30");
        await(loop, sleeping.sendSignal(2));
        assertEquals(-2, await(loop, sleeping.await()), "SIGINT ends sleep: -2");
        Subprocess hup = start(SubprocessOptions.defaults(), require("sleep", "coreutils"), "30");
        await(loop, hup.sendSignal("hup"));
        assertEquals(-1, await(loop, hup.await()));
    }

    @Test
    void aSignalThatIsNoSignalIsRefusedByName() {
        Subprocess proc = start(SubprocessOptions.defaults(), require("sleep", "coreutils"), "30");
        IllegalArgumentException byName = assertThrows(IllegalArgumentException.class, () -> proc.sendSignal("SIGNOPE"));
        assertTrue(byName.getMessage().contains("SIGNOPE"), byName.getMessage());
        assertThrows(IllegalArgumentException.class, () -> proc.sendSignal("SIG"));
        IllegalArgumentException byNumber = assertThrows(IllegalArgumentException.class, () -> proc.sendSignal(65));
        assertTrue(byNumber.getMessage().contains("65"), byNumber.getMessage());
        assertThrows(IllegalArgumentException.class, () -> proc.sendSignal(0));
        assertNull(proc.returnCode());
    }

    @Test
    void javasExitValuesForSignalsBecomeNegativeSignalNumbers() {
        assertEquals(-9, Subprocess.returnCode(128 + 9));
        assertEquals(-64, Subprocess.returnCode(128 + 64));
        assertEquals(193, Subprocess.returnCode(193));
        assertEquals(128, Subprocess.returnCode(128));
        assertEquals(0, Subprocess.returnCode(0));
        assertEquals(1, Subprocess.returnCode(1));
        assertEquals(15, Subprocess.signalNumber("term"));
        assertEquals(10, Subprocess.signalNumber("SIGUSR1"));
        assertEquals(31, Subprocess.signalNumber("SYS"));
    }

    @Test
    void anExitStatusComesBackAsIs() {
        Subprocess proc = await(loop, Subprocess.createSubprocessShell("exit 7"));
        assertEquals(7, await(loop, proc.await()));
    }

    @Test
    void aMissingExecutableFailsNamingItAndLeavesNothingBehind() {
        List<String> descriptors = ProcessTesting.descriptors();
        Future<Subprocess> f = Subprocess.createSubprocessExec(List.of("/nonexistent/no-such-program", "x"), PIPES);
        Throwable error = failure(loop, f);
        assertInstanceOf(IOException.class, error);
        assertTrue(error.getMessage().contains("/nonexistent/no-such-program"), error.getMessage());
        assertTrue(ProcessTesting.pipeThreads().isEmpty(), "threads: " + ProcessTesting.pipeThreads());
        assertEquals(descriptors, ProcessTesting.descriptors());
        Throwable onPath = failure(loop, Subprocess.createSubprocessExec("no-such-program-on-the-path"));
        assertTrue(onPath.getMessage().contains("no-such-program-on-the-path"), onPath.getMessage());
    }

    @Test
    void aMissingWorkingDirectoryFailsNamingIt(@TempDir Path dir) {
        Path missing = dir.resolve("gone");
        Throwable error = failure(loop, Subprocess.createSubprocessExec(List.of(require("true", "coreutils")),
                PIPES.cwd(missing)));
        assertInstanceOf(IOException.class, error);
        assertTrue(error.getMessage().contains(missing.toString()), error.getMessage());
    }

    @Test
    void theChildRunsInCwdWithExactlyTheGivenEnvironment(@TempDir Path dir) throws IOException {
        Path real = dir.toRealPath();
        Files.writeString(real.resolve("marker.txt"), "here");
        Subprocess env = start(SubprocessOptions.defaults().stdout(Stdio.PIPE).env(Map.of("GREETING", "hello there")),
                require("env", "coreutils"));
        assertEquals("GREETING=hello there\n", await(loop, env.communicate()).stdoutText());
        Subprocess pwd = start(SubprocessOptions.defaults().stdout(Stdio.PIPE).cwd(real), "/bin/sh", "-c", "pwd; cat marker.txt");
        assertEquals(real + "\nhere", await(loop, pwd.communicate()).stdoutText());
    }

    @Test
    void cancellingAWaitLeavesTheChildRunning() {
        Subprocess proc = start(SubprocessOptions.defaults(), require("sleep", "coreutils"), "30");
        Future<Integer> waiting = proc.await();
        Future<Integer> other = proc.await();
        waiting.cancel();
        iterate(loop, 3);
        assertTrue(waiting.isCancelled());
        assertFalse(other.isDone());
        assertTrue(alive(proc.pid()), "the child died when a wait for it was cancelled");
        Future<CompletedProcess> communicating = proc.communicate();
        communicating.cancel();
        iterate(loop, 3);
        assertTrue(alive(proc.pid()));
        proc.kill();
        assertEquals(-9, await(loop, other));
    }

    @Test
    void killOnCancelKillsTheChildWhenAWaitIsCancelled() {
        Subprocess proc = start(SubprocessOptions.defaults().killOnCancel(true), require("sleep", "coreutils"), "30");
        Future<Integer> waiting = proc.await();
        waiting.cancel();
        assertEquals(-9, await(loop, proc.await()));
        Subprocess talking = start(PIPES.killOnCancel(true), require("sleep", "coreutils"), "30");
        Future<CompletedProcess> communicating = talking.communicate();
        iterate(loop, 2);
        communicating.cancel();
        assertThrows(CancellationException.class, () -> await(loop, communicating));
        assertEquals(-9, await(loop, talking.await()));
    }

    @Test
    void aWaitTimeoutWithWaitForThenKillIsAsyncioPattern() {
        Subprocess proc = start(SubprocessOptions.defaults(), require("sleep", "coreutils"), "30");
        Future<Integer> timed = Async.waitFor(proc.await(), java.time.Duration.ofMillis(50))
                .recover(java.util.concurrent.TimeoutException.class, e -> {
                    proc.kill();
                    return proc.await();
                });
        assertEquals(-9, await(loop, timed));
    }

    @Test
    void aThousandShortLivedChildrenLeaveNoDescriptorOrThread() throws InterruptedException {
        String trueProgram = require("true", "coreutils");
        List<String> descriptors = ProcessTesting.descriptors();
        java.util.Set<Thread> threadsBefore = Thread.getAllStackTraces().keySet();
        int[] exited = {0};
        int[] next = {0};
        int children = 1000;
        int atOnce = 16;
        List<Future<Void>> workers = new ArrayList<>();
        for (int w = 0; w < atOnce; w++) {
            workers.add(Async.repeat(() -> {
                if (next[0] == children) {
                    return Async.completed(false);
                }
                next[0]++;
                return Subprocess.createSubprocessExec(List.of(trueProgram), PIPES)
                        .then(Subprocess::communicate)
                        .map(done -> {
                            assertEquals(0, done.returnCode());
                            exited[0]++;
                            return true;
                        });
            }));
        }
        // About 9 s on an idle 2-core machine, and over 30 s when its load average is above 20: a
        // thousand forks are what the machine's load slows most. The guard is only against a hang.
        await(loop, Async.gather(workers), java.time.Duration.ofSeconds(180));
        assertEquals(children, exited[0]);
        ProcessTesting.awaitNoPipeThreads();
        assertEquals(descriptors, ProcessTesting.descriptors());
        // The JDK's own threads (its process reaper pool, the common pool onExit completes on) idle out
        // on their own clock, and the loops' one shared watchdog thread comes and goes with the loops
        // of the process; what this library adds per child is its pipe threads, gone above.
        List<String> added = new ArrayList<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (!threadsBefore.contains(t) && !t.getName().equals("process reaper") // the JDK's pool: idles out in 60 s
                    && !t.getName().equals("eventloop-watchdog")) {
                added.add(t.getName());
            }
        }
        assertTrue(added.size() <= 2 * atOnce, "threads left: " + added);
        assertTrue(added.stream().noneMatch(n -> n.startsWith("eventloop-")), "threads left: " + added);
    }

    @Test
    void aChildOutlivesItsLoopAndItsPipeThreadsEndWithIt() throws InterruptedException {
        EventLoop other = new EventLoop();
        Subprocess proc;
        try {
            proc = await(other, Subprocess.createSubprocessExec(List.of(require("sleep", "coreutils"), "30"),
                    SubprocessOptions.defaults().stdout(Stdio.PIPE).stderr(Stdio.PIPE)));
        } finally {
            other.close();
        }
        assertTrue(alive(proc.pid()), "closing the loop killed the child");
        ProcessHandle.of(proc.pid()).ifPresent(ProcessHandle::destroyForcibly);
        ProcessTesting.awaitNoPipeThreads();
    }

    @Test
    void aLoopClosingUnderAChattyChildClosesItsPipesSoTheChildEnds() throws Exception {
        EventLoop other = new EventLoop();
        Subprocess yes;
        Subprocess cat;
        try {
            yes = await(other, Subprocess.createSubprocessExec(List.of(require("yes", "coreutils")),
                    SubprocessOptions.defaults().stdout(Stdio.PIPE).limit(1024)));
            while (yes.stdout().buffered() <= 2 * 1024) { // paused: its thread waits on the loop
                await(other, Async.yieldNow());
            }
            cat = await(other, Subprocess.createSubprocessExec(List.of(require("cat", "coreutils")),
                    SubprocessOptions.defaults().stdin(Stdio.PIPE).stdout(Stdio.DEVNULL)));
            cat.stdin().write("started\n"); // its thread now waits for more
            await(other, cat.stdin().drain());
        } finally {
            other.close();
        }
        ProcessHandle yesHandle = ProcessHandle.of(yes.pid()).orElseThrow();
        ProcessHandle catHandle = ProcessHandle.of(cat.pid()).orElseThrow();
        yesHandle.onExit().get(20, java.util.concurrent.TimeUnit.SECONDS);   // SIGPIPE: its reader went away
        catHandle.onExit().get(20, java.util.concurrent.TimeUnit.SECONDS);   // EOF on stdin
        ProcessTesting.awaitNoPipeThreads();
    }

    @Test
    void badArgumentsFailAtOnceNamingTheValue() {
        assertThrows(IllegalArgumentException.class, () -> Subprocess.createSubprocessExec(List.of(), PIPES));
        List<String> withNull = new ArrayList<>();
        withNull.add("ls");
        withNull.add(null);
        IllegalArgumentException nul = assertThrows(IllegalArgumentException.class,
                () -> Subprocess.createSubprocessExec(withNull, PIPES));
        assertTrue(nul.getMessage().contains("[ls, null]"), nul.getMessage());
        assertThrows(IllegalArgumentException.class, () -> PIPES.stdin(Stdio.STDOUT));
        assertThrows(IllegalArgumentException.class, () -> PIPES.stdout(Stdio.STDOUT));
        IllegalArgumentException limit = assertThrows(IllegalArgumentException.class, () -> PIPES.limit(0));
        assertTrue(limit.getMessage().contains("0"), limit.getMessage());
        Subprocess proc = start(SubprocessOptions.defaults().stdout(Stdio.PIPE), require("true", "coreutils"));
        IllegalArgumentException input = assertThrows(IllegalArgumentException.class,
                () -> proc.communicate(new byte[3]));
        assertTrue(input.getMessage().contains("not a pipe"), input.getMessage());
        await(loop, proc.communicate());
    }

    @Test
    void anotherThreadIsToldToUseTheLoop() throws Exception {
        Subprocess proc = start(SubprocessOptions.defaults(), require("true", "coreutils"));
        Throwable[] thrown = {null};
        Thread t = new Thread(() -> {
            try {
                proc.await();
            } catch (Throwable e) {
                thrown[0] = e;
            }
        });
        t.start();
        t.join();
        IllegalStateException wrongThread = assertInstanceOf(IllegalStateException.class, thrown[0]);
        assertTrue(wrongThread.getMessage().contains("Subprocess.await"), wrongThread.getMessage());
        await(loop, proc.await());
    }
}
