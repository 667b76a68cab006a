package io.eventloop.examples.kv;

import io.eventloop.EventLoop;
import io.eventloop.Future;
import io.eventloop.TimerHandle;
import io.eventloop.examples.Args;
import io.eventloop.examples.ServerTls;
import io.eventloop.examples.Shutdown;
import io.eventloop.net.Net;
import io.eventloop.net.Protocol;
import io.eventloop.net.Server;
import io.eventloop.net.TlsConfig;
import java.time.Duration;

/**
 * A key-value server that speaks Redis's protocol (RESP2 and RESP3), so {@code redis-cli} and
 * {@code redis-benchmark} work against it unchanged: strings with expiry, lists, pub/sub, and the
 * connection commands clients send ({@code HELLO}, {@code CLIENT SETNAME}, {@code COMMAND},
 * {@code CONFIG GET}). {@code ./run kv-server [--host H] [--port P] [limits]}.
 *
 * <p>The shape is Redis's: one thread, one map ({@link Keyspace}), each client's read parsed in
 * place and answered in one write ({@link KvConnection}), keys with a deadline removed lazily when
 * touched and actively by a timer on the loop ({@link Expiry}). What it is not: it keeps nothing
 * on disk, has one database, and no replication, scripting or transactions.
 *
 * <p>Compared with asyncio: the same program would be an {@code asyncio.Protocol} per client and
 * {@code loop.call_later} for the expiry cycle; compared with Netty, one handler with no pipeline
 * and no reference counting: the request bytes are read where they lie.
 */
public final class KvServer {
    /** The port {@code ./run kv-server} listens on by default (Redis's 6379 is left to a real Redis). */
    public static final int DEFAULT_PORT = 6380;

    /**
     * The server's limits, each Redis's directive of the same meaning, with its default:
     * {@code maxclients} 10000, {@code proto-max-bulk-len} 512 MiB, {@code client-query-buffer-limit}
     * 1 GiB, {@code client-output-buffer-limit normal 0} (none: a client that does not read is
     * paused instead) and {@code pubsub 32mb} (hard limit only), and {@code hz} 10 for the active
     * expiry cycle (0 turns it off; keys then expire only when touched).
     *
     * @param maxClients clients served at once; one more is told so and closed
     * @param maxBulkLength the longest bulk string a request may hold, in bytes
     * @param queryBufferLimit bytes a client may have sent that do not yet make a whole command
     * @param outputBufferLimit bytes of replies a client may leave unread before it is
     *     disconnected; 0 for none
     * @param pubsubOutputBufferLimit the same for a client subscribed to a channel or pattern
     * @param hz active expiry cycles per second; 0 for none
     */
    public record Limits(int maxClients, long maxBulkLength, long queryBufferLimit, long outputBufferLimit,
            long pubsubOutputBufferLimit, int hz) {
        /** Checks each value. */
        public Limits {
            positive("maxClients", maxClients);
            positive("maxBulkLength", maxBulkLength);
            positive("queryBufferLimit", queryBufferLimit);
            if (outputBufferLimit < 0 || pubsubOutputBufferLimit < 0 || hz < 0 || hz > 500) {
                throw new IllegalArgumentException("output limits must be 0 or more and hz 0 to 500, got "
                        + outputBufferLimit + ", " + pubsubOutputBufferLimit + ", " + hz);
            }
        }

        private static void positive(String name, long value) {
            if (value <= 0) {
                throw new IllegalArgumentException(name + " must be positive, got " + value);
            }
        }

        /**
         * Redis's defaults.
         *
         * @return the default limits
         */
        public static Limits defaults() {
            return new Limits(10_000, 512L << 20, 1L << 30, 0, 32L << 20, 10);
        }

        /**
         * These limits with another client count.
         *
         * @param n the most clients served at once
         * @return the changed limits
         */
        public Limits withMaxClients(int n) {
            return new Limits(n, maxBulkLength, queryBufferLimit, outputBufferLimit, pubsubOutputBufferLimit, hz);
        }

        /**
         * These limits with another longest bulk string.
         *
         * @param bytes the longest bulk string a request may hold
         * @return the changed limits
         */
        public Limits withMaxBulkLength(long bytes) {
            return new Limits(maxClients, bytes, queryBufferLimit, outputBufferLimit, pubsubOutputBufferLimit, hz);
        }

        /**
         * These limits with another query buffer limit.
         *
         * @param bytes bytes of unfinished commands a client may have sent
         * @return the changed limits
         */
        public Limits withQueryBufferLimit(long bytes) {
            return new Limits(maxClients, maxBulkLength, bytes, outputBufferLimit, pubsubOutputBufferLimit, hz);
        }

        /**
         * These limits with other output buffer limits.
         *
         * @param normal bytes a normal client may leave unread, 0 for none
         * @param pubsub bytes a subscriber may leave unread, 0 for none
         * @return the changed limits
         */
        public Limits withOutputBufferLimits(long normal, long pubsub) {
            return new Limits(maxClients, maxBulkLength, queryBufferLimit, normal, pubsub, hz);
        }

        /**
         * These limits with another expiry cycle rate.
         *
         * @param cyclesPerSecond active expiry cycles per second, 0 for none
         * @return the changed limits
         */
        public Limits withHz(int cyclesPerSecond) {
            return new Limits(maxClients, maxBulkLength, queryBufferLimit, outputBufferLimit, pubsubOutputBufferLimit,
                    cyclesPerSecond);
        }
    }

