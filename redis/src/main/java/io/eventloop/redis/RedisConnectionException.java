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

    /**
     * An exception with a message naming the server and what happened.
     *
     * @param message what was lost or refused, naming the command and the server, such as
     *     {@code "GET: the client of 127.0.0.1:6379 is closed"}
     */
    public RedisConnectionException(String message) {
        super(message);
    }

    /**
     * An exception with a message naming the server and what happened, and the cause.
     *
     * @param message what was lost or refused, naming the server
     * @param cause the underlying failure: the {@link IOException} of the socket or TLS
     *     handshake, a {@link RedisProtocolException}, or the loss a reconnecting client is
     *     recovering from; may be null
     */
    public RedisConnectionException(String message, Throwable cause) {
        super(message, cause);
    }
}
