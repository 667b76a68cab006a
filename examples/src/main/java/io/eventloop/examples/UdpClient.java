package io.eventloop.examples;

import io.eventloop.Async;
import io.eventloop.EventLoop;
import io.eventloop.Future;
import io.eventloop.TimerHandle;
import io.eventloop.net.DatagramOptions;
import io.eventloop.net.DatagramProtocol;
import io.eventloop.net.DatagramTransport;
import io.eventloop.net.Net;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * A UDP client that measures an echo server: it sends numbered datagrams over one or more
 * sockets, keeps {@code --window} of them in flight per socket, and reports how many came back,
 * how many were lost (no echo within {@code --timeout}) and the round-trip time percentiles.
 * Python's equivalent would be a {@code DatagramProtocol} whose {@code datagram_received} sends
 * the next request:
 * <pre>
 * class Pinger(asyncio.DatagramProtocol):
 *     def connection_made(self, transport):
 *         self.transport = transport
 *         self.send()
 *     def datagram_received(self, data, addr):
 *         record(time.monotonic_ns() - self.sent_at)
 *         self.send()
 *
 * await loop.create_datagram_endpoint(Pinger, remote_addr=(host, port))
 * </pre>
 *
 * <p>{@code ./run udp-client [--host 127.0.0.1] [--port 9999] [--count 10000 | --duration S]
 * [--size 64] [--sockets 1] [--window 1] [--timeout 1] [--warmup 0]}: {@code --count} datagrams, or as many
 * as fit in {@code --duration} seconds, whichever ends first; round trips that end during the first
 * {@code --warmup} seconds are counted but not measured (rate and percentiles). Each socket is connected to the server,
 * so a server that is not there shows up as errors ("port unreachable") and 100% loss. An echo
 * that arrives after its datagram was counted lost is counted as late. {@code ./run udp-echo} is
 * the server; {@code benchmarks/run-udp.sh} uses this program as its load generator.
 */
public final class UdpClient {
    private UdpClient() {
    }

    /** What one run asks for. */
    record Settings(InetSocketAddress server, long count, Duration duration, int size, int sockets, int window,
                    Duration timeout, Duration warmUp) {
    }

    /** The whole run: what is left to send, and what came back. Loop thread only. */
    static final class Run {
        final Settings settings;
        final EventLoop loop;
        final Future<Void> done;
        long deadline;
        final long timeoutNanos;
        /** Round trips before this instant are not measured (the warm-up). */
        long measureFrom;
        long warmUpRoundTrips;
        long sent;
        long received;
        long lost;
        long late;
        long errors;
        long[] rtts = new long[1024];
        final List<Pinger> pingers = new ArrayList<>();
        long started;
        long finished;

        Run(EventLoop loop, Settings settings) {
            this.loop = loop;
            this.settings = settings;
            this.done = loop.createFuture();
            this.timeoutNanos = settings.timeout().toNanos();
            start(loop.time());
        }

        final void start(long now) {
            started = now;
            measureFrom = now + settings.warmUp().toNanos();
            deadline = settings.duration().isZero() ? Long.MAX_VALUE : measureFrom + settings.duration().toNanos();
        }

        /** Whether another datagram may be sent now. */
        boolean more() {
            return (settings.count() == 0 || sent < settings.count()) && loop.time() < deadline;
        }

        void record(long now, long rtt) {
            if (now < measureFrom) {
                warmUpRoundTrips++;
                return;
            }
            if (received == rtts.length) {
                rtts = Arrays.copyOf(rtts, rtts.length * 2);
            }
            rtts[(int) received++] = rtt;
        }

        /** Called whenever a socket may have gone idle: the run is over once none has anything in flight. */
        void checkDone() {
            if (done.isDone() || more()) {
                return;
            }
            for (Pinger p : pingers) {
                if (p.inFlight > 0) {
                    return;
                }
            }
            finished = loop.time();
            done.complete(null);
        }
    }

    /** One socket: up to {@code window} numbered datagrams in flight. */
    static final class Pinger implements DatagramProtocol {
        private final Run run;
        private final long[] sequence;
        private final long[] sentAt;
        private final ByteBuffer request;
        private long nextSequence;
        int inFlight;
        DatagramTransport transport;
        TimerHandle sweep;

        Pinger(Run run) {
            this.run = run;
            int window = run.settings.window();
            sequence = new long[window];
            sentAt = new long[window];
            Arrays.fill(sequence, -1);
            request = ByteBuffer.allocate(run.settings.size());
            for (int i = 8; i < request.capacity(); i++) {
                request.put(i, (byte) i);
            }
        }

        @Override
        public void connectionMade(DatagramTransport t) {
            transport = t;
        }

        /** Fills the window and starts the loss sweep. */
        void start() {
            for (int slot = 0; slot < sequence.length && run.more(); slot++) {
                send(slot);
            }
            sweep();
        }

        private void send(int slot) {
            long n = nextSequence++;
            sequence[slot] = n;
            sentAt[slot] = run.loop.time();
            inFlight++;
            run.sent++;
            request.putLong(0, n);
            transport.send(request);
        }

        @Override
        public void datagramReceived(ByteBuffer data, SocketAddress from) {
            if (data.remaining() < 8) {
                return; // not one of ours
            }
            long n = data.getLong(data.position());
            for (int slot = 0; slot < sequence.length; slot++) {
                if (sequence[slot] == n) {
                    long now = run.loop.time();
                    run.record(now, now - sentAt[slot]);
                    free(slot);
                    return;
                }
            }
            run.late++; // counted lost already
        }

