package io.eventloop.redis;

import io.eventloop.Async;
import io.eventloop.AsyncCloseable;
import io.eventloop.EventLoop;
import io.eventloop.Future;
import io.eventloop.ThrowingFunction;
import io.eventloop.TimerHandle;
import io.eventloop.net.Net;
import io.eventloop.net.Transport;
import java.io.IOException;
import java.net.StandardSocketOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * An asynchronous Redis client on the loop: redis-py's {@code redis.asyncio.Redis} (formerly
 * aioredis), with futures and continuations where Python has {@code await}.
 *
 * <pre>{@code
 * RedisClient.connect("127.0.0.1", 6379).then(redis ->
 *         redis.set("greeting", "hello")
 *                 .then(ok -> redis.get("greeting"))                 // "hello"
 *                 .ensure(redis::closeAsync));
 * }</pre>
 *
 * <p><b>One shared connection, pipelined automatically.</b> Every command goes out on one
 * connection. Commands issued during the same loop iteration are written together, in one write,
 * on the next iteration, and their replies are matched to them in order; so
 * {@code Async.gather(keys.stream().map(redis::get).toList())} is one round trip for ten thousand
 * keys, without asking for a pipeline. The cost is one iteration of delay for a lone command.
 * redis-py takes a connection from its pool per command instead, and pipelines only inside
 * {@code pipeline()}.
 *
 * <p><b>What does not share the connection.</b> Blocking commands ({@code BLPOP}, {@code BRPOP},
 * {@code BLMOVE}, {@code BZPOPMIN}, {@code XREAD ... BLOCK}, {@code WAIT} ...), recognised by name
 * whichever method sends them, run on a pool of connections of their own
 * ({@link RedisOptions#blockingPoolSize(int)}), so a {@code BLPOP} waiting a minute does not hold
 * up the {@code GET} issued after it. Subscriptions ({@link #subscribe}, {@link #psubscribe}) get
 * a connection each. {@link #withConnection} lends a pool connection to one body, for
 * {@code WATCH}.
 *
 * <p><b>Failures.</b> An error reply fails the command's future with a {@link RedisException}
 * carrying the server's text. No reply within {@link RedisOptions#commandTimeout(Duration)} fails
 * it with a {@link java.util.concurrent.TimeoutException}; the connection stays open and the late
 * reply is dropped. If the connection is lost, every command waiting on it fails with a
 * {@link RedisConnectionException} naming the server and the cause; the client reconnects with
 * exponential backoff ({@link RedisOptions#reconnectBackoff}) and, until it has, commands fail at
 * once with a {@link RedisConnectionException} that says it is reconnecting (they are not queued:
 * a caller learns at once instead of waiting on an outage). The first connect is not retried:
 * {@link #connect} fails.
 *
 * <pre>
 *   connect() ──&gt; OPEN ──(connection lost)──&gt; RECONNECTING ──(backoff, reconnected)──&gt; OPEN
 *                  │                              │  └─(attempt failed: backoff doubles)─┘
 *                  │   (lost, reconnect off) ──&gt; DISCONNECTED
 *                  └────────── closeAsync() from any state ──────────&gt; CLOSED
 * </pre>
 *
 * <p><b>Threads.</b> Loop thread only, like everything on the loop; from another thread go
 * through {@link EventLoop#submit}. {@link #closeAsync()} lets the commands already sent get their
 * replies, then closes every connection.
 */
public final class RedisClient extends RedisCommands implements AsyncCloseable {
    /** A listener that only marks a future's failure as looked at: for replies checked elsewhere. */
    static final Consumer<Object> IGNORE = f -> { };

    private static final byte[][] UNWATCH = {bytes("UNWATCH")};

    /** How a connection is made: the socket (or TLS) in production, an in-memory pair in tests. */
    interface Dialer {
        Future<Transport> dial(RedisProtocol protocol);
    }

    private enum State { OPEN, RECONNECTING, DISCONNECTED, CLOSED }

    private final EventLoop loop;
    private final String server;
    private final RedisOptions options;
    private final Dialer dialer;
    private final long timeoutNanos;
    private final ConnectionPool pool;
    private final Set<Subscription> subscriptions = new LinkedHashSet<>();

    // Loop-thread confined.
    private RedisProtocol shared;           // null unless OPEN
    private State state = State.OPEN;
    private int attempt;                    // reconnect attempts since the last loss
    private TimerHandle reconnectTimer;
    private long nextAttemptAt;
    private Throwable lastFailure;          // the loss, then each failed attempt
    private long retiredWrites;
    private int connects;
    private Future<Void> closing;

    private RedisClient(EventLoop loop, String host, int port, RedisOptions options, Dialer dialer) {
        this.loop = loop;
        this.server = host + ":" + port;
        this.options = options;
        this.dialer = dialer;
        this.timeoutNanos = options.commandTimeout() == null ? -1 : options.commandTimeout().toNanos();
        this.pool = new ConnectionPool(options.blockingPoolSize(), () -> open(null));
    }

    /**
     * Connects to the server at {@code host}:{@code port} with {@link RedisOptions#defaults()}:
     * {@code redis.asyncio.Redis(host=..., port=...)}, which connects on first use; this connects
     * now, so a wrong address fails here.
     *
     * @param host the server's host name or IP address, such as {@code "127.0.0.1"}
     * @param port the server's TCP port, 6379 for a default Redis
     * @return the client, once connected; fails with a {@link RedisConnectionException} if the
     *     server cannot be reached
     * @throws IllegalStateException if not called on a loop's thread
     */
    public static Future<RedisClient> connect(String host, int port) {
        return connect(host, port, RedisOptions.defaults());
    }

    /**
     * Connects with {@code options}: credentials, database, timeouts, TLS, protocol. The connection
     * is ready when the future completes: {@code HELLO} (RESP3), {@code AUTH}, {@code CLIENT
     * SETNAME} and {@code SELECT} have been answered. Every other connection the client opens
     * later (reconnects, the pool, subscriptions) is set up the same way.
     *
     * @param host the server's host name or IP address, such as {@code "127.0.0.1"}
     * @param port the server's TCP port, 6379 for a default Redis
     * @param options how to connect and behave; {@link RedisOptions#defaults()} for none
     * @return the client, once connected; fails with a {@link RedisConnectionException} if the
     *     server cannot be reached (or the TLS handshake fails), with a {@link RedisException} if
     *     it refuses the credentials or the database
     * @throws IllegalStateException if not called on a loop's thread
     */
    public static Future<RedisClient> connect(String host, int port, RedisOptions options) {
        EventLoop loop = EventLoop.current();
        return connect(loop, host, port, options,
                p -> Net.createConnection(loop, () -> p, host, port, options.connectTimeout(), options.tls()));
    }

    /** {@link #connect(String, int, RedisOptions)} through {@code dialer}: the seam tests use. */
    static Future<RedisClient> connect(EventLoop loop, String host, int port, RedisOptions options, Dialer dialer) {
        RedisClient client = new RedisClient(loop, host, port, options, dialer);
        return client.open(null).map(p -> {
            client.adopt(p);
            return client;
        });
    }

    // ------------------------------------------------------------------ connections

    /** Opens a connection and sets it up (HELLO, AUTH, CLIENT SETNAME, SELECT). */
    private Future<RedisProtocol> open(RedisProtocol.PushHandler pushes) {
        RedisProtocol p = new RedisProtocol(loop, server, options, pushes);
        Future<RedisProtocol> ready = dialer.dial(p)
                .recover(IOException.class, e -> Async.<Transport>failed(
                        new RedisConnectionException("cannot connect to " + server + ": " + e, e)))
                .then(t -> {
                    try {
                        t.setOption(StandardSocketOptions.SO_KEEPALIVE, true); // a dead peer is noticed, eventually
                    } catch (IOException | UnsupportedOperationException e) {
                        // not a socket: nothing to keep alive
                    }
                    return setUp(p);
                });
        ready.onDone(r -> {
            if (r.isCancelled() || r.exception() != null) {
                p.abort();
            }
        });
        return ready;
    }

    private Future<RedisProtocol> setUp(RedisProtocol p) {
        List<Future<Object>> steps = new ArrayList<>();
        String password = options.password();
        String user = options.user();
        if (options.protocol() == 3) {
            List<String> hello = new ArrayList<>(List.of("HELLO", "3"));
            if (password != null) {
                hello.addAll(List.of("AUTH", user != null ? user : "default", password));
            }
            if (options.clientName() != null) {
                hello.addAll(List.of("SETNAME", options.clientName()));
            }
            steps.add(p.send("HELLO", encode(hello.toArray(String[]::new)), Resp.Mode.TEXT, timeoutNanos));
        } else {
            if (password != null) {
                String[] auth = user != null ? new String[] {"AUTH", user, password} : new String[] {"AUTH", password};
                steps.add(p.send("AUTH", encode(auth), Resp.Mode.TEXT, timeoutNanos));
            }
            if (options.clientName() != null) {
                steps.add(p.send("CLIENT", encode(new String[] {"CLIENT", "SETNAME", options.clientName()}),
                        Resp.Mode.TEXT, timeoutNanos));
            }
        }
        if (options.database() != 0) {
            steps.add(p.send("SELECT", encode(new String[] {"SELECT", String.valueOf(options.database())}),
                    Resp.Mode.TEXT, timeoutNanos));
        }
        if (steps.isEmpty()) {
            return Async.completed(p);
        }
        return Async.gather(steps).map(v -> p);
    }

    /** {@code p} is the shared connection from now on. */
    private void adopt(RedisProtocol p) {
        shared = p;
        state = State.OPEN;
        attempt = 0;
        lastFailure = null;
        connects++;
        p.onLost(() -> lost(p));
    }

    private void lost(RedisProtocol p) {
        if (p != shared) {
            return;
        }
        retiredWrites += p.writes;
        shared = null;
        if (state == State.CLOSED) {
            return;
        }
        lastFailure = p.refusal();
        if (!options.reconnect()) {
            state = State.DISCONNECTED;
            return;
        }
        state = State.RECONNECTING;
        scheduleReconnect();
    }

    /** The delay before attempt {@code attempt + 1}: initial, doubled per failed attempt, capped. */
    private Duration backoff() {
        long initial = options.reconnectInitial().toNanos();
        long max = options.reconnectMax().toNanos();
        long delay = attempt >= 62 || initial > (max >> Math.min(attempt, 62)) ? max : initial << attempt;
        return Duration.ofNanos(Math.min(delay, max));
    }

    private void scheduleReconnect() {
        Duration delay = backoff();
        nextAttemptAt = loop.time() + delay.toNanos();
        reconnectTimer = loop.callLater(delay, this::reconnect);
    }

    private void reconnect() {
        reconnectTimer = null;
        attempt++;
        open(null).onDone(f -> {
            if (state == State.CLOSED) {
                if (!f.isCancelled() && f.exception() == null) {
                    f.result().closeGracefully();
                }
            } else if (f.exception() == null) {
                adopt(f.result());
            } else {
                lastFailure = f.exception();
                scheduleReconnect();
            }
        });
    }

    /** Why a command cannot be sent now, naming it, the server and the state. */
    private RedisConnectionException notConnected(String command) {
        return switch (state) {
            case CLOSED -> new RedisConnectionException(command + ": the client of " + server + " is closed");
            case RECONNECTING -> new RedisConnectionException(command + ": not connected to " + server
                    + ", reconnecting (attempt " + (attempt + 1) + " in "
                    + Math.max(0, TimeUnit.NANOSECONDS.toMillis(nextAttemptAt - loop.time())) + " ms) after: "
                    + lastFailure.getMessage(), lastFailure);
            case DISCONNECTED -> new RedisConnectionException(command + ": not connected to " + server
                    + " (RedisOptions.reconnect is off) after: " + lastFailure.getMessage(), lastFailure);
            case OPEN -> throw new IllegalStateException("connected");
        };
    }

    // ------------------------------------------------------------------ commands

    @Override
    Future<Object> send(String command, byte[][] args, Resp.Mode mode) {
        loop.checkThread("RedisClient." + command);
        if (state == State.CLOSED) {
            return Async.failed(notConnected(command));
        }
        long block = Blocking.blockMillis(command, args);
        if (block >= 0) {
            return pool.run(p -> p.send(command, args, mode, timeoutFor(block, timeoutNanos)));
        }
        RedisProtocol p = shared;
        if (p == null) {
            return Async.failed(notConnected(command));
        }
        return p.send(command, args, mode, timeoutNanos);
    }

    /** The timeout of a command that blocks {@code blockMillis} (0: forever; -1: does not block). */
    static long timeoutFor(long blockMillis, long timeoutNanos) {
        if (blockMillis < 0) {
            return timeoutNanos;
        }
        if (blockMillis == 0 || timeoutNanos < 0) {
            return -1;
        }
        return TimeUnit.MILLISECONDS.toNanos(blockMillis) + timeoutNanos;
    }

    /**
     * A {@code MULTI} / {@code EXEC} block on the shared connection: queue commands on the
     * {@link Transaction}, then {@link Transaction#exec()} sends them all in one write.
     * redis-py's {@code r.pipeline(transaction=True)}. For {@code WATCH}, use
     * {@link #withConnection} and {@link RedisConnection#multi()}.
     *
     * @return an empty transaction; nothing is sent until {@link Transaction#exec()}, which takes
     *     the shared connection of that moment (and fails with a
     *     {@link RedisConnectionException} if there is none)
     * @throws IllegalStateException if not called on the client's loop thread
     */
    public Transaction multi() {
        loop.checkThread("RedisClient.multi");
        return new Transaction(loop, () -> {
            if (shared == null) {
                throw notConnected("MULTI");
            }
            return shared;
        }, timeoutNanos);
    }

    /**
     * Runs {@code body} with a connection to itself, taken from the pool of blocking commands, and
     * gives it back when the body's future completes ({@code UNWATCH} first; a connection whose
     * body failed is closed instead, its state being unknown). For {@code WATCH} and for
     * sequences that must not interleave with other callers' commands. redis-py's
     * {@code async with r.pipeline() as pipe:} used with {@code pipe.watch(...)}, or
     * {@code r.transaction(func, *watches)} without its retry loop.
     *
     * <p>When every pool connection is busy (blocking commands, other bodies), the body waits for
     * one, in order. A body that fails, throws or is cancelled leaves its connection closed
     * rather than back in the pool.
     *
     * @param <T> the type of the body's result
     * @param body what to run; it gets the lent connection and returns a future of its result.
     *     Use the connection only until that future completes
     * @return the body's result, once the connection is given back; fails as the body's future
     *     fails (or as it throws); with a {@link RedisConnectionException} if the client is closed
     *     or a new pool connection cannot be opened (a {@link RedisException} if the server
     *     refuses its credentials or database). Cancelling it cancels the body's future, or,
     *     while it still waits for a connection, keeps the body from running
     * @throws IllegalStateException if not called on the client's loop thread
     */
    public <T> Future<T> withConnection(ThrowingFunction<RedisConnection, ? extends Future<T>> body) {
        loop.checkThread("RedisClient.withConnection");
        if (state == State.CLOSED) {
            return Async.failed(notConnected("withConnection"));
        }
        return pool.run(p -> {
            RedisConnection c = new RedisConnection(p, timeoutNanos);
            Future<T> r;
            try {
                r = body.apply(c);
            } catch (Exception | Error e) {
                c.release();
                p.abort();
                throw e;
            }
            Future<T> result = loop.createFuture();
            r.onDone(d -> {
                c.release();
                if (d.isCancelled()) {
                    p.abort();
                    result.cancel();
                } else if (d.exception() != null) {
                    p.abort();
                    result.fail(d.exception());
                } else if (!p.isOpen()) {
                    result.complete(d.result());
                } else {
                    p.send("UNWATCH", UNWATCH, Resp.Mode.RAW, timeoutNanos).onDone(u -> {
                        if (u.exception() != null) {
                            p.abort();
                        }
                        result.complete(d.result());
                    });
                }
            });
            result.onDone(x -> {
                if (x.isCancelled()) {
                    r.cancel();
                }
            });
            return result;
        });
    }

    // ------------------------------------------------------------------ publish / subscribe

    /**
     * Subscribes to {@code channels} on a new connection: redis-py's
     * {@code pubsub = r.pubsub(); await pubsub.subscribe(...)}.
     *
     * @param channels the channels' exact names, at least one
     * @return the subscription, once the server has confirmed every channel; iterate it with
     *     {@code Async.forEach} or {@link Subscription#next()}, close it to unsubscribe. Fails
     *     with a {@link RedisConnectionException} if the client is closed or its connection cannot
     *     be opened (a {@link RedisException} if the server refuses the credentials)
     * @throws IllegalArgumentException if no channel is given
     * @throws IllegalStateException if not called on the client's loop thread
     */
    public Future<Subscription> subscribe(String... channels) {
        return subscribe(false, channels);
    }

    /**
     * Subscribes to channels matching {@code patterns} ({@code news.*}) on a new connection:
     * {@code PSUBSCRIBE}, redis-py's {@code await pubsub.psubscribe(...)}. Each {@link Message}
     * carries the pattern that matched and the channel it was published to.
     *
     * @param patterns glob-style patterns ({@code *}, {@code ?}, {@code [abc]}), at least one
     * @return the subscription, once the server has confirmed every pattern; fails as
     *     {@link #subscribe} does
     * @throws IllegalArgumentException if no pattern is given
     * @throws IllegalStateException if not called on the client's loop thread
     */
    public Future<Subscription> psubscribe(String... patterns) {
        return subscribe(true, patterns);
    }

    private Future<Subscription> subscribe(boolean patterns, String[] names) {
        loop.checkThread(patterns ? "RedisClient.psubscribe" : "RedisClient.subscribe");
        if (names.length == 0) {
            throw new IllegalArgumentException((patterns ? "psubscribe" : "subscribe") + " needs at least one name");
        }
        if (state == State.CLOSED) {
            return Async.failed(notConnected(patterns ? "PSUBSCRIBE" : "SUBSCRIBE"));
        }
        Subscription s = new Subscription(loop, patterns, Arrays.asList(names), options);
        Future<Subscription> f = open(s.handler()).then(p -> {
            if (state == State.CLOSED) {
                p.abort();
                throw notConnected(patterns ? "PSUBSCRIBE" : "SUBSCRIBE");
            }
            subscriptions.add(s);
            p.closed().onDone(x -> subscriptions.remove(s));
            return s.start(p);
        });
        f.onDone(d -> {
            if (d.isCancelled() || d.exception() != null) {
                s.closeAsync();
            }
        });
        return f;
    }

    // ------------------------------------------------------------------ state and closing

    /**
     * Whether the shared connection is open now. redis-py's client has no such flag: its pool
     * connects on demand, so a command is what finds out.
     *
     * @return true when commands can be sent; false while reconnecting, after a loss with
     *     {@link RedisOptions#reconnect(boolean) reconnect} off, and once closed
     */
    public boolean isConnected() {
        return state == State.OPEN;
    }

    /**
     * The server this client connects to, as given to {@link #connect}.
     *
     * @return {@code host:port}, such as {@code "127.0.0.1:6379"}
     */
    public String server() {
        return server;
    }

    /**
     * The options the client was made with.
     *
     * @return the options given to {@link #connect(String, int, RedisOptions)}, or
     *     {@link RedisOptions#defaults()}
     */
    public RedisOptions options() {
        return options;
    }

    /**
     * Closes the client: new commands fail at once; the commands already sent get their replies
     * (or time out); then every connection is closed, subscriptions unsubscribed and pooled
     * connections closed (a blocking command still waiting fails). Idempotent. redis-py's
     * {@code await r.aclose()}.
     */
    @Override
    public Future<Void> closeAsync() {
        loop.checkThread("RedisClient.closeAsync");
        if (closing != null) {
            return closing;
        }
        state = State.CLOSED;
        if (reconnectTimer != null) {
            reconnectTimer.cancel();
            reconnectTimer = null;
        }
        List<Future<?>> parts = new ArrayList<>();
        for (Subscription s : new ArrayList<>(subscriptions)) {
            parts.add(s.closeAsync());
        }
        parts.add(pool.close());
        if (shared != null) {
            parts.add(shared.closeGracefully());
        }
        closing = whenDone(loop, Async.gather(parts));
        return closing;
    }

    /** A new future that completes with null once {@code f} is done, however: cancelling it touches nothing else. */
    static Future<Void> whenDone(EventLoop loop, Future<?> f) {
        Future<Void> done = loop.createFuture();
        f.onDone(x -> done.complete(null));
        return done;
    }

    // ------------------------------------------------------------------ for tests

    /** Batches written on the shared connection, over every connection it has had. */
    long writes() {
        return retiredWrites + (shared != null ? shared.writes : 0);
    }

    /** How many times the shared connection was opened: 1, plus one per reconnect. */
    int connects() {
        return connects;
    }

    /** The shared connection, or null while there is none. */
    RedisProtocol shared() {
        return shared;
    }

    ConnectionPool pool() {
        return pool;
    }

    @Override
    public String toString() {
        return "RedisClient[" + server + ", " + state + "]";
    }
}
