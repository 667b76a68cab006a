package io.eventloop;

/**
 * What an {@link ExceptionHandler} is told: asyncio's {@code context} dict as a record.
 *
 * @param message what happened, e.g. "Exception in callback Handle[...]"
 * @param exception the exception, or {@code null} when there is none
 *                  (a task still pending at close, say)
 * @param handle the callback handle that threw, or {@code null}
 * @param future the future concerned, or {@code null}
 * @param task the task concerned (the future itself when it is a task, or the task
 *             whose step was running), or {@code null}
 */
public record ErrorContext(String message, Throwable exception, Handle handle, Future<?> future, Task<?> task) {

    /**
     * A context with only a message and an exception.
     *
     * @param message what happened
     * @param exception the exception behind it, or null
     * @return a context with no handle, future or task
     */
    public static ErrorContext of(String message, Throwable exception) {
        return new ErrorContext(message, exception, null, null, null);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(message);
        if (handle != null) {
            sb.append(" handle=").append(handle);
        }
        if (task != null) {
            sb.append(" task=").append(task);
        } else if (future != null) {
            sb.append(" future=").append(future);
        }
        if (exception != null) {
            sb.append(" exception=").append(exception);
        }
        return sb.toString();
    }
}
