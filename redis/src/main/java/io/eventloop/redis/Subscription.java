package io.eventloop.redis;

import io.eventloop.AsyncIterator;
import io.eventloop.EventLoop;
import io.eventloop.Future;
import io.eventloop.TimerHandle;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Optional;

/**
 * The messages of channels (or patterns) subscribed to, as an {@link AsyncIterator}: each
 * {@link #next()} is the next message, in the order the server sent them; {@link #closeAsync()}
 * unsubscribes and closes the subscription's connection, after which {@code next()} completes
 * empty. {@code Async.forEach(subscription, m -> ...)} is {@code async for message in pubsub.listen()}.
 *
 * <pre>
 *   SUBSCRIBING ──(every channel confirmed)──&gt; OPEN ──closeAsync()──&gt; CLOSING ──(unsubscribed)──&gt; CLOSED
 *        └───────────────── the connection is lost: next() fails after the buffered messages ──────┘
 * </pre>
 *
 * <p><b>Its own connection.</b> A subscribed connection can run nothing but (un)subscribe
 * commands, so each subscription opens one (with the client's options: credentials, TLS, the
 * protocol, where RESP3 delivers messages as push frames and RESP2 as arrays, both handled). It is
 * not reopened if lost: {@code next()} fails with the {@link RedisConnectionException}, after the
 * messages already received; subscribe again to go on.
 *
 * <p><b>Overflow: back-pressure, not loss.</b> Messages wait in a buffer until {@code next()}
 * takes them. When {@link RedisOptions#subscriptionBuffer(int)} of them are unread, the
 * subscription stops reading its connection (messages parsed from the same read still join the
 * buffer, so it may go over by one read's worth); it reads again once half are taken. Meanwhile
 * the server buffers them, and disconnects a subscriber that falls further behind than its
 * {@code client-output-buffer-limit pubsub} (32 MiB by default): then {@code next()} fails, as
 * for any lost connection. Nothing is dropped silently. (The rejected alternatives: dropping the
 * oldest or newest message, which redis-py does not do either, or failing at once, which loses
 * what a moment's patience would have delivered.)
 *
 * <p>Compared with redis-py: {@code pubsub = r.pubsub(); await pubsub.subscribe("ch")} and
 * {@code async for m in pubsub.listen()}; subscription confirmations are not handed out as
 * messages, and closing is {@code await pubsub.aclose()}. One consumer at a time: call
 * {@code next()} again once the previous one is done. Loop thread only.
 */
public final class Subscription implements AsyncIterator<Message> {
    private enum State { SUBSCRIBING, OPEN, CLOSING, CLOSED }

    private final EventLoop loop;
    private final boolean patterns;
    private final List<String> names;
    private final int bound;
    private final Duration closeTimeout;
    private final ArrayDeque<Message> buffer = new ArrayDeque<>();
    private final Future<Subscription> ready;
    private RedisProtocol protocol;
    private State state = State.SUBSCRIBING;
    private int unconfirmed;
    private Future<Optional<Message>> waiter;
    private Throwable failure;
    private boolean paused;
    private Future<Void> closing;

    Subscription(EventLoop loop, boolean patterns, List<String> names, RedisOptions options) {
        this.loop = loop;
        this.patterns = patterns;
        this.names = List.copyOf(names);
        this.bound = options.subscriptionBuffer();
        this.closeTimeout = options.commandTimeout();
        this.ready = loop.createFuture();
    }

    /** What the connection calls with pub/sub frames. */
    RedisProtocol.PushHandler handler() {
        return new RedisProtocol.PushHandler() {
            @Override
            public void push(List<Object> elements) {
                onPush(elements);
            }

            @Override
            public void lost(RedisConnectionException cause) {
                onLost(cause);
            }
        };
    }

    /** Subscribes on {@code p}, a connection opened with {@link #handler()}; completes once confirmed. */
    Future<Subscription> start(RedisProtocol p) {
        protocol = p;
        unconfirmed = names.size();
        byte[][] args = new byte[names.size() + 1][];
        args[0] = RedisCommands.bytes(patterns ? "PSUBSCRIBE" : "SUBSCRIBE");
        for (int i = 0; i < names.size(); i++) {
            args[i + 1] = RedisCommands.bytes(names.get(i));
        }
        p.sendWithoutReply(args);
        return ready;
    }

    private void onPush(List<Object> e) {
        String kind = Resp.text(e.get(0));
        switch (kind) {
            case "subscribe", "psubscribe" -> {
                if (unconfirmed > 0 && --unconfirmed == 0 && state == State.SUBSCRIBING) {
                    state = State.OPEN;
                    ready.complete(this);
                }
            }
            case "message" -> deliver(new Message(null, Resp.text(e.get(1)), payload(e.get(2))));
            case "pmessage" -> deliver(new Message(Resp.text(e.get(1)), Resp.text(e.get(2)), payload(e.get(3))));
            case "unsubscribe", "punsubscribe" -> {
                if (state == State.CLOSING && e.size() > 2 && Long.valueOf(0).equals(e.get(2))) {
                    protocol.closeGracefully();
                }
            }
            default -> {
                // smessage and the like: not subscribed to here
            }
        }
    }

