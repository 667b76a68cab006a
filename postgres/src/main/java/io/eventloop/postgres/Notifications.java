package io.eventloop.postgres;

import io.eventloop.Async;
import io.eventloop.AsyncIterator;
import io.eventloop.EventLoop;
import io.eventloop.Future;
import java.util.ArrayDeque;
import java.util.Optional;

/**
 * The notifications of one channel, as an {@link AsyncIterator}: each {@link #next()} is the next
 * notification, in the order the server sent them; {@link #closeAsync()} stops listening.
 * {@link PgConnection#listen(String)} makes one, once the server has run {@code LISTEN};
 * {@code Async.forEach(notifications, n -> ...)} is {@code async for}.
 *
 * <pre>
 *   LISTENING ──closeAsync()──────────────────────────────────────────────────&gt; CLOSED
 *      │                                                                           ▲
 *      ├── overflow: next() gives what was kept, then NotificationOverflowException ┤ closeAsync()
 *      └── connection lost: next() gives what was kept, then PgConnectionException ┘
 *          (closed by the client, closeAsync() or terminate(): then empty, the end)
 * </pre>
 *
 * <p><b>Several on one channel.</b> Each iterator on a channel gets every notification of it,
 * with its own buffer; the connection runs {@code UNLISTEN} when the last of them closes.
 *
 * <p><b>Buffering and a slow consumer.</b> Notifications wait in the iterator until
 * {@code next()} takes them. When {@link PgOptions#notificationBuffer(int)} of them (default
 * 10,000) are waiting unread and one more arrives, the iterator gives up: it stops listening (an
 * UNLISTEN if it was the last on its channel), drops that notification and all later ones, and
 * {@code next()} hands out the kept ones and then fails with a
 * {@link NotificationOverflowException}. The other iterators and queries of the connection are
 * not touched. The rejected alternatives: to stop reading the socket, as the Redis client's
 * {@code Subscription} does on its own connection, would stall every query on this one, and
 * would keep the server from reading its notification queue, which all of the server's sessions
 * share (a full queue fails every {@code NOTIFY} there); to drop the oldest or newest silently
 * would leave a consumer that keeps a copy of some data in step unaware that it no longer is.
 *
 * <p><b>End.</b> A connection lost (or closed by the server) ends the iteration with a
 * {@link PgConnectionException}, after the notifications already received; a connection the
 * client closes ends it quietly (an empty {@code next()}). There is no re-listening on another
 * connection: that is the caller's (or a pool's) choice.
 *
 * <p><b>Transactions.</b> PostgreSQL applies LISTEN and UNLISTEN run inside a transaction block
 * at its COMMIT, and delivers notifications between transactions only: an iterator made inside
 * {@link PgConnection#transaction} receives from the commit on, and none if it rolls back.
 *
 * <p>Compared with asyncpg, which has only the callback form ({@code add_listener}, here
 * {@link PgConnection#addListener}): the iterator is {@code async for} over a channel, with a
 * bounded buffer where asyncpg schedules a callback per notification however many pile up. One
 * consumer at a time: call {@code next()} again once the previous one is done. Loop thread only.
 */
public final class Notifications implements AsyncIterator<Notification> {
    private enum State { LISTENING, ENDED, CLOSED }

    private final EventLoop loop;
    private final Listening listening;
    private final String channel;
    private final int limit;
    private final ArrayDeque<Notification> buffer = new ArrayDeque<>();
    private final Listening.Listener listener = new Listening.Listener() {
        @Override
        public void notification(Notification n) {
            deliver(n);
        }

        @Override
        public void ended(Throwable cause) {
            end(cause);
        }
    };
    private State state = State.LISTENING;
    /** Why the iteration ends after the kept notifications: an overflow or a loss; null for a quiet end. */
    private Throwable failure;
    private Waiter waiter;
    private Future<Void> closing;

    Notifications(EventLoop loop, Listening listening, String channel, int limit) {
        this.loop = loop;
        this.listening = listening;
        this.channel = channel;
        this.limit = limit;
    }

    /** What the connection registers for this iterator. */
    Listening.Listener listener() {
        return listener;
    }

