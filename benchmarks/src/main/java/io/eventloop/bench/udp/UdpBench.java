package io.eventloop.bench.udp;

import io.eventloop.Async;
import io.eventloop.EventLoop;
import io.eventloop.Future;
import io.eventloop.TimerHandle;
import io.eventloop.net.DatagramProtocol;
import io.eventloop.net.DatagramTransport;
import io.eventloop.net.Net;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The UDP echo benchmark's load generator, run by {@code benchmarks/run-udp.sh} on the load CPU.
 * See docs/benchmarks.md, "UDP".
 *
 * <p>One JVM drives every server, so that the generator's own warm-up and noise are the same for
 * all of them: for each server it opens {@code --sockets} connected datagram endpoints (on this
 * library's loop, one thread), warms each server up in turn, then measures in rounds, each round
 * driving every server for one slice, one after the other, the first server rotating. During a
 * slice each socket keeps {@code --window} numbered datagrams in flight: a closed loop of
 * request/response. A slice counts the echoes that arrive within it; a datagram whose echo has not
 * come back one second after the slice ended is counted lost.
 *
 * <p>Options: {@code --servers name=host:port,... --sockets 10 --window 1 --size 64 --warmup 3
 * --slice 1 --rounds 20}. Prints one line per slice ({@code slice ROUND SERVER RATE P50 P99}) and
 * a summary with the ratios of the first server to each other, median and range of the per-round
 * ratios, and one line {@code total SERVER N} per server: the round trips of all its slices,
 * warm-up included, which {@code run-udp.sh} divides the server's CPU time by.
 */
public final class UdpBench {
    private UdpBench() {
    }

    /** One slice of one server. */
    record Slice(String server, int round, long roundTrips, double seconds, long lost) {
        double rate() {
            return roundTrips / seconds;
        }
    }

    /** One server's sockets and what they measured. */
    static final class Target {
        final String name;
        final InetSocketAddress address;
        final List<Driver> drivers = new ArrayList<>();
        long[] rtts = new long[1 << 16];
        int measured;
        /** Round trips completed in every slice, the warm-up's included: the divisor of the server's CPU time. */
        long total;

        Target(String name, InetSocketAddress address) {
            this.name = name;
            this.address = address;
        }

        void record(long rtt) {
            if (measured == rtts.length) {
                rtts = Arrays.copyOf(rtts, rtts.length * 2);
            }
            rtts[measured++] = rtt;
        }
    }

    /** One socket: up to {@code window} datagrams in flight while its slice is on. */
    static final class Driver implements DatagramProtocol {
        private final EventLoop loop;
        private final Target target;
        private final long[] sequence;
        private final long[] sentAt;
        private final ByteBuffer request;
        private long next;
        DatagramTransport transport;
        boolean active;
        boolean recording;
        int inFlight;
        long completed;
        Runnable onIdle;

        Driver(EventLoop loop, Target target, int window, int size) {
            this.loop = loop;
            this.target = target;
            sequence = new long[window];
            sentAt = new long[window];
            Arrays.fill(sequence, -1);
            request = ByteBuffer.allocate(size);
        }

        @Override
        public void connectionMade(DatagramTransport t) {
            transport = t;
        }

        void start() {
            active = true;
            for (int slot = 0; slot < sequence.length; slot++) {
                send(slot);
            }
        }

        private void send(int slot) {
            long n = next++;
            sequence[slot] = n;
            sentAt[slot] = loop.time();
            inFlight++;
            request.putLong(0, n);
            transport.send(request);
        }

        @Override
        public void datagramReceived(ByteBuffer data, SocketAddress from) {
            long n = data.getLong(data.position());
            for (int slot = 0; slot < sequence.length; slot++) {
                if (sequence[slot] == n) {
                    if (active) {
                        completed++;
                        if (recording) {
                            target.record(loop.time() - sentAt[slot]);
                        }
                        inFlight--;
                        send(slot);
                    } else {
                        sequence[slot] = -1;
                        inFlight--;
                        if (inFlight == 0 && onIdle != null) {
                            onIdle.run();
                        }
                    }
                    return;
                }
            }
        }

        /** After the grace period: whatever is still out is lost. */
        long abandon() {
            long lost = inFlight;
            Arrays.fill(sequence, -1);
            inFlight = 0;
            return lost;
        }
    }

    public static void main(String[] args) {
        Map<String, String> o = new LinkedHashMap<>();
        String[] defaults = {"servers", "", "sockets", "10", "window", "1", "size", "64", "warmup", "3", "slice", "1",
            "rounds", "20"};
        for (int i = 0; i < defaults.length; i += 2) {
            o.put(defaults[i], defaults[i + 1]);
        }
        for (int i = 0; i < args.length; i += 2) {
            if (!args[i].startsWith("--") || !o.containsKey(args[i].substring(2)) || i + 1 >= args.length) {
                throw new IllegalArgumentException("unknown option or missing value: " + args[i]);
            }
            o.put(args[i].substring(2), args[i + 1]);
        }
        List<Target> targets = new ArrayList<>();
        for (String s : o.get("servers").split(",")) {
            String[] nameAddress = s.split("=", 2);
            int colon = nameAddress[1].lastIndexOf(':');
            targets.add(new Target(nameAddress[0], new InetSocketAddress(nameAddress[1].substring(0, colon),
                    Integer.parseInt(nameAddress[1].substring(colon + 1)))));
        }
        int sockets = Integer.parseInt(o.get("sockets"));
        int window = Integer.parseInt(o.get("window"));
        int size = Integer.parseInt(o.get("size"));
        Duration warmUp = Duration.ofMillis((long) (Double.parseDouble(o.get("warmup")) * 1000));
        Duration slice = Duration.ofMillis((long) (Double.parseDouble(o.get("slice")) * 1000));
        int rounds = Integer.parseInt(o.get("rounds"));
        System.out.printf(Locale.ROOT, "%d socket(s) per server, %d in flight each, %d-byte datagrams, %s warm-up, "
                + "%d rounds of %s slices%n", sockets, window, size, warmUp, rounds, slice);
        List<Slice> slices = EventLoop.run(() -> {
            EventLoop loop = EventLoop.current();
            List<Future<DatagramTransport>> opening = new ArrayList<>();
            for (Target t : targets) {
                for (int i = 0; i < sockets; i++) {
                    Driver d = new Driver(loop, t, window, size);
                    t.drivers.add(d);
                    opening.add(Net.createDatagramEndpoint(loop, () -> d, null, t.address));
                }
            }
            List<Slice> out = new ArrayList<>();
            Future<Void> all = Async.gather(opening).then(v -> {
                Future<Void> warm = Async.completed(null);
                for (Target t : targets) {
                    warm = warm.then(x -> slice(loop, t, warmUp, 0, false).map(s -> null));
                }
                return warm;
            }).then(v -> {
                Future<Void> chain = Async.completed(null);
                for (int r = 1; r <= rounds; r++) {
                    for (int i = 0; i < targets.size(); i++) {
                        Target t = targets.get((i + r - 1) % targets.size());
                        int round = r;
                        chain = chain.then(x -> slice(loop, t, slice, round, true).map(s -> {
                            out.add(s);
                            System.out.printf(Locale.ROOT, "slice %d %s %.0f%n", s.round(), s.server(), s.rate());
                            return null;
                        }));
                    }
                }
                return chain;
            });
            return all.ensure(() -> {
                for (Target t : targets) {
                    for (Driver d : t.drivers) {
                        if (d.transport != null) {
                            d.transport.close();
                        }
                    }
                }
            }).map(v -> out);
        });
        System.out.print(summary(targets, slices, rounds));
    }

    /** Drives {@code t}'s sockets for {@code length}, then waits for what is in flight (at most 1 s). */
    static Future<Slice> slice(EventLoop loop, Target t, Duration length, int round, boolean recording) {
        Future<Slice> done = loop.createFuture();
        long[] start = new long[1];
        for (Driver d : t.drivers) {
            d.completed = 0;
            d.recording = recording;
        }
        start[0] = loop.time();
        for (Driver d : t.drivers) {
            d.start();
        }
        loop.callLater(length, () -> {
            double seconds = (loop.time() - start[0]) / 1e9;
            long completed = 0;
            for (Driver d : t.drivers) {
                d.active = false;
                completed += d.completed;
            }
            t.total += completed;
            long total = completed;
            int[] idle = {0};
            TimerHandle grace = loop.callLater(Duration.ofSeconds(1), () -> {
                long lost = 0;
                for (Driver d : t.drivers) {
                    d.onIdle = null;
                    lost += d.abandon();
                }
                done.complete(new Slice(t.name, round, total, seconds, lost));
            });
            Runnable check = () -> {
                if (++idle[0] == t.drivers.size() && !done.isDone()) {
                    grace.cancel();
                    done.complete(new Slice(t.name, round, total, seconds, 0));
                }
            };
            for (Driver d : t.drivers) {
                if (d.inFlight == 0) {
                    check.run();
                } else {
                    d.onIdle = check;
                }
            }
        });
        return done;
    }

    static String summary(List<Target> targets, List<Slice> slices, int rounds) {
        StringBuilder b = new StringBuilder("== UDP echo, request/response\n");
        Map<String, Map<Integer, Slice>> by = new LinkedHashMap<>();
        for (Slice s : slices) {
            by.computeIfAbsent(s.server(), k -> new LinkedHashMap<>()).put(s.round(), s);
        }
        for (Target t : targets) {
            double[] rates = by.get(t.name).values().stream().mapToDouble(Slice::rate).sorted().toArray();
            long lost = by.get(t.name).values().stream().mapToLong(Slice::lost).sum();
            long[] sorted = Arrays.copyOf(t.rtts, t.measured);
            Arrays.sort(sorted);
            b.append(String.format(Locale.ROOT,
                    "%-10s median %8.0f round trips/s (range %.0f-%.0f)  p50 %6.1f us  p99 %7.1f us  lost %d%n",
                    t.name, median(rates), rates[0], rates[rates.length - 1], pct(sorted, 50), pct(sorted, 99), lost));
        }
        for (Target t : targets) {
            b.append(String.format(Locale.ROOT, "total %s %d%n", t.name, t.total));
        }
        String first = targets.get(0).name;
        for (Target t : targets.subList(1, targets.size())) {
            double[] ratios = new double[rounds];
            for (int r = 1; r <= rounds; r++) {
                ratios[r - 1] = by.get(first).get(r).rate() / by.get(t.name).get(r).rate();
            }
            Arrays.sort(ratios);
            b.append(String.format(Locale.ROOT, "%s / %-8s %.2fx (per round %.2f-%.2f, middle half %.2f-%.2f)%n", first,
                    t.name, median(ratios), ratios[0], ratios[ratios.length - 1], ratios[ratios.length / 4],
                    ratios[(3 * ratios.length) / 4]));
        }
        return b.toString();
    }

    private static double median(double[] sorted) {
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    private static double pct(long[] sorted, double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int rank = (int) Math.ceil(p / 100 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))] / 1e3;
    }
}
