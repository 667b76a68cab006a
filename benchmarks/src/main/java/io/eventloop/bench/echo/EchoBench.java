package io.eventloop.bench.echo;

import java.io.File;
import java.io.IOException;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * The echo benchmark driver, run by {@code benchmarks/run-echo.sh} on the load CPU: starts each
 * echo server in a process of its own pinned to the server CPU, drives it with {@link EchoLoad}
 * (request/response with 1 KiB and 100 KiB messages, bulk streaming), then measures memory per
 * idle connection on a fresh server process; every repetition goes through all servers, in
 * reverse order every other time. Writes {@code echo.json} and prints a summary with the
 * ratios. See docs/benchmarks.md, "Echo server".
 *
 * <p>Options: {@code --out DIR --reps 2 --warmup 3 --duration 10 --connections 50 --idle 10000
 * --servers eventloop,netty,asyncio,uvloop --loads rr1k,rr100k,bulk --server-cpu 0
 * --python /usr/bin/python3 --script benchmarks/python/echo_server.py}.
 */
public final class EchoBench {
    private static final String[] JVM = {"-XX:+UseParallelGC", "-Xms256m", "-Xmx256m", "-XX:+AlwaysPreTouch"};

    private EchoBench() {
    }

    /** One measured window of one load on one server. */
    record Run(String server, String load, int rep, long requests, long bytes, double seconds, double p50Micros,
               double p99Micros, double maxMicros, double serverCpuSeconds, double clientCpuSeconds,
               long loopAllocatedBytes) {
        double perSecond() {
            return requests / seconds;
        }

        double mibPerSecond() {
            return bytes / seconds / (1024 * 1024);
        }

        double serverCpuShare() {
            return serverCpuSeconds / seconds;
        }

        double clientCpuShare() {
            return clientCpuSeconds / seconds;
        }

        /** Server CPU per request in microseconds, or per MiB for the bulk load. */
        double cpuMicrosPerUnit() {
            return load.equals("bulk") ? serverCpuSeconds * 1e6 / (bytes / (1024.0 * 1024)) : serverCpuSeconds * 1e6 / requests;
        }

        double allocPerRequest() {
            if (loopAllocatedBytes < 0) {
                return Double.NaN;
            }
            return load.equals("bulk") ? loopAllocatedBytes / (bytes / (1024.0 * 1024)) : loopAllocatedBytes / (double) requests;
        }
    }

    /** Memory per idle connection on one server. */
    record Idle(String server, int rep, int connections, long heapBefore, long heapAfter, long rssBefore,
                long rssAfter) {
        double heapPerConnection() {
            return heapBefore < 0 ? Double.NaN : (heapAfter - heapBefore) / (double) connections;
        }

        double rssPerConnection() {
            return (rssAfter - rssBefore) / (double) connections;
        }
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> o = new LinkedHashMap<>(Map.of(
                "out", "benchmarks/target/results", "reps", "2", "warmup", "3", "duration", "10",
                "connections", "50", "idle", "10000", "servers", "eventloop,netty,asyncio,uvloop",
                "loads", "rr1k,rr100k,bulk", "server-cpu", "0", "python", "/usr/bin/python3"));
        o.put("script", "benchmarks/python/echo_server.py");
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (!args[i].startsWith("--") || !o.containsKey(args[i].substring(2))) {
                throw new IllegalArgumentException("unknown option " + args[i]);
            }
            o.put(args[i].substring(2), args[i + 1]);
        }
        Path out = Path.of(o.get("out"));
        Files.createDirectories(out);
        int reps = Integer.parseInt(o.get("reps"));
        double warmUp = Double.parseDouble(o.get("warmup"));
        double duration = Double.parseDouble(o.get("duration"));
        int connections = Integer.parseInt(o.get("connections"));
        int idle = Integer.parseInt(o.get("idle"));
        int cpu = Integer.parseInt(o.get("server-cpu"));
        List<String> servers = List.of(o.get("servers").split(","));
        List<String> loads = Arrays.stream(o.get("loads").split(",")).filter(l -> !l.isBlank() && !l.equals("none")).toList();
        String java = ProcessHandle.current().info().command().orElse("java");
        String classpath = System.getProperty("java.class.path");

