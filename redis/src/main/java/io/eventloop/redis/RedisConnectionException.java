package io.eventloop.redis;

import java.io.IOException;

/**
 * The command did not get a reply because of the connection, not the server: the connection was
 * lost (its message names the server and says what happened), the client is reconnecting or
 * closed, or the server broke the protocol (the cause is then a {@link RedisProtocolException}).
 * Whether the command ran on the server is unknown, as with any lost connection.
 *
 * <p>Compared with redis-py: its {@code redis.exceptions.ConnectionError}. An
 * {@link IOException}, so {@code recover(IOException.class, ...)} catches it with the other
 * network failures.
 */
public final class RedisConnectionException extends IOException {
    private static final long serialVersionUID = 1L;

    /** An exception with a message naming the server and what happened. */
    public RedisConnectionException(String message) {
        super(message);
    }

    /** An exception with a message naming the server and what happened, and the cause. */
    public RedisConnectionException(String message, Throwable cause) {
        super(message, cause);
    }
}
