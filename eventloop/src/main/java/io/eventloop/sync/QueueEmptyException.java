package io.eventloop.sync;

import java.util.NoSuchElementException;

/**
 * {@link AsyncQueue#getNowait} on an empty queue: asyncio's {@code QueueEmpty}. A
 * {@link NoSuchElementException}, as {@code java.util.Queue.remove} throws on an empty queue.
 */
public class QueueEmptyException extends NoSuchElementException {
    private static final long serialVersionUID = 1L;

    /**
     * An exception for a get that found the queue empty.
     *
     * @param message which queue
     */
    public QueueEmptyException(String message) {
        super(message);
    }
}