        /** A slot is free again: send the next datagram in it, or see whether the run is over. */
        private void free(int slot) {
            sequence[slot] = -1;
            inFlight--;
            if (run.more()) {
                send(slot);
            } else {
                run.checkDone();
            }
        }

        /** Every quarter of the timeout: what has waited longer than the timeout is lost. */
        private void sweep() {
            long now = run.loop.time();
            for (int slot = 0; slot < sequence.length; slot++) {
                if (sequence[slot] >= 0 && now - sentAt[slot] > run.timeoutNanos) {
                    run.lost++;
                    free(slot);
                }
            }
            run.checkDone();
            if (!run.done.isDone()) {
                sweep = run.loop.callLater(Duration.ofNanos(Math.max(1_000_000, run.timeoutNanos / 4)), this::sweep);
            }
        }

        @Override
        public void errorReceived(Exception error) {
            run.errors++;
        }
    }

    /** Opens the sockets, runs the exchange, closes them; completes with the finished run. */
    static Future<Run> measure(EventLoop loop, Settings settings) {
        Run run = new Run(loop, settings);
        List<Future<DatagramTransport>> opening = new ArrayList<>();
        for (int i = 0; i < settings.sockets(); i++) {
            Pinger p = new Pinger(run);
            run.pingers.add(p);
            opening.add(Net.createDatagramEndpoint(loop, () -> p, null, settings.server()));
        }
        return Async.gather(opening).then(all -> {
            run.start(loop.time());
            for (Pinger p : run.pingers) {
                p.start();
            }
            return run.done;
        }).ensure(() -> {
            for (Pinger p : run.pingers) {
                if (p.sweep != null) {
                    p.sweep.cancel();
                }
                if (p.transport != null) {
                    p.transport.close();
                }
            }
        }).map(v -> run);
    }

    /** The report: counts, rate, percentiles. */
    static String report(Run run) {
        Settings s = run.settings;
        long[] sorted = Arrays.copyOf(run.rtts, (int) run.received);
        Arrays.sort(sorted);
        double seconds = (run.finished - Math.min(run.finished, run.measureFrom)) / 1e9;
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "%d socket(s) to %s, %d-byte datagrams, %d in flight per socket%n",
                s.sockets(), Args.hostPort(s.server().getHostString(), s.server().getPort()), s.size(), s.window()));
        b.append(String.format(Locale.ROOT, "sent %d, received %d, lost %d (%.3f%%), late %d, errors %d%n",
                run.sent, run.received + run.warmUpRoundTrips, run.lost, run.sent == 0 ? 0.0 : 100.0 * run.lost / run.sent,
                run.late, run.errors));
        b.append(String.format(Locale.ROOT, "round trips: %.0f/s over %.3f s%s%n", seconds > 0 ? run.received / seconds : 0.0,
                seconds, s.warmUp().isZero() ? "" : String.format(Locale.ROOT, " (after a warm-up of %.3f s: %d round trips)",
                        s.warmUp().toNanos() / 1e9, run.warmUpRoundTrips)));
        if (sorted.length > 0) {
            b.append(String.format(Locale.ROOT, "round trip (us): p50 %.1f  p90 %.1f  p99 %.1f  p99.9 %.1f  max %.1f%n",
                    percentile(sorted, 50), percentile(sorted, 90), percentile(sorted, 99), percentile(sorted, 99.9),
                    sorted[sorted.length - 1] / 1e3));
        }
        return b.toString();
    }

    /** The nearest-rank percentile, in microseconds. */
    static double percentile(long[] sorted, double p) {
        int rank = (int) Math.ceil(p / 100 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))] / 1e3;
    }

    /** Runs the client; see the class comment for the options. */
    public static void main(String[] args) {
        Args a = Args.parse(args, "./run udp-client [options]",
                "host", "127.0.0.1", "port", "9999", "count", "10000", "duration", "0", "size", "64",
                "sockets", "1", "window", "1", "timeout", "1", "warmup", "0");
        int port = a.intValue("port");
        if (port < 1 || port > 65535) {
            a.fail("--port needs a port from 1 to 65535, got " + port);
        }
        int count = a.intValue("count");
        Duration duration = a.seconds("duration");
        if (count < 0) {
            a.fail("--count needs a number of datagrams, 0 or more, got " + count);
        }
        if (count == 0 && duration.isZero()) {
            a.fail("give --count N or --duration SECONDS (or both: whichever ends first)");
        }
        int size = a.intValue("size");
        if (size < 8 || size > DatagramOptions.DEFAULT_MAX_DATAGRAM_SIZE) {
            a.fail("--size needs 8 to " + DatagramOptions.DEFAULT_MAX_DATAGRAM_SIZE + " bytes (8 hold the sequence number), got "
                    + size);
        }
        int sockets = a.intValue("sockets");
        if (sockets < 1 || sockets > 1000) {
            a.fail("--sockets needs 1 to 1000, got " + sockets);
        }
        int window = a.intValue("window");
        if (window < 1 || window > 1024) {
            a.fail("--window needs 1 to 1024 datagrams in flight per socket, got " + window);
        }
        Duration timeout = a.seconds("timeout");
        if (timeout.isZero()) {
            a.fail("--timeout needs more than 0 seconds");
        }
        Settings settings = new Settings(new InetSocketAddress(a.get("host"), port), count, duration, size, sockets, window,
                timeout, a.seconds("warmup"));
        if (settings.server().isUnresolved()) {
            a.fail("--host: cannot resolve " + a.get("host"));
        }
        Run run = EventLoop.run(() -> measure(EventLoop.current(), settings));
        System.out.print(report(run));
    }
}
