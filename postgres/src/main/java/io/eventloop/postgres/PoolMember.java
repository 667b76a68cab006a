package io.eventloop.postgres;

import io.eventloop.TimerHandle;

/** One connection of a {@link PgPool}, idle or not. Loop thread only. */
final class PoolMember {
    final PgProtocol protocol;
    /** The pool's generation when it was opened: {@link PgPool#expireConnections()} moves the pool's on. */
    final int generation;
    /** Loop time when it last became idle. */
    long idleSince;
    /** Closes it once idle too long, while the pool is above its minimum. */
    TimerHandle expiry;

    PoolMember(PgProtocol protocol, int generation) {
        this.protocol = protocol;
        this.generation = generation;
    }
}
