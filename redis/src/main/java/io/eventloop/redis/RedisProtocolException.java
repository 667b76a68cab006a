package io.eventloop.redis;

import java.io.IOException;

/**
 * The server sent something that is not RESP, or a reply beyond one of the parser's limits
 * ({@link RedisOptions#maxBulkLength(int)}, {@link RedisOptions#maxDepth(int)},
 * {@link RedisOptions#maxArrayLength(int)}). The connection cannot be trusted after it, so it is
 * closed; the commands that were waiting fail with a {@link RedisConnectionException} whose cause
 * is this exception.
 *
 * <p>Compared with redis-py: its {@code InvalidResponse} (and the {@code DataError} its parser
 * raises for a reply too large); there are no limits in redis-py, hiredis has them.
 */
public final class RedisProtocolException extends IOException {
    private static final long serialVersionUID = 1L;

    /**
     * An exception with a message that says what was wrong and, for a limit, which option raises it.
     *
     * @param message what the parser found, such as an unknown type byte or a bulk length over
     *     {@link RedisOptions#maxBulkLength(int)}, naming the option to raise for a limit
     */
    public RedisProtocolException(String message) {
        super(message);
    }
}