    private final EventLoop loop;
    private final Limits limits;
    final Keyspace keyspace = new Keyspace();
    final PubSub pubsub = new PubSub();
    final Commands commands = new Commands();
    /** The reply buffer every connection writes into, in turn. */
    final Reply reply = new Reply();
    private final Expiry expiry;
    /** The loop's clock in milliseconds, read once per batch of commands (Redis caches it per command). */
    long now;
    private int clients;
    private long nextId = 1;
    private Server server;
    private TimerHandle expiryTimer;

    /**
     * A server on {@code loop} with {@code limits} that does not listen yet; {@link #newConnection()}
     * serves a connection made elsewhere (the tests' in-memory ones), {@link #listen} a port.
     *
     * @param loop the loop whose thread runs the server
     * @param limits its limits
     */
    public KvServer(EventLoop loop, Limits limits) {
        this.loop = loop;
        this.limits = limits;
        this.expiry = new Expiry(keyspace, loop);
        readClock();
        scheduleExpiry();
    }

    /**
     * Starts a server listening on {@code host}:{@code port} (0 picks a free port).
     *
     * @param loop the loop whose thread runs it
     * @param host the address to listen on
     * @param port the port, 0 for a free one
     * @param limits its limits
     * @param tls TLS settings, or null for plain TCP
     * @return the server, once it listens
     */
    public static Future<KvServer> start(EventLoop loop, String host, int port, Limits limits, TlsConfig tls) {
        KvServer kv = new KvServer(loop, limits);
        return kv.listen(host, port, tls).map(s -> kv);
    }

    /**
     * Listens on {@code host}:{@code port}.
     *
     * @param host the address to listen on
     * @param port the port, 0 for a free one
     * @param tls TLS settings, or null for plain TCP
     * @return the listening server
     */
    public Future<Server> listen(String host, int port, TlsConfig tls) {
        return Net.createServer(loop, this::newConnection, host, port, Server.DEFAULT_BACKLOG, tls)
                .map(s -> server = s);
    }

    /**
     * The protocol for one more client connection.
     *
     * @return a new connection's protocol
     */
    public Protocol newConnection() {
        return new KvConnection(this, nextId++);
    }

    /**
     * The listening server, or null before {@link #listen}.
     *
     * @return the server
     */
    public Server server() {
        return server;
    }

    /**
     * The port listened on.
     *
     * @return the port
     */
    public int port() {
        return server.port();
    }

    /**
     * The limits it serves with.
     *
     * @return the limits
     */
    public Limits limits() {
        return limits;
    }

    /**
     * Clients connected now.
     *
     * @return the count
     */
    public int clients() {
        return clients;
    }

    /**
     * Stops listening (clients stay until {@link Server#closeClients()}) and the expiry timer.
     */
    public void close() {
        if (expiryTimer != null) {
            expiryTimer.cancel();
            expiryTimer = null;
        }
        if (server != null) {
            server.close();
        }
    }

