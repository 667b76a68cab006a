package io.eventloop.redis;

/**
 * {@code EXEC} did nothing because a key under {@code WATCH} changed after it was watched: the
 * transaction's future, and the future of each command queued in it, fail with this. The usual
 * answer is to read again and retry.
 *
 * <p>Compared with redis-py: its {@code WatchError}, which {@code transaction()} catches to retry.
 */
public final class RedisWatchException extends RedisException {
    private static final long serialVersionUID = 1L;

    /** The exception {@code EXEC} fails with when it answers null. */
    public RedisWatchException() {
        super("EXEC", "EXEC aborted: a WATCHed key changed after WATCH, so no queued command ran");
    }
}
