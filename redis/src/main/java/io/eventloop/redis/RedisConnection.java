package io.eventloop.redis;

import io.eventloop.Future;

/**
 * A connection of the client's pool, lent to one body by {@link RedisClient#withConnection}: for
 * what needs a connection to itself, such as {@code WATCH} ... {@code MULTI} ... {@code EXEC}
 * (optimistic locking), where another caller's {@code EXEC} on a shared connection would end the
 * watch. Every command here runs on that connection, blocking ones included, in order.
 *
 * <pre>{@code
 * client.withConnection(c -> c.command("WATCH", "balance")
 *         .then(ok -> c.get("balance"))
 *         .then(balance -> {
 *             Transaction tx = c.multi();
 *             tx.set("balance", String.valueOf(Long.parseLong(balance) - 10));
 *             return tx.exec();            // fails with RedisWatchException if balance changed
 *         }));
 * }</pre>
 *
 * <p>Valid only until the body's future completes; after that each command throws
 * {@link IllegalStateException}. Compared with redis-py: {@code async with r.pipeline() as pipe:
 * await pipe.watch(...)}, which also pins one connection for the block.
 */
public final class RedisConnection extends RedisCommands {
    private final RedisProtocol protocol;
    private final long timeoutNanos;
    private boolean released;

    RedisConnection(RedisProtocol protocol, long timeoutNanos) {
        this.protocol = protocol;
        this.timeoutNanos = timeoutNanos;
    }

    @Override
    Future<Object> send(String command, byte[][] args, Resp.Mode mode) {
        if (released) {
            throw new IllegalStateException(command + " on a connection given back to the pool: use it only inside"
                    + " the body of withConnection, before its future completes");
        }
        long block = Blocking.blockMillis(command, args);
        return protocol.send(command, args, mode, RedisClient.timeoutFor(block, timeoutNanos));
    }

    /**
     * A {@code MULTI} / {@code EXEC} block on this connection, so that it sees the keys this
     * connection {@code WATCH}es: redis-py's {@code pipe.multi()} after {@code pipe.watch(...)}.
     *
     * @return an empty transaction; nothing is sent until {@link Transaction#exec()}, which fails
     *     with a {@link RedisWatchException} if a watched key changed since {@code WATCH}
     */
    public Transaction multi() {
        return new Transaction(protocol.loop, () -> protocol, timeoutNanos);
    }

    void release() {
        released = true;
    }

    @Override
    public String toString() {
        return "RedisConnection[" + protocol.server + (released ? ", released" : "") + "]";
    }
}
