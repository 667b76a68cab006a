package io.eventloop.postgres;

import java.io.IOException;

/**
 * A query got no answer because of the connection: it could not be made, it was lost or closed
 * while the query waited, or the server broke the protocol (a malformed message, a message over
 * {@link PgOptions#maxMessageSize(int)}). The message names the server and what happened.
 *
 * <p>Checked, as a network failure is in Java; compared with asyncpg, its
 * {@code ConnectionDoesNotExistError} and {@code InternalClientError}, and the {@code OSError}s
 * of connecting.
 */
public final class PgConnectionException extends IOException {
    private static final long serialVersionUID = 1L;

    /**
     * An exception with a message naming the server and what happened.
     *
     * @param message the message
     */
    public PgConnectionException(String message) {
        super(message);
    }

    /**
     * An exception with a message naming the server and what happened, and the cause.
     *
     * @param message the message
     * @param cause what failed underneath
     */
    public PgConnectionException(String message, Throwable cause) {
        super(message, cause);
    }
}