    void readClock() {
        now = loop.time() / 1_000_000;
    }

    /** Counts one more client, unless that would pass {@code maxclients}. */
    boolean admit() {
        if (clients >= limits.maxClients()) {
            return false;
        }
        clients++;
        return true;
    }

    void left() {
        clients--;
    }

    private void scheduleExpiry() {
        if (limits.hz() == 0) {
            return;
        }
        expiryTimer = loop.callLater(Duration.ofNanos(1_000_000_000L / limits.hz()), () -> {
            expiry.cycle(Duration.ofNanos(1_000_000_000L / limits.hz() / 4)); // Redis gives it 25% of the period
            scheduleExpiry();
        });
    }

    /** The active expiry cycle's counters. */
    Expiry expiry() {
        return expiry;
    }

    /** Runs the server: {@code ./run kv-server [options]}. */
    public static void main(String[] args) {
        Limits d = Limits.defaults();
        Args a = Args.parse(args, "./run kv-server [options]\n"
                        + "a Redis-protocol key-value server: try redis-cli -p PORT, redis-benchmark -p PORT -q\n"
                        + ServerTls.USAGE,
                ServerTls.options("host", "127.0.0.1", "port", String.valueOf(DEFAULT_PORT),
                        "maxclients", String.valueOf(d.maxClients()),
                        "proto-max-bulk-len", String.valueOf(d.maxBulkLength()),
                        "client-query-buffer-limit", String.valueOf(d.queryBufferLimit()),
                        "client-output-buffer-limit", String.valueOf(d.outputBufferLimit()),
                        "pubsub-output-buffer-limit", String.valueOf(d.pubsubOutputBufferLimit()),
                        "hz", String.valueOf(d.hz()),
                        "grace", String.valueOf(Shutdown.DEFAULT_GRACE.toSeconds())));
        String host = a.get("host");
        int port = a.intValue("port");
        for (String option : new String[] {"maxclients", "proto-max-bulk-len", "client-query-buffer-limit"}) {
            if (bytes(a, option) <= 0) {
                a.fail("--" + option + " must be positive, got " + a.get(option));
            }
        }
        int hz = a.intValue("hz");
        if (hz < 0 || hz > 500) {
            a.fail("--hz must be 0 to 500, got " + hz);
        }
        Limits limits = null;
        try {
            limits = new Limits(a.intValue("maxclients"), bytes(a, "proto-max-bulk-len"),
                    bytes(a, "client-query-buffer-limit"), bytes(a, "client-output-buffer-limit"),
                    bytes(a, "pubsub-output-buffer-limit"), a.intValue("hz"));
        } catch (IllegalArgumentException e) {
            a.fail(e.getMessage());
        }
        Duration grace = a.seconds("grace");
        ServerTls tls = ServerTls.parse(a, ServerTls.Client.OPENSSL);
        Limits chosen = limits;
        EventLoop.run(() -> {
            EventLoop loop = EventLoop.current();
            return start(loop, host, port, chosen, tls.config()).then(kv -> {
                tls.announce(kv.port());
                return Shutdown.serveUntilExit(loop, host, kv.server(), grace).onDone(f -> kv.close());
            });
        });
    }

    /** A byte count: digits, optionally ending in k, m or g (powers of 1024, as Redis's config reads them). */
    private static long bytes(Args a, String option) {
        String v = a.get(option).trim().toLowerCase(java.util.Locale.ROOT);
        long unit = 1;
        if (v.endsWith("kb") || v.endsWith("mb") || v.endsWith("gb")) {
            v = v.substring(0, v.length() - 1);
        }
        if (v.endsWith("k")) {
            unit = 1L << 10;
        } else if (v.endsWith("m")) {
            unit = 1L << 20;
        } else if (v.endsWith("g")) {
            unit = 1L << 30;
        }
        if (unit != 1) {
            v = v.substring(0, v.length() - 1);
        }
        try {
            long n = Long.parseLong(v);
            if (n < 0 || n > Long.MAX_VALUE / unit) {
                throw new NumberFormatException();
            }
            return n * unit;
        } catch (NumberFormatException e) {
            a.fail("--" + option + " needs a byte count such as 1048576, 512m or 1g, got " + a.get(option));
            return 0;
        }
    }
}
