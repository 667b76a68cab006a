package io.eventloop.sync;

/**
 * A put on a queue that was {@linkplain AsyncQueue#shutdown shut down}, or a get on one that is
 * shut down and has nothing left to give: asyncio's {@code QueueShutDown} (Python 3.13). Also
 * how the puts and gets waiting at the moment of the shutdown fail.
 */
public class QueueShutDownException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    /**
     * An exception for an operation refused by a shut-down queue.
     *
     * @param message which queue, and which operation
     */
    public QueueShutDownException(String message) {
        super(message);
    }
}
