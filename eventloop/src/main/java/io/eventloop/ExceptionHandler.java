package io.eventloop;

/**
 * Receives errors that have nowhere else to go: a callback that threw, a task whose failure
 * nobody retrieved, a task still pending when its loop closed.
 *
 * <p>Like asyncio's {@code loop.set_exception_handler(handler)}: the handler runs on the loop
 * thread, and if it throws, the loop logs "Unhandled error in exception handler" and goes on.
 * Install one with {@link EventLoop#setExceptionHandler}; the default logs through SLF4J, or prints
 * to {@code System.err} when no SLF4J provider is bound.
 */
@FunctionalInterface
public interface ExceptionHandler {
    /**
     * Handles one error.
     *
     * @param loop the loop that saw it
     * @param context what happened: a message, the exception, and what it came from
     */
    void handle(EventLoop loop, ErrorContext context);
}
