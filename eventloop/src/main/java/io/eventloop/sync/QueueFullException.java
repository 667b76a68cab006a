package io.eventloop.sync;

/**
 * {@link AsyncQueue#putNowait} on a full queue: asyncio's {@code QueueFull}. An
 * {@link IllegalStateException}, as {@code java.util.Queue.add} throws on a full queue.
 */
public class QueueFullException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    /**
     * An exception for a put that found the queue full.
     *
     * @param message which queue, and how full
     */
    public QueueFullException(String message) {
        super(message);
    }
}
