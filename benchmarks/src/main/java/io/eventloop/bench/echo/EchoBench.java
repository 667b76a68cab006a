package io.eventloop.bench.echo;

import io.eventloop.net.SelfSignedCertificate;
import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;
import java.util.function.ToDoubleFunction;

/**
 * The echo benchmark driver, run by {@code benchmarks/run-echo.sh} on the load CPU. See
 * docs/benchmarks.md, "Echo server".
 *
 * <p>A repetition starts every server at once, each in a process of its own pinned to the server
 * CPU. For each load (request/response with 1 KiB and with 100 KiB messages, bulk streaming) it
 * opens the connections to every server, warms each server up in turn, then measures in rounds:
 * each round drives every server for one slice (1 s), one after the other, starting with a
 * different server each round. Interleaving the servers slice by slice spreads whatever else the
 * machine is doing over all of them alike. Then it stops the servers and measures memory per
 * idle connection on a fresh process of each. Writes {@code echo.json} and prints a summary with
 * the ratios.
 *
 * <p>Servers: {@code eventloop} (this library's protocol server, {@link EventloopEchoServer}),
 * {@code netty}, {@code asyncio}, {@code uvloop} (protocol servers, all four), and the streams
 * servers {@code eventloop-streams} ({@link EventloopStreamsEchoServer}), {@code asyncio-streams}
 * and {@code uvloop-streams} ({@code asyncio.start_server}), and {@code await-streams} (the streams
 * handler in straight-line form, {@code AwaitStreamsEchoServer}: a jar built on JDK 21+, run on it). The summary gives {@code eventloop}
 * over every protocol peer, and {@code eventloop-streams} over {@code eventloop},
 * {@code uvloop-streams} and {@code asyncio-streams}.
 *
 * <p>Options: {@code --out DIR --reps 2 --warmup 3 --duration 10 --slice 1 --connections 50
 * --idle 10000 --servers eventloop,netty,asyncio,uvloop --loads rr1k,rr100k,bulk --server-cpu 0
 * --python /usr/bin/python3 --script benchmarks/python/echo_server.py --tls off
 * --client-tls openssl}; {@code --loads none} or {@code --idle 0} leave a part out (loads:
 * {@code rr1k}, {@code rr64k}, {@code rr100k}, {@code bulk}, and over TLS {@code handshake}); a
 * server named {@code eventloop@JAR} (or {@code eventloop-streams@JAR}) is this library's server
 * run from another build's jar; {@code --server-jvm-args "..."} adds JVM options to the Java
 * servers, {@code {name}} in them becoming the server's name (e.g.
 * {@code -XX:StartFlightRecording=filename={name}.jfr} to profile them).
 *
 * <p>{@code --tls on} (see docs/benchmarks.md, "TLS", and {@code benchmarks/run-tls.sh}) runs the
 * same parts over TLS 1.3: it makes one {@link SelfSignedCertificate} (EC P-256), writes it and
 * its key as PEM into the output directory, and starts the Java servers with
 * {@code --tls CERT KEY}, so both load the same files; the load generator's connections speak
 * TLS through {@link ClientTls} ({@code --client-tls openssl}, BoringSSL, or {@code jdk}), the
 * echo loads shake hands before they are measured, the {@code handshake} load measures new
 * connections a second ({@link HandshakeLoad}), and the idle connections have finished their
 * handshakes. The bulk load and the Python servers are plain TCP only.
 *
 * <p>{@code --unix DIR} (see docs/benchmarks.md, "Unix domain sockets", and
 * {@code benchmarks/run-unix.sh}) has the Java servers listen on Unix domain sockets in
 * {@code DIR} ({@code --unix DIR/NAME.sock}) instead of TCP ports; the loads connect there.
 */
public final class EchoBench {
    private static final String[] JVM = {"-XX:+UseParallelGC", "-Xms256m", "-Xmx256m", "-XX:+AlwaysPreTouch"};
    private static final double MIB = 1024 * 1024;

