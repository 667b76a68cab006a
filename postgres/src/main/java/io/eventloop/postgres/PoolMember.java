package io.eventloop.postgres;

import io.eventloop.TimerHandle;
import java.util.ArrayDeque;

/** One connection of a {@link PgPool}, idle or not. Loop thread only. */
final class PoolMember {
    final PgProtocol protocol;
    /** The pool's generation when it was opened: {@link PgPool#expireConnections()} moves the pool's on. */
    final int generation;
    /** Loop time when it last became idle. */
    long idleSince;
    /** Closes it once idle too long, while the pool is above its minimum. */
    TimerHandle expiry;
    /** Resets issued behind the last callers' queries (see {@link PgPool#release}), answered or not. */
    private final ArrayDeque<Query> resets = new ArrayDeque<>();

    PoolMember(PgProtocol protocol, int generation) {
        this.protocol = protocol;
        this.generation = generation;
    }

    void resetting(Query reset) {
        resets.add(reset);
    }

    /** Resets not answered yet: a future is done at its ReadyForQuery, before its callbacks run. */
    int resetsPending() {
        resets.removeIf(q -> q.future.isDone());
        return resets.size();
    }
}
