package io.eventloop.redis;

import io.eventloop.Async;
import io.eventloop.Future;
import io.eventloop.ThrowingFunction;
import io.eventloop.sync.AsyncSemaphore;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The connections that blocking commands and {@link RedisClient#withConnection} bodies run on,
 * one user at a time each: at most {@link RedisOptions#blockingPoolSize(int)} of them, opened when
 * first needed, kept while idle, and waited for in order when all are busy (an
 * {@link AsyncSemaphore} holds the count).
 *
 * <p>A connection goes back to the pool only if it is idle: open, with no command waiting. One
 * that still has a slot (its blocking command was cancelled or timed out, and the reply will come
 * later) is closed instead, so the next user never receives someone else's reply.
 *
 * <p>Compared with redis-py's {@code ConnectionPool}: the same idea, but only for what must not
 * share a connection; ordinary commands share one pipelined connection instead of taking turns on
 * pooled ones. Loop thread only.
 */
final class ConnectionPool {
    private final Supplier<Future<RedisProtocol>> opener;
    private final AsyncSemaphore permits;
    private final ArrayDeque<RedisProtocol> idle = new ArrayDeque<>();
    private final Set<RedisProtocol> all = new LinkedHashSet<>();
    private boolean closed;

    ConnectionPool(int size, Supplier<Future<RedisProtocol>> opener) {
        this.permits = new AsyncSemaphore(size);
        this.opener = opener;
    }

    /** Runs {@code body} on a connection of its own, which goes back to the pool afterwards. */
    <T> Future<T> run(ThrowingFunction<RedisProtocol, ? extends Future<T>> body) {
        return permits.withPermit(() -> take().then(p -> {
            Future<T> result;
            try {
                result = body.apply(p);
            } catch (Exception | Error e) {
                giveBack(p);
                throw e;
            }
            return result.ensure(() -> giveBack(p));
        }));
    }

    private Future<RedisProtocol> take() {
        if (closed) {
            return Async.failed(new RedisConnectionException("the client is closed"));
        }
        for (RedisProtocol p = idle.pollLast(); p != null; p = idle.pollLast()) {
            if (p.isIdle()) {
                return Async.completed(p);
            }
            all.remove(p);
            p.abort();
        }
        return opener.get().map(p -> {
            if (closed) {
                p.abort();
                throw new RedisConnectionException("the client is closed");
            }
            all.add(p);
            p.onLost(() -> {
                all.remove(p);
                idle.remove(p);
            });
            return p;
        });
    }

    private void giveBack(RedisProtocol p) {
        if (!closed && p.isIdle()) {
            idle.addLast(p);
        } else {
            all.remove(p);
            p.abort();
        }
    }

    /** Closes every connection: idle ones at once, busy ones too (their commands fail). */
    Future<Void> close() {
        closed = true;
        idle.clear();
        List<Future<?>> gone = new ArrayList<>();
        for (RedisProtocol p : new ArrayList<>(all)) {
            gone.add(p.closed());
            p.abort();
        }
        all.clear();
        return Async.gather(gone).map(v -> null);
    }

    /** Connections open now, busy or idle. */
    int size() {
        return all.size();
    }

    /** Connections open and idle. */
    int idle() {
        return idle.size();
    }
}