    /**
     * A future handed out by {@link #next()}: if the code waiting on it is cancelled after it got
     * a notification but before it resumed, the notification goes back to the front of the
     * buffer, for the next {@code next()} (as an {@code AsyncQueue} item does).
     */
    private final class Waiter extends Future<Optional<Notification>> {
        Waiter() {
            super(loop);
        }

        @Override
        protected boolean retract() {
            Optional<Notification> n = result();
            if (n.isPresent() && state != State.CLOSED) {
                buffer.addFirst(n.get());
            }
            return true;
        }
    }

    private void deliver(Notification n) {
        if (state != State.LISTENING) {
            return;
        }
        if (waiter != null && !waiter.isDone()) {
            Waiter w = waiter;
            waiter = null;
            w.complete(Optional.of(n));
            return;
        }
        if (buffer.size() >= limit) {
            state = State.ENDED;
            failure = new NotificationOverflowException(channel, limit);
            listening.remove(channel, listener).onDone(ignored -> { }); // the outcome matters to nobody now
            return;
        }
        buffer.add(n);
    }

    private void end(Throwable cause) {
        if (state != State.LISTENING) {
            return;
        }
        state = State.ENDED;
        failure = cause;
        if (waiter != null && !waiter.isDone()) {
            Waiter w = waiter;
            waiter = null;
            if (cause != null) {
                w.fail(cause);
            } else {
                w.complete(Optional.empty());
            }
        }
    }

    /**
     * The next notification: at once if one is waiting, else when one arrives. Completes empty
     * once the iterator is closed, or its connection was closed by the client; fails with a
     * {@link PgConnectionException} once the connection is lost, or a
     * {@link NotificationOverflowException} once the consumer fell behind, in both cases only
     * after the notifications kept before that were taken.
     *
     * @return a future of the next notification, or of an empty {@link Optional} at the end
     * @throws IllegalStateException if the previous {@code next()} is still pending
     */
    @Override
    public Future<Optional<Notification>> next() {
        if (waiter != null && !waiter.isDone()) {
            throw new IllegalStateException("next() while the previous next() of " + this + " is still pending");
        }
        waiter = null;
        Waiter f = new Waiter();
        Notification n = buffer.poll();
        if (n != null) {
            f.complete(Optional.of(n));
        } else if (state == State.LISTENING) {
            waiter = f;
        } else if (failure != null && state == State.ENDED) {
            f.fail(failure);
        } else {
            f.complete(Optional.empty());
        }
        return f;
    }

    /**
     * Stops listening: the notifications not yet taken are dropped, a pending {@code next()}
     * completes empty, and, if this was the last iterator or listener on the channel, the
     * connection runs {@code UNLISTEN} (the future completes once the server has: then
     * {@code pg_listening_channels()} no longer shows the channel). The connection stays open.
     * Idempotent. Compared with asyncpg: {@code await conn.remove_listener(channel, callback)}.
     *
     * @return completes once this iterator's channel is no longer listened on for it; fails with
     *     the server's error if it refused the UNLISTEN (in a failed transaction block); a closed
     *     or lost connection counts as done
     */
    @Override
    public Future<Void> closeAsync() {
        if (closing != null) {
            return closing;
        }
        boolean registered = state == State.LISTENING;
        state = State.CLOSED;
        buffer.clear();
        if (waiter != null && !waiter.isDone()) {
            waiter.complete(Optional.empty());
        }
        waiter = null;
        closing = registered ? listening.remove(channel, listener) : Async.completed(null);
        return closing;
    }

    /**
     * The channel listened on.
     *
     * @return its name, as given to {@link PgConnection#listen}
     */
    public String channel() {
        return channel;
    }

    /**
     * Notifications received and not yet taken by {@link #next()}: how far the consumer is behind.
     *
     * @return from 0 up to {@link PgOptions#notificationBuffer(int)}; 0 after {@link #closeAsync()},
     *     which drops them
     */
    public int buffered() {
        return buffer.size();
    }

    @Override
    public String toString() {
        return "Notifications[channel \"" + channel + "\", " + state + ", " + buffer.size() + " buffered]";
    }
}
