package io.eventloop.examples.http;

import java.net.ProtocolException;

/**
 * A message that breaks HTTP/1.1's framing or a limit, with the status a server answers it with
 * (400, 408, 413, 414, 431, 501, 505). A client reads the same exception as a plain
 * {@link ProtocolException}.
 */
final class BadMessageException extends ProtocolException {
    private static final long serialVersionUID = 1L;

    private final int status;

    BadMessageException(int status, String message) {
        super(message);
        this.status = status;
    }

    /** The status to refuse the message with. */
    int status() {
        return status;
    }
}
