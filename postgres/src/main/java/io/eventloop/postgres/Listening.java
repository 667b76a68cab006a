package io.eventloop.postgres;

import io.eventloop.Async;
import io.eventloop.Future;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * The channels a connection listens on and who gets their notifications: the one mechanism
 * under {@link Notifications} and {@link PgConnection#addListener}.
 *
 * <p>A channel has a list of {@link Listener}s. Adding one sends {@code LISTEN} (every time, so
 * that the caller's future means "the server has run it"; LISTEN of a channel already listened
 * on changes nothing there); removing the last one sends {@code UNLISTEN}. Both go through the
 * connection's pipeline, so however adds and removes interleave, the server ends in the state
 * the list has: an UNLISTEN queued before a LISTEN runs before it. A listener is in the list from
 * the moment it is added, not from the LISTEN's answer, so that a remove meanwhile does not count
 * it out and unlisten under it.
 *
 * <p>A NotificationResponse goes to every listener of its channel, in the order they were added.
 * One for a channel nobody listens on (an UNLISTEN still on its way, or a {@code LISTEN} the user
 * ran with {@code execute}) is dropped. Loop-thread confined.
 */
final class Listening {
    /** Who receives a channel's notifications. */
    interface Listener {
        /** A notification on the listener's channel. Must not throw: it runs inside the protocol's read. */
        void notification(Notification n);

        /** The connection is gone: {@code cause} is null when the client closed it, else why it was lost. */
        void ended(Throwable cause);
    }

    /** The longest identifier PostgreSQL keeps, in bytes (NAMEDATALEN - 1); longer ones are truncated. */
    static final int MAX_CHANNEL_BYTES = 63;

    private final PgProtocol protocol;
    private final Map<String, List<Listener>> channels = new HashMap<>();

    Listening(PgProtocol protocol) {
        this.protocol = protocol;
    }

    /**
     * {@code channel} as a quoted identifier, after checking it names a channel PostgreSQL keeps
     * as it is: not empty, no NUL, at most 63 bytes of UTF-8 (the server would silently cut a
     * longer one, and its notifications would carry a name nobody listens on).
     */
    static String quote(String channel) {
        Objects.requireNonNull(channel, "channel");
        if (channel.isEmpty()) {
            throw new IllegalArgumentException("a channel name must not be empty");
        }
        if (channel.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("the channel name \"" + channel.replace("\0", "\\0")
                    + "\" contains a NUL character, which PostgreSQL identifiers cannot hold");
        }
        int bytes = channel.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_CHANNEL_BYTES) {
            throw new IllegalArgumentException("the channel name \"" + MessageWriter.abbreviate(channel) + "\" is "
                    + bytes + " bytes of UTF-8; PostgreSQL keeps at most " + MAX_CHANNEL_BYTES
                    + " (NAMEDATALEN - 1) and would cut it");
        }
        return '"' + channel.replace("\"", "\"\"") + '"';
    }

    /**
     * Adds {@code listener} to {@code channel} and sends LISTEN. If the LISTEN fails (or its
     * future is cancelled), the listener is removed again.
     *
     * @return completes once the server has run the LISTEN; fails with its error
     */
    Future<Void> add(String channel, Listener listener) {
        Future<Object> listen = protocol.submit("LISTEN " + quote(channel), new Object[0], Query.Mode.TAG, true).future;
        if (listen.isDone()) { // refused at once: the connection is closed, or too much is waiting
            return listen.map(tag -> null);
        }
        channels.computeIfAbsent(channel, c -> new ArrayList<>()).add(listener);
        Future<Void> added = listen.map(tag -> null);
        added.onDone(f -> {
            if (f.isCancelled() || f.exception() != null) {
                remove(channel, listener).onDone(ignored -> { });
            }
        });
        return added;
    }

    /** Sends LISTEN for a channel whose listeners do not change. */
    Future<Void> listen(String channel) {
        return protocol.submit("LISTEN " + quote(channel), new Object[0], Query.Mode.TAG, true).future.map(tag -> null);
    }

    /**
     * Removes {@code listener} from {@code channel}; if it was the last one, sends UNLISTEN.
     *
     * @return completes once nobody listens on {@code channel} on the server, or at once when
     *     others still do (or the listener was not there); a lost connection counts as done, since
     *     a closed session listens on nothing
     */
    Future<Void> remove(String channel, Listener listener) {
        List<Listener> list = channels.get(channel);
        if (list == null || !list.remove(listener)) {
            return Async.completed(null);
        }
        if (!list.isEmpty()) {
            return Async.completed(null);
        }
        channels.remove(channel);
        if (!protocol.isOpen()) {
            return Async.completed(null);
        }
        return protocol.submit("UNLISTEN " + quote(channel), new Object[0], Query.Mode.TAG, true).future
                .<Void>map(tag -> null)
                .recover(PgConnectionException.class, e -> Async.completed(null));
    }

    /** The callback listener of {@code channel} that calls {@code callback}, or null. */
    Callback callback(String channel, Consumer<Notification> callback) {
        for (Listener l : channels.getOrDefault(channel, List.of())) {
            if (l instanceof Callback c && c.callback.equals(callback)) {
                return c;
            }
        }
        return null;
    }

    /** A NotificationResponse: process ID, channel, payload. */
    void notification(ByteBuffer body) {
        int pid = body.getInt();
        String channel = Exchange.cstring(body);
        String payload = Exchange.cstring(body);
        List<Listener> list = channels.get(channel);
        if (list == null) {
            return; // nobody listens (see the class comment): dropped
        }
        Notification n = new Notification(pid, channel, payload);
        for (Listener l : List.copyOf(list)) { // a listener may remove itself (an overflow)
            l.notification(n);
        }
    }

    /** The connection is gone: every listener hears it once, and the channels are forgotten. */
    void ended(Throwable cause) {
        List<Listener> all = new ArrayList<>();
        channels.values().forEach(all::addAll);
        channels.clear();
        for (Listener l : all) {
            l.ended(cause);
        }
    }

    /** The channels listened on, for tests. */
    int channelCount() {
        return channels.size();
    }

    /**
     * asyncpg's listener callback: each notification is handed to it on a later loop iteration
     * ({@code callSoon}), so a callback that throws reaches the loop's exception handler, not the
     * protocol, and one that is slow delays the loop but loses nothing.
     */
    final class Callback implements Listener {
        final Consumer<Notification> callback;

        Callback(Consumer<Notification> callback) {
            this.callback = callback;
        }

        @Override
        public void notification(Notification n) {
            protocol.loop.callSoon(() -> callback.accept(n));
        }

        @Override
        public void ended(Throwable cause) {
            // asyncpg does not tell its listener callbacks either; the connection's queries fail
        }
    }
}
