package io.eventloop.bench.echo;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A benchmark echo server in a process of its own, pinned to one CPU with {@code taskset}: its
 * address (from its {@code listening on HOST:PORT} or {@code listening on PATH} line), its command channel, and its CPU time
 * and resident set read from {@code /proc}.
 */
final class ServerProcess implements AutoCloseable {
    private static final long CLOCK_TICKS_PER_SECOND = 100; // getconf CLK_TCK on Linux
    private final String name;
    private final Process process;
    private final BufferedReader out;
    private final Writer in;
    /** Where it listens: host and port, or a Unix domain socket's path. */
    final SocketAddress address;

    ServerProcess(String name, List<String> command, int cpu, File log) throws IOException {
        this.name = name;
        List<String> pinned = new ArrayList<>(List.of("taskset", "-c", Integer.toString(cpu)));
        pinned.addAll(command);
        process = new ProcessBuilder(pinned)
                .redirectError(ProcessBuilder.Redirect.appendTo(log))
                .start();
        out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        in = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        String line = out.readLine();
        for (int skipped = 0; line != null && !line.startsWith("listening on ") && skipped < 20; skipped++) {
            line = out.readLine(); // e.g. what the JVM prints when a flight recording starts
        }
        if (line == null || !line.startsWith("listening on ")) {
            process.destroyForcibly();
            throw new IOException(name + " did not start (" + line + "); see " + log);
        }
        String hostPort = line.substring("listening on ".length()).trim();
        int colon = hostPort.lastIndexOf(':');
        address = hostPort.startsWith("/") ? UnixDomainSocketAddress.of(hostPort)
                : new InetSocketAddress(hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1)));
    }

    long pid() {
        return process.pid(); // taskset execs the server: same process
    }

    /** Sends one command line and returns the number in the answer ("heap 123" gives 123). */
    long command(String command) throws IOException {
        in.write(command + "\n");
        in.flush();
        String line = out.readLine();
        if (line == null || !line.startsWith(command + " ")) {
            throw new IOException(name + " answered '" + line + "' to " + command);
        }
        return Long.parseLong(line.substring(command.length() + 1).trim());
    }

    /** User + system CPU time of the server process so far, in seconds. */
    double cpuSeconds() throws IOException {
        return cpuSeconds(pid());
    }

    static double cpuSeconds(long pid) throws IOException {
        double[] t = cpuTimes(pid);
        return t[0] + t[1];
    }

    /** User and system CPU time of the server process so far, in seconds. */
    double[] cpuTimes() throws IOException {
        return cpuTimes(pid());
    }

    /** {user, system} CPU seconds of process {@code pid}: utime and stime of /proc/PID/stat. */
    static double[] cpuTimes(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return new double[] {Long.parseLong(fields[11]) / (double) CLOCK_TICKS_PER_SECOND,
            Long.parseLong(fields[12]) / (double) CLOCK_TICKS_PER_SECOND};
    }

    /**
     * {read, write} system calls of the server process so far: {@code syscr} and {@code syscw} of
     * /proc/PID/io, which count {@code read}, {@code readv}, {@code recvfrom}... and {@code write},
     * {@code writev}, {@code sendto}... (not {@code epoll_wait}).
     */
    long[] ioCalls() throws IOException {
        long reads = -1;
        long writes = -1;
        for (String line : Files.readAllLines(Path.of("/proc/" + pid() + "/io"))) {
            if (line.startsWith("syscr:")) {
                reads = Long.parseLong(line.substring(6).trim());
            } else if (line.startsWith("syscw:")) {
                writes = Long.parseLong(line.substring(6).trim());
            }
        }
        return new long[] {reads, writes};
    }

    /** Resident set size in bytes ({@code VmRSS}). */
    long rssBytes() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid() + "/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        }
        throw new IOException("no VmRSS for " + name);
    }

    @Override
    public void close() throws InterruptedException {
        try {
            in.write("quit\n");
            in.flush();
        } catch (IOException e) {
            // already gone
        }
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(5, TimeUnit.SECONDS);
        }
    }
}