    private static byte[] payload(Object raw) {
        return raw instanceof byte[] b ? b : RedisCommands.bytes(String.valueOf(raw));
    }

    private void deliver(Message m) {
        if (state == State.CLOSING || state == State.CLOSED) {
            return;
        }
        if (waiter != null && !waiter.isDone()) {
            Future<Optional<Message>> w = waiter;
            waiter = null;
            w.complete(Optional.of(m));
            return;
        }
        buffer.add(m);
        if (buffer.size() >= bound && !paused) {
            paused = true;
            protocol.transport().pauseReading();
        }
    }

    private void onLost(RedisConnectionException cause) {
        if (!ready.isDone()) {
            ready.fail(cause);
        }
        if (state == State.CLOSING || state == State.CLOSED) {
            state = State.CLOSED;
        } else {
            state = State.CLOSED;
            failure = cause;
        }
        if (waiter != null && !waiter.isDone()) {
            if (failure != null) {
                waiter.fail(failure);
            } else {
                waiter.complete(Optional.empty());
            }
        }
        waiter = null;
    }

    /**
     * The next message: at once if one is buffered, else when one arrives. Completes empty once
     * the subscription is closed; fails with a {@link RedisConnectionException} once its
     * connection is lost and the buffered messages are taken.
     *
     * @throws IllegalStateException if the previous {@code next()} is still pending
     */
    @Override
    public Future<Optional<Message>> next() {
        if (waiter != null && !waiter.isDone()) {
            throw new IllegalStateException("next() while the previous next() of " + this + " is still pending");
        }
        waiter = null;
        Future<Optional<Message>> f = loop.createFuture();
        Message m = buffer.poll();
        if (m != null) {
            if (paused && buffer.size() <= bound / 2) {
                paused = false;
                if (protocol.isOpen()) {
                    protocol.transport().resumeReading();
                }
            }
            f.complete(Optional.of(m));
        } else if (failure != null) {
            f.fail(failure);
        } else if (state == State.CLOSING || state == State.CLOSED) {
            f.complete(Optional.empty());
        } else {
            waiter = f;
        }
        return f;
    }

    /**
     * Unsubscribes from every channel (or pattern) and closes the connection once the server has
     * confirmed it: when the future completes, the server has removed the subscription
     * ({@code PUBSUB NUMSUB} no longer counts it). Unread messages are dropped; a pending
     * {@code next()} completes empty. Idempotent. redis-py's {@code await pubsub.aclose()}.
     */
    @Override
    public Future<Void> closeAsync() {
        if (closing != null) {
            return closing;
        }
        boolean wasOpen = state != State.CLOSED;
        state = State.CLOSING;
        buffer.clear();
        if (waiter != null && !waiter.isDone()) {
            waiter.complete(Optional.empty());
        }
        waiter = null;
        if (!ready.isDone()) {
            ready.cancel("the subscription was closed before it was confirmed");
        }
        if (!wasOpen || protocol == null || !protocol.isOpen()) {
            state = State.CLOSED;
            closing = protocol == null ? io.eventloop.Async.completed(null) : RedisClient.whenDone(loop, protocol.closed());
            return closing;
        }
        if (paused) {
            paused = false;
            protocol.transport().resumeReading(); // or the confirmation could never be read
        }
        protocol.sendWithoutReply(new byte[][] {RedisCommands.bytes(patterns ? "PUNSUBSCRIBE" : "UNSUBSCRIBE")});
        TimerHandle guard = closeTimeout == null ? null : loop.callLater(closeTimeout, protocol::abort);
        closing = RedisClient.whenDone(loop, protocol.closed());
        closing.onDone(done -> {
            state = State.CLOSED;
            if (guard != null) {
                guard.cancel();
            }
        });
        return closing;
    }

    /**
     * The channels (or patterns) subscribed to: the keys of redis-py's {@code pubsub.channels}
     * (or {@code pubsub.patterns}), except that here they are fixed for the life of the
     * subscription.
     *
     * @return the names given to {@link RedisClient#subscribe} or {@link RedisClient#psubscribe},
     *     in that order; an unmodifiable list
     */
    public List<String> channels() {
        return names;
    }

    /**
     * Whether these are patterns ({@link RedisClient#psubscribe}).
     *
     * @return true for a {@code PSUBSCRIBE} subscription, whose {@link Message#pattern()} is set;
     *     false for {@code SUBSCRIBE}
     */
    public boolean isPattern() {
        return patterns;
    }

    /**
     * Messages received and not yet taken by {@link #next()}: how far the consumer is behind.
     * redis-py keeps unread messages in its connection's buffer and has no such count.
     *
     * @return the count, from 0 up to about {@link RedisOptions#subscriptionBuffer(int)} (reading
     *     pauses there); 0 after {@link #closeAsync()}, which drops them
     */
    public int buffered() {
        return buffer.size();
    }

    /** Whether reading is paused because the buffer is full. */
    boolean isPaused() {
        return paused;
    }

    @Override
    public String toString() {
        return "Subscription[" + (patterns ? "patterns " : "channels ") + names + ", " + state + ", " + buffer.size()
                + " buffered]";
    }
}