    private EchoBench() {
    }

    /** One slice of one load on one server. */
    record Run(String server, String load, int rep, int round, long requests, long bytes, double seconds,
               long allRequests, long allBytes, double windowSeconds, double serverCpuSeconds, double serverSysSeconds,
               double clientCpuSeconds, long loopAllocatedBytes, long serverReadCalls, long serverWriteCalls) {
        boolean bulk() {
            return load.equals("bulk");
        }

        /** Requests per second, or MiB per second for the bulk load. */
        double rate() {
            return bulk() ? bytes / MIB / seconds : requests / seconds;
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
        Map<String, String> o = new LinkedHashMap<>();
        String[] defaults = {"out", "benchmarks/target/results/echo", "reps", "2", "warmup", "3", "duration", "10",
            "slice", "1", "connections", "50", "idle", "10000", "servers", "eventloop,netty,asyncio,uvloop",
            "loads", "rr1k,rr100k,bulk", "server-cpu", "0", "python", "/usr/bin/python3",
            "script", "benchmarks/python/echo_server.py", "server-jvm-args", "", "tls", "off",
            "client-tls", "openssl", "unix", ""};
        for (int i = 0; i < defaults.length; i += 2) {
            o.put(defaults[i], defaults[i + 1]);
        }
        for (int i = 0; i < args.length; i += 2) {
            if (!args[i].startsWith("--") || !o.containsKey(args[i].substring(2)) || i + 1 >= args.length) {
                throw new IllegalArgumentException("unknown option or missing value: " + args[i]);
            }
            o.put(args[i].substring(2), args[i + 1]);
        }
        Path out = Path.of(o.get("out"));
        Files.createDirectories(out);
        int reps = Integer.parseInt(o.get("reps"));
        double warmUp = Double.parseDouble(o.get("warmup"));
        double slice = Double.parseDouble(o.get("slice"));
        int rounds = (int) Math.max(1, Math.round(Double.parseDouble(o.get("duration")) / slice));
        int connections = Integer.parseInt(o.get("connections"));
        int idle = Integer.parseInt(o.get("idle"));
        int cpu = Integer.parseInt(o.get("server-cpu"));
        List<String> servers = List.of(o.get("servers").split(","));
        List<String> loads = Arrays.stream(o.get("loads").split(","))
                .filter(l -> !l.isBlank() && !l.equals("none")).toList();
        String java = ProcessHandle.current().info().command().orElse("java");
        String classpath = System.getProperty("java.class.path");
        ClientTls tls = null;
        List<String> tlsArgs = List.of();
        if (o.get("tls").equals("on")) {
            Path cert = out.resolve("tls-cert.pem").toAbsolutePath();
            Path key = out.resolve("tls-key.pem").toAbsolutePath();
            SelfSignedCertificate.generate().writeTo(cert, key);
            tls = ClientTls.create(o.get("client-tls"), cert);
            tlsArgs = List.of("--tls", cert.toString(), key.toString());
            System.out.println("TLS: servers load " + cert + " and " + key + "; client: " + tls.provider());
        } else if (!o.get("tls").equals("off")) {
            throw new IllegalArgumentException("--tls is on or off, not " + o.get("tls"));
        }
        Map<String, List<String>> commands = new LinkedHashMap<>();
        for (String name : servers) {
            List<String> c = command(name, java, classpath, o.get("python"), o.get("script"));
            if (c.get(0).equals(java) && !o.get("server-jvm-args").isBlank()) {
                String safe = name.replaceAll("[^A-Za-z0-9.-]", "_");
                c.addAll(1, List.of(o.get("server-jvm-args").trim().replace("{name}", safe).split("\\s+")));
            }
            if (!o.get("unix").isEmpty()) {
                if (!c.get(0).equals(java)) {
                    throw new IllegalArgumentException("--unix: " + name + " serves TCP only");
                }
                Path dir = Files.createDirectories(Path.of(o.get("unix")));
                c.addAll(List.of("--unix", dir.resolve(name.replaceAll("[^A-Za-z0-9.-]", "_") + ".sock").toString()));
            }
            if (tls != null) {
                if (!c.get(0).equals(java)) {
                    throw new IllegalArgumentException("--tls on: " + name + " serves plain TCP only");
                }
                c.addAll(tlsArgs);
            }
            commands.put(name, c);
        }
        if (tls != null && loads.contains("bulk")) {
            throw new IllegalArgumentException("--tls on: the bulk load is plain TCP only");
        }

        List<Run> runs = new ArrayList<>();
        List<Idle> idles = new ArrayList<>();
        Map<String, LatencyHistogram> latencies = new HashMap<>(); // server|load|rep
        for (int rep = 1; rep <= reps; rep++) {
            if (!loads.isEmpty()) {
                Map<String, ServerProcess> procs = new LinkedHashMap<>();
                try {
                    for (String name : servers) {
                        procs.put(name, new ServerProcess(name, commands.get(name), cpu, log(out, name)));
                    }
                    for (String load : loads) {
                        runLoad(load, rep, rounds, warmUp, slice, connections, tls, procs, runs, latencies);
                    }
                } finally {
                    for (ServerProcess p : procs.values()) {
                        p.close();
                    }
                }
            }
            if (idle > 0) {
                for (String name : servers) {
                    try (ServerProcess server = new ServerProcess(name, commands.get(name), cpu, log(out, name))) {
                        Idle i = idleConnections(name, rep, server, idle, tls);
                        idles.add(i);
                        System.out.printf(Locale.ROOT,
                                "%-" + width(servers) + "s idle x%d  rep %d: heap %s B/conn, RSS %.0f B/conn%n", name,
                                idle, rep, fmt(i.heapPerConnection(), 1), i.rssPerConnection());
                    }
                }
            }
        }
        Files.writeString(out.resolve("echo.json"), json(runs, idles), StandardCharsets.UTF_8);
        System.out.println();
        System.out.print(summary(servers, loads, reps, runs, latencies, idles));
    }

    private static File log(Path out, String name) {
        return out.resolve("server-" + name.replaceAll("[^A-Za-z0-9.-]", "_") + ".log").toFile();
    }

    /**
     * The command line of a server. {@code eventloop@JAR} (or {@code netty@JAR}) runs that server
     * from another build, to compare two builds in one interleaved run.
     */
    static List<String> command(String name, String java, String classpath, String python, String script) {
        List<String> c = new ArrayList<>();
        int at = name.indexOf('@');
        if (at > 0) {
            classpath = name.substring(at + 1);
            name = name.substring(0, at);
        }
        switch (name) {
            case "eventloop", "eventloop-streams", "netty" -> {
                c.add(java);
                c.addAll(Arrays.asList(JVM));
                if (name.equals("netty")) {
                    c.add("-Dio.netty.leakDetection.level=disabled");
                }
                c.add("-cp");
                c.add(classpath);
                c.add(switch (name) {
                    case "netty" -> NettyEchoServer.class.getName();
                    case "eventloop-streams" -> EventloopStreamsEchoServer.class.getName();
                    default -> EventloopEchoServer.class.getName();
                });
            }
            case "await-streams" -> {
                // The straight-line form (JDK 21+: built by the benchmarks' await profile into the same jar)
                c.add(java);
                c.addAll(Arrays.asList(JVM));
                c.add("--add-exports");
                c.add("java.base/jdk.internal.vm=ALL-UNNAMED");
                c.add("-cp");
                c.add(classpath);
                c.add("io.eventloop.bench.echo.AwaitStreamsEchoServer");
            }
            case "asyncio", "uvloop", "asyncio-streams", "uvloop-streams" -> c.addAll(List.of(python, script, name));
            default -> throw new IllegalArgumentException("unknown server " + name);
        }
        return c;
    }

    private static int size(String load) {
        return switch (load) {
            case "rr1k" -> 1024;
            case "rr64k" -> 64 * 1024;
            case "rr100k" -> 100 * 1024;
            case "bulk" -> 0;
            default -> throw new IllegalArgumentException("unknown load " + load);
        };
    }

    private static Load open(String load, SocketAddress server, int connections, ClientTls tls) throws IOException {
        if (load.equals("handshake")) {
            if (tls == null) {
                throw new IllegalArgumentException("the handshake load needs --tls on");
            }
            if (!(server instanceof InetSocketAddress tcp)) {
                throw new IllegalArgumentException("the handshake load runs over TCP only");
            }
            return new HandshakeLoad(tcp, connections, tls);
        }
        return new EchoLoad(server, connections, size(load), tls);
    }

    /** One load on every server: connections, warm-up one server after the other, then the rounds. */
    private static void runLoad(String load, int rep, int rounds, double warmUp, double slice, int connections,
            ClientTls tls, Map<String, ServerProcess> procs, List<Run> runs, Map<String, LatencyHistogram> latencies)
            throws IOException {
        List<String> names = new ArrayList<>(procs.keySet());
        Map<String, Load> loadOf = new LinkedHashMap<>();
        try {
            for (String name : names) {
                loadOf.put(name, open(load, procs.get(name).address, connections, tls));
            }
            LatencyHistogram discard = new LatencyHistogram();
            for (String name : names) {
                loadOf.get(name).slice(warmUp, Load.NO_WINDOW, discard);
                if (tls != null && rep == 1) {
                    System.out.println(name + " " + load + ": " + loadOf.get(name).negotiated());
                }
            }
            for (int round = 0; round < rounds; round++) {
                for (int k = 0; k < names.size(); k++) {
                    String name = names.get((round + k) % names.size());
                    LatencyHistogram h = latencies.computeIfAbsent(name + "|" + load + "|" + rep, x -> new LatencyHistogram());
                    runs.add(measure(name, load, rep, round + 1, procs.get(name), loadOf.get(name), slice, h));
                }
            }
        } finally {
            for (Load l : loadOf.values()) {
                l.close();
            }
        }
        for (String name : names) {
            List<Run> rs = runs.stream().filter(r -> r.server().equals(name) && r.load().equals(load) && r.rep() == rep).toList();
            System.out.println(describe(name, width(names), load, "rep " + rep, rs,
                    latencies.get(name + "|" + load + "|" + rep)));
        }
    }

    private static Run measure(String name, String load, int rep, int round, ServerProcess server, Load driver,
            double seconds, LatencyHistogram latencies) throws IOException {
        long self = ProcessHandle.current().pid();
        double[] before = new double[4];
        double[] after = new double[4];
        long[] alloc = new long[2];
        long[][] calls = new long[2][];
        Load.Window window = new Load.Window() {
            @Override
            public void opened() throws IOException {
                alloc[0] = server.command("alloc");
                calls[0] = server.ioCalls();
                read(before);
            }

            @Override
            public void closed() throws IOException {
                read(after);
                calls[1] = server.ioCalls();
                alloc[1] = server.command("alloc");
            }

            private void read(double[] into) throws IOException {
                double[] t = server.cpuTimes();
                into[0] = t[0];
                into[1] = t[1];
                into[2] = ServerProcess.cpuSeconds(self);
                into[3] = System.nanoTime() / 1e9;
            }
        };
        Load.Slice s = driver.slice(seconds, window, latencies);
        double user = after[0] - before[0];
        double sys = after[1] - before[1];
        return new Run(name, load, rep, round, s.requests(), s.bytes(), s.seconds(), s.allRequests(), s.allBytes(),
                after[3] - before[3], user + sys, sys, after[2] - before[2], alloc[0] < 0 ? -1 : alloc[1] - alloc[0],
                calls[1][0] - calls[0][0], calls[1][1] - calls[0][1]);
    }

    private static Idle idleConnections(String name, int rep, ServerProcess server, int count, ClientTls tls)
            throws Exception {
        EchoLoad.closeAll(EchoLoad.openIdle(server.address, 50, tls)); // first connections: classes loaded, code warm
        Thread.sleep(500);
        long heapBefore = server.command("heap");
        long rssBefore = server.rssBytes();
        List<SocketChannel> open = EchoLoad.openIdle(server.address, count, tls);
        try {
            Thread.sleep(1000);
            long heapAfter = server.command("heap");
            long rssAfter = server.rssBytes();
            return new Idle(name, rep, count, heapBefore, heapAfter, rssBefore, rssAfter);
        } finally {
            EchoLoad.closeAll(open);
        }
    }

    // ------------------------------------------------------------------ figures

    /** Aggregates of a set of slices. */
    private record Figures(double rate, double minSlice, double medianSlice, double maxSlice, double serverCpuShare,
                           double sysFraction, double clientCpuShare, double cpuMicrosPerUnit, double allocPerUnit,
                           double readsPerUnit, double writesPerUnit) {
    }

    private static Figures figures(List<Run> rs) {
        boolean bulk = rs.get(0).bulk();
        double seconds = sum(rs, Run::seconds);
        double window = sum(rs, Run::windowSeconds);
        double cpu = sum(rs, Run::serverCpuSeconds);
        double units = bulk ? sum(rs, r -> r.allBytes() / MIB) : sum(rs, r -> (double) r.allRequests());
        double rate = bulk ? sum(rs, r -> r.bytes() / MIB) / seconds : sum(rs, r -> (double) r.requests()) / seconds;
        double[] slices = rs.stream().mapToDouble(Run::rate).sorted().toArray();
        boolean allocKnown = rs.stream().allMatch(r -> r.loopAllocatedBytes() >= 0);
        return new Figures(rate, slices[0], median(slices), slices[slices.length - 1], cpu / window,
                sum(rs, Run::serverSysSeconds) / cpu, sum(rs, Run::clientCpuSeconds) / window, cpu * 1e6 / units,
                allocKnown ? sum(rs, r -> (double) r.loopAllocatedBytes()) / units : Double.NaN,
                sum(rs, r -> (double) r.serverReadCalls()) / units, sum(rs, r -> (double) r.serverWriteCalls()) / units);
    }

    private static double sum(List<Run> rs, ToDoubleFunction<Run> f) {
        return rs.stream().mapToDouble(f).sum();
    }

    private static double median(double[] sorted) {
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    private static String unit(String load) {
        return switch (load) {
            case "bulk" -> "MiB";
            case "handshake" -> "hs";
            default -> "req";
        };
    }

    private static String fmt(double v, int decimals) {
        return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%." + decimals + "f", v);
    }

    /** A column wide enough for every server name (at least 9 characters). */
    private static int width(List<String> servers) {
        return Math.max(9, servers.stream().mapToInt(String::length).max().orElse(0));
    }

    private static String describe(String server, int width, String load, String label, List<Run> rs,
            LatencyHistogram h) {
        Figures f = figures(rs);
        boolean bulk = load.equals("bulk");
        String rate = bulk
                ? String.format(Locale.ROOT, "%7.1f MiB/s (slices %.0f-%.0f)", f.rate(), f.minSlice(), f.maxSlice())
                : String.format(Locale.ROOT, "%7.0f " + unit(load) + "/s (slices %.0f-%.0f)  p50 %6.1f us  p99 %7.1f us", f.rate(),
                        f.minSlice(), f.maxSlice(), h.percentileMicros(0.5), h.percentileMicros(0.99));
        return String.format(Locale.ROOT, "%-" + width + "s %-6s %s: %s  server CPU %3.0f%% (%2.0f%% sys)  client CPU %3.0f%%  %.2f us/%s  alloc %s B/%s  read/write calls %.2f/%.2f per %s",
                server, load, label, rate, 100 * f.serverCpuShare(), 100 * f.sysFraction(), 100 * f.clientCpuShare(),
                f.cpuMicrosPerUnit(), unit(load), fmt(f.allocPerUnit(), 2), unit(load), f.readsPerUnit(), f.writesPerUnit(),
                unit(load));
    }

    static String summary(List<String> servers, List<String> loads, int reps, List<Run> runs,
            Map<String, LatencyHistogram> latencies, List<Idle> idles) {
        StringBuilder s = new StringBuilder();
        for (String load : loads) {
            boolean bulk = load.equals("bulk");
            Map<String, LatencyHistogram> merged = new HashMap<>();
            s.append("== ").append(load).append(bulk ? " (MiB/s echoed back)"
                    : load.equals("handshake") ? " (full TLS handshakes/s, a new connection each)" : " (requests/s)")
                    .append(", all slices of all repetitions\n");
            String name = "%-" + (width(servers) + 1) + "s";
            s.append(String.format(Locale.ROOT, name + " %9s %17s %13s %8s %9s %8s %8s %8s %9s %11s %11s%n", "server", "rate",
                    "per rep", "slice median", "p50 us", "p99 us", "srv CPU", "of: sys", "cli CPU", "us/" + unit(load),
                    "alloc B/" + unit(load), "r/w calls"));
            for (String server : servers) {
                List<Run> rs = select(runs, r -> r.server().equals(server) && r.load().equals(load));
                if (rs.isEmpty()) {
                    continue;
                }
                LatencyHistogram h = new LatencyHistogram();
                StringBuilder perRep = new StringBuilder();
                for (int rep = 1; rep <= reps; rep++) {
                    int k = rep;
                    List<Run> one = select(rs, r -> r.rep() == k);
                    if (!one.isEmpty()) {
                        perRep.append(perRep.length() > 0 ? " " : "").append(fmt(figures(one).rate(), bulk ? 0 : 0));
                        h.add(latencies.get(server + "|" + load + "|" + rep));
                    }
                }
                merged.put(server, h);
                Figures f = figures(rs);
                s.append(String.format(Locale.ROOT, name + " %9s %17s %13s %8s %9s %7.0f%% %7.0f%% %7.0f%% %9s %11s %11s%n", server,
                        fmt(f.rate(), bulk ? 1 : 0), perRep, fmt(f.medianSlice(), bulk ? 1 : 0),
                        bulk ? "-" : fmt(h.percentileMicros(0.5), 1), bulk ? "-" : fmt(h.percentileMicros(0.99), 1),
                        100 * f.serverCpuShare(), 100 * f.sysFraction(), 100 * f.clientCpuShare(),
                        fmt(f.cpuMicrosPerUnit(), 2), fmt(f.allocPerUnit(), 2),
                        fmt(f.readsPerUnit(), 2) + "/" + fmt(f.writesPerUnit(), 2)));
            }
            for (String[] pair : pairs(servers)) {
                ratios(s, pair[0], pair[1], load, reps, runs, merged);
            }
            s.append('\n');
        }
        if (!idles.isEmpty()) {
            s.append("== idle connections (").append(idles.get(0).connections()).append(" open)\n");
            String name = "%-" + (width(servers) + 1) + "s";
            s.append(String.format(Locale.ROOT, name + " %22s %22s%n", "server", "heap B/conn (per rep)", "RSS B/conn (per rep)"));
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
                s.append(String.format(Locale.ROOT, name + " %22s %22s%n", server, heap, rss));
            }
        }
        return s.toString();
    }

    /**
     * The pairs (ours, theirs) the summary gives ratios for: {@code eventloop} over every protocol
     * server (a streams server's name ends with {@code -streams}); {@code eventloop-streams} over
     * {@code eventloop} and over every other streams server.
     */
    static List<String[]> pairs(List<String> servers) {
        List<String[]> pairs = new ArrayList<>();
        if (servers.contains("eventloop")) {
            for (String peer : servers) {
                if (!peer.equals("eventloop") && !streams(peer)) {
                    pairs.add(new String[] {"eventloop", peer});
                }
            }
        }
        if (servers.contains("eventloop-streams")) {
            for (String peer : servers) {
                if (peer.equals("eventloop") || (streams(peer) && !peer.equals("eventloop-streams"))) {
                    pairs.add(new String[] {"eventloop-streams", peer});
                }
            }
        }
        return pairs;
    }

    private static boolean streams(String server) {
        int at = server.indexOf('@');
        return (at > 0 ? server.substring(0, at) : server).endsWith("-streams");
    }

    /** One line of ratios, ours over theirs: throughput (total, per repetition, per round), CPU per unit, p99. */
    private static void ratios(StringBuilder s, String us, String peer, String load, int reps, List<Run> runs,
            Map<String, LatencyHistogram> merged) {
        boolean bulk = load.equals("bulk");
        List<Run> ours = select(runs, r -> r.server().equals(us) && r.load().equals(load));
        List<Run> theirs = select(runs, r -> r.server().equals(peer) && r.load().equals(load));
        if (ours.isEmpty() || theirs.isEmpty()) {
            return;
        }
        // the same round of the same repetition: slices next to each other in time
        List<Double> perRound = new ArrayList<>();
        for (Run a : ours) {
            for (Run b : theirs) {
                if (a.rep() == b.rep() && a.round() == b.round()) {
                    perRound.add(a.rate() / b.rate());
                }
            }
        }
        double[] ratios = perRound.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        StringBuilder perRep = new StringBuilder();
        for (int rep = 1; rep <= reps; rep++) {
            int k = rep;
            List<Run> a = select(ours, r -> r.rep() == k);
            List<Run> b = select(theirs, r -> r.rep() == k);
            if (!a.isEmpty() && !b.isEmpty()) {
                perRep.append(perRep.length() > 0 ? ", " : "").append(fmt(figures(a).rate() / figures(b).rate(), 2));
            }
        }
        s.append(String.format(Locale.ROOT,
                "  %s / %-8s throughput %5.2fx (per rep %s; per round: median %.2fx, %.2f-%.2fx)  CPU per %s %5.2fx less",
                us, peer, figures(ours).rate() / figures(theirs).rate(), perRep, median(ratios), ratios[0],
                ratios[ratios.length - 1], unit(load), figures(theirs).cpuMicrosPerUnit() / figures(ours).cpuMicrosPerUnit()));
        if (!bulk) {
            s.append(String.format(Locale.ROOT, "  p99 %5.2fx of theirs",
                    merged.get(us).percentileMicros(0.99) / merged.get(peer).percentileMicros(0.99)));
        }
        s.append('\n');
    }

    private static List<Run> select(List<Run> runs, Predicate<Run> p) {
        return runs.stream().filter(p).toList();
    }

    // ------------------------------------------------------------------ JSON

    private static String json(List<Run> runs, List<Idle> idles) {
        StringBuilder s = new StringBuilder("{\n  \"slices\": [\n");
        for (int i = 0; i < runs.size(); i++) {
            Run r = runs.get(i);
            s.append(String.format(Locale.ROOT,
                    "    {\"server\": \"%s\", \"load\": \"%s\", \"rep\": %d, \"round\": %d, \"requests\": %d, \"bytes\": %d, "
                            + "\"seconds\": %.4f, \"all_requests\": %d, \"all_bytes\": %d, \"window_s\": %.4f, "
                            + "\"server_cpu_s\": %.2f, \"server_sys_s\": %.2f, \"client_cpu_s\": %.2f, "
                            + "\"loop_allocated_bytes\": %d, \"server_read_calls\": %d, \"server_write_calls\": %d}%s%n",
                    r.server(), r.load(), r.rep(), r.round(), r.requests(), r.bytes(), r.seconds(), r.allRequests(),
                    r.allBytes(), r.windowSeconds(), r.serverCpuSeconds(), r.serverSysSeconds(), r.clientCpuSeconds(),
                    r.loopAllocatedBytes(), r.serverReadCalls(), r.serverWriteCalls(), i + 1 < runs.size() ? "," : ""));
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
}