        List<Run> runs = new ArrayList<>();
        List<Idle> idles = new ArrayList<>();
        for (int rep = 1; rep <= reps; rep++) {
            List<String> order = new ArrayList<>(servers);
            if (rep % 2 == 0) {
                Collections.reverse(order);
            }
            for (String name : order) {
                List<String> command = command(name, java, classpath, o.get("python"), o.get("script"));
                File log = out.resolve("server-" + name + ".log").toFile();
                try (ServerProcess server = new ServerProcess(name, command, cpu, log)) {
                    EchoLoad load = new EchoLoad(server.address, connections, warmUp, duration);
                    for (String l : loads) {
                        Run r = measure(name, l, rep, server, load);
                        runs.add(r);
                        System.out.println(describe(r));
                    }
                }
                if (idle > 0) {
                    try (ServerProcess server = new ServerProcess(name, command, cpu, log)) {
                        Idle i = idleConnections(name, rep, server, idle);
                        idles.add(i);
                        System.out.printf(Locale.ROOT, "%-9s idle x%d  rep %d: heap %s B/conn, RSS %.0f B/conn%n",
                                name, idle, rep, fmt(i.heapPerConnection(), 1), i.rssPerConnection());
                    }
                }
            }
        }
        Files.writeString(out.resolve("echo.json"), json(runs, idles), StandardCharsets.UTF_8);
        System.out.println();
        System.out.print(summary(servers, loads, runs, idles));
    }

    static List<String> command(String name, String java, String classpath, String python, String script) {
        List<String> c = new ArrayList<>();
        switch (name) {
            case "eventloop", "netty" -> {
                c.add(java);
                c.addAll(Arrays.asList(JVM));
                if (name.equals("netty")) {
                    c.add("-Dio.netty.leakDetection.level=disabled");
                }
                c.add("-cp");
                c.add(classpath);
                c.add(name.equals("netty") ? NettyEchoServer.class.getName() : EventloopEchoServer.class.getName());
            }
            case "asyncio", "uvloop" -> c.addAll(List.of(python, script, name));
            default -> throw new IllegalArgumentException("unknown server " + name);
        }
        return c;
    }

    private static Run measure(String name, String loadName, int rep, ServerProcess server, EchoLoad load)
            throws IOException {
        long self = ProcessHandle.current().pid();
        double[] cpu = new double[4];
        long[] alloc = new long[2];
        EchoLoad.Window window = new EchoLoad.Window() {
            @Override
            public void opened() throws IOException {
                alloc[0] = server.command("alloc");
                cpu[0] = server.cpuSeconds();
                cpu[1] = ServerProcess.cpuSeconds(self);
            }

            @Override
            public void closed() throws IOException {
                cpu[2] = server.cpuSeconds();
                cpu[3] = ServerProcess.cpuSeconds(self);
                alloc[1] = server.command("alloc");
            }
        };
        EchoLoad.Result r = switch (loadName) {
            case "rr1k" -> load.requestResponse(1024, window);
            case "rr100k" -> load.requestResponse(100 * 1024, window);
            case "bulk" -> load.bulk(window);
            default -> throw new IllegalArgumentException("unknown load " + loadName);
        };
        long allocated = alloc[0] < 0 ? -1 : alloc[1] - alloc[0];
        return new Run(name, loadName, rep, r.requests(), r.bytes(), r.seconds(),
                r.latencies().percentileMicros(0.50), r.latencies().percentileMicros(0.99), r.latencies().maxMicros(),
                cpu[2] - cpu[0], cpu[3] - cpu[1], allocated);
    }

    private static Idle idleConnections(String name, int rep, ServerProcess server, int count) throws Exception {
        EchoLoad.closeAll(EchoLoad.openIdle(server.address, 50)); // first connections: classes loaded, code warm
        Thread.sleep(500);
        long heapBefore = server.command("heap");
        long rssBefore = server.rssBytes();
        List<SocketChannel> open = EchoLoad.openIdle(server.address, count);
        try {
            Thread.sleep(1000);
            long heapAfter = server.command("heap");
            long rssAfter = server.rssBytes();
            return new Idle(name, rep, count, heapBefore, heapAfter, rssBefore, rssAfter);
        } finally {
            EchoLoad.closeAll(open);
        }
    }

    private static String describe(Run r) {
        String rate = r.load().equals("bulk")
                ? String.format(Locale.ROOT, "%8.1f MiB/s", r.mibPerSecond())
                : String.format(Locale.ROOT, "%8.0f req/s  p50 %7.1f us  p99 %7.1f us", r.perSecond(), r.p50Micros(), r.p99Micros());
        return String.format(Locale.ROOT, "%-9s %-6s rep %d: %s  server CPU %3.0f%%  client CPU %3.0f%%  %.2f us/%s  alloc %s B/%s",
                r.server(), r.load(), r.rep(), rate, 100 * r.serverCpuShare(), 100 * r.clientCpuShare(),
                r.cpuMicrosPerUnit(), unit(r.load()), fmt(r.allocPerRequest(), 2), unit(r.load()));
    }

    private static String unit(String load) {
        return load.equals("bulk") ? "MiB" : "req";
    }

    private static String fmt(double v, int decimals) {
        return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%." + decimals + "f", v);
    }

    // ------------------------------------------------------------------ summary

    private static double mean(List<Run> rs, ToDoubleFunction<Run> f) {
        return rs.stream().mapToDouble(f).average().orElse(Double.NaN);
    }

    private static String range(List<Run> rs, ToDoubleFunction<Run> f, int decimals) {
        double min = rs.stream().mapToDouble(f).min().orElse(Double.NaN);
        double max = rs.stream().mapToDouble(f).max().orElse(Double.NaN);
        return fmt(min, decimals) + "–" + fmt(max, decimals);
    }

    private static List<Run> select(List<Run> runs, String server, String load) {
        return runs.stream().filter(r -> r.server().equals(server) && r.load().equals(load)).toList();
    }

    static String summary(List<String> servers, List<String> loads, List<Run> runs, List<Idle> idles) {
        StringBuilder s = new StringBuilder();
        for (String load : loads) {
            boolean bulk = load.equals("bulk");
            s.append("== ").append(load).append(bulk ? " (MiB/s echoed back)" : " (requests/s)").append('\n');
            s.append(String.format(Locale.ROOT, "%-10s %12s %17s %9s %9s %10s %10s %10s %12s%n", "server", "mean",
                    "range", "p50 us", "p99 us", "srv CPU", "cli CPU", "us/" + unit(load), "alloc B/" + unit(load)));
            for (String server : servers) {
                List<Run> rs = select(runs, server, load);
                if (rs.isEmpty()) {
                    continue;
                }
                ToDoubleFunction<Run> rate = bulk ? Run::mibPerSecond : Run::perSecond;
                s.append(String.format(Locale.ROOT, "%-10s %12s %17s %9s %9s %9.0f%% %9.0f%% %10s %12s%n", server,
                        fmt(mean(rs, rate), bulk ? 1 : 0), range(rs, rate, bulk ? 1 : 0),
                        bulk ? "-" : fmt(mean(rs, Run::p50Micros), 1), bulk ? "-" : fmt(mean(rs, Run::p99Micros), 1),
                        100 * mean(rs, Run::serverCpuShare), 100 * mean(rs, Run::clientCpuShare),
                        fmt(mean(rs, Run::cpuMicrosPerUnit), 2), fmt(mean(rs, Run::allocPerRequest), 2)));
            }
            List<Run> ours = select(runs, "eventloop", load);
            for (String peer : servers) {
                List<Run> theirs = select(runs, peer, load);
                if (peer.equals("eventloop") || ours.isEmpty() || theirs.isEmpty()) {
                    continue;
                }
                ToDoubleFunction<Run> rate = bulk ? Run::mibPerSecond : Run::perSecond;
                s.append(String.format(Locale.ROOT, "  eventloop / %-8s throughput %5.2fx  CPU per %s %5.2fx less",
                        peer, mean(ours, rate) / mean(theirs, rate), unit(load),
                        mean(theirs, Run::cpuMicrosPerUnit) / mean(ours, Run::cpuMicrosPerUnit)));
                if (!bulk) {
                    s.append(String.format(Locale.ROOT, "  p99 %5.2fx of theirs", mean(ours, Run::p99Micros) / mean(theirs, Run::p99Micros)));
                }
                s.append('\n');
            }
            s.append('\n');
        }
        if (!idles.isEmpty()) {
            s.append("== idle connections (").append(idles.get(0).connections()).append(" open)\n");
            s.append(String.format(Locale.ROOT, "%-10s %22s %22s%n", "server", "heap B/conn (per rep)", "RSS B/conn (per rep)"));
            for (String server : servers) {
                List<Idle> is = idles.stream().filter(i -> i.server().equals(server)).toList();
                if (is.isEmpty()) {
                    continue;
                }
                StringBuilder heap = new StringBuilder();
                StringBuilder rss = new StringBuilder();
                for (Idle i : is) {
                    heap.append(heap.length() > 0 ? " " : "").append(fmt(i.heapPerConnection(), 0));
                    rss.append(rss.length() > 0 ? " " : "").append(fmt(i.rssPerConnection(), 0));
                }
                s.append(String.format(Locale.ROOT, "%-10s %22s %22s%n", server, heap, rss));
            }
        }
        return s.toString();
    }

    // ------------------------------------------------------------------ JSON

    private static String json(List<Run> runs, List<Idle> idles) {
        StringBuilder s = new StringBuilder("{\n  \"runs\": [\n");
        for (int i = 0; i < runs.size(); i++) {
            Run r = runs.get(i);
            s.append(String.format(Locale.ROOT,
                    "    {\"server\": \"%s\", \"load\": \"%s\", \"rep\": %d, \"requests\": %d, \"bytes\": %d, "
                            + "\"seconds\": %.4f, \"p50_us\": %s, \"p99_us\": %s, \"max_us\": %.1f, "
                            + "\"server_cpu_s\": %.2f, \"client_cpu_s\": %.2f, \"loop_allocated_bytes\": %d}%s%n",
                    r.server(), r.load(), r.rep(), r.requests(), r.bytes(), r.seconds(), jsonNumber(r.p50Micros()),
                    jsonNumber(r.p99Micros()), r.maxMicros(), r.serverCpuSeconds(), r.clientCpuSeconds(),
                    r.loopAllocatedBytes(), i + 1 < runs.size() ? "," : ""));
        }
        s.append("  ],\n  \"idle\": [\n");
        for (int i = 0; i < idles.size(); i++) {
            Idle d = idles.get(i);
            s.append(String.format(Locale.ROOT,
                    "    {\"server\": \"%s\", \"rep\": %d, \"connections\": %d, \"heap_before\": %d, \"heap_after\": %d, "
                            + "\"rss_before\": %d, \"rss_after\": %d}%s%n",
                    d.server(), d.rep(), d.connections(), d.heapBefore(), d.heapAfter(), d.rssBefore(), d.rssAfter(),
                    i + 1 < idles.size() ? "," : ""));
        }
        return s.append("  ]\n}\n").toString();
    }

    private static String jsonNumber(double v) {
        return Double.isNaN(v) ? "null" : String.format(Locale.ROOT, "%.1f", v);
    }
}
