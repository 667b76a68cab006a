package io.eventloop.postgres;

import java.util.Objects;

/**
 * One notification from the server: a {@code NOTIFY channel, 'payload'} (or
 * {@code SELECT pg_notify('channel', 'payload')}) committed by some session, delivered to a
 * connection that listens on the channel, as {@link Notifications} and
 * {@link PgConnection#addListener} hand it out.
 *
 * <p>Compared with asyncpg: the arguments its listener callbacks get ({@code connection, pid,
 * channel, payload}), as one value; the connection is the one the listener was added to.
 *
 * @param pid the process ID of the server backend that sent it (its session's
 *     {@link PgConnection#serverPid()}; the listener's own when it notified itself)
 * @param channel the channel's name, exactly as the sender wrote it once unquoted (PostgreSQL
 *     folds an unquoted {@code NOTIFY Orders} to {@code orders}; {@code pg_notify('Orders', ...)}
 *     keeps the case)
 * @param payload the payload; empty when the sender gave none (PostgreSQL never sends null)
 */
public record Notification(int pid, String channel, String payload) {
    /**
     * A notification, as the server describes it.
     *
     * @param pid the sending backend's process ID
     * @param channel the channel's name, not null
     * @param payload the payload, not null (empty for none)
     */
    public Notification {
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(payload, "payload");
    }
}
