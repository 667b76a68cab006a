package io.eventloop.examples.kv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.eventloop.examples.Tool;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The real Redis tools against the server, unchanged: {@code redis-cli} (one-shot, from stdin,
 * {@code --pipe} mass insertion, RESP3) and {@code redis-benchmark}. Debian's {@code redis-tools}
 * package has both; {@code .ci/run} installs it, and a test fails naming it if it is missing.
 */
class KvServerRedisToolsTest {
    private KvFixture kv;

    @BeforeEach
    void start() throws Exception {
        kv = new KvFixture();
    }

    @AfterEach
    void stop() throws Exception {
        kv.close();
    }

    /** Fails, naming the package, if {@code tool} is not installed. */
    private static void requireInstalled(String tool) throws Exception {
        try {
            Process p = new ProcessBuilder(tool, "--version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            p.waitFor(30, TimeUnit.SECONDS);
        } catch (IOException missing) {
            fail(tool + " is not installed: apt-get install redis-tools (" + missing.getMessage() + ")");
        }
    }

    private Tool.Result cli(String... args) throws Exception {
        requireInstalled("redis-cli");
        List<String> command = new ArrayList<>(List.of("redis-cli", "-p", String.valueOf(kv.port())));
        command.addAll(Arrays.asList(args));
        return Tool.run(command.toArray(String[]::new));
    }

    /** Runs redis-cli with {@code input} on its stdin. */
    private String cliWithInput(String input, String... args) throws Exception {
        requireInstalled("redis-cli");
        List<String> command = new ArrayList<>(List.of("redis-cli", "-p", String.valueOf(kv.port())));
        command.addAll(Arrays.asList(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        try (OutputStream in = p.getOutputStream()) {
            in.write(input.getBytes(StandardCharsets.UTF_8));
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "redis-cli did not finish");
        assertEquals(0, p.exitValue(), out);
        return out;
    }

    @Test
    void redisCliRunsCommandsAndShowsRepliesAsAgainstRedis() throws Exception {
        assertEquals("OK\n", cli("SET", "greeting", "hello world").out());
        assertEquals("hello world\n", cli("GET", "greeting").out());
        assertEquals("(nil)\n", cli("--no-raw", "GET", "missing").out());
        assertEquals("(integer) 1\n", cli("--no-raw", "INCR", "n").out());
        assertEquals("1) \"hello world\"\n2) (nil)\n", cli("--no-raw", "MGET", "greeting", "missing").out());
        Tool.Result err = cli("--no-raw", "NOSUCH", "x");
        assertEquals("(error) ERR unknown command 'NOSUCH', with args beginning with: 'x' \n", err.out());
        assertTrue(cli("--no-raw", "-3", "HELLO", "3").out().contains("3# \"proto\" => (integer) 3\n"), "RESP3 map printed");
        assertEquals("PONG\n", cli("PING").out());
    }

    @Test
    void redisCliReadsCommandsFromStdin() throws Exception {
        String out = cliWithInput("SET a 1\nRPUSH l x y z\nLRANGE l 0 -1\nEXPIRE a 100\nTTL a\nKEYS *\n");
        assertEquals("OK\n3\nx\ny\nz\n1\n100\n", out.substring(0, out.indexOf("100\n") + 4));
    }

    @Test
    void redisCliPipeModeInsertsManyKeys() throws Exception {
        StringBuilder protocol = new StringBuilder();
        for (int i = 0; i < 20_000; i++) {
            protocol.append(new String(RespSocket.encode("SET", "mass:" + i, "v" + i), StandardCharsets.UTF_8));
        }
        String out = cliWithInput(protocol.toString(), "--pipe");
        assertTrue(out.contains("errors: 0, replies: 20000"), out);
        assertEquals("20000\n", cli("DBSIZE").out());
    }

    @Test
    void redisBenchmarksDefaultTestsCompleteWithoutErrors() throws Exception {
        requireInstalled("redis-benchmark");
        Tool.Result r = Tool.run("redis-benchmark", "-p", String.valueOf(kv.port()),
                "-t", "ping,set,get,incr,lpush,lpop,mset", "-n", "10000", "-q");
        assertEquals(0, r.exit(), r.toString());
        String out = r.out().replace('\r', '\n');
        for (String test : List.of("PING_INLINE", "PING_MBULK", "SET", "GET", "INCR", "LPUSH", "LPOP", "MSET (10 keys)")) {
            assertTrue(out.contains("\n" + test + ": ") || out.startsWith(test + ": "), test + " missing:\n" + r);
        }
        assertFalse(out.contains("ERR") || out.toLowerCase().contains("error"), r.toString());
        assertFalse(r.err().contains("WARNING"), "redis-benchmark fetched its CONFIG: " + r.err());
    }
}
