package io.eventloop;

import java.util.List;

/**
 * How a {@link TaskGroup} fails: every real failure of its children and its body, in the order
 * they happened. asyncio raises an {@code ExceptionGroup} ("unhandled errors in a TaskGroup");
 * Java has no exception groups, so the failures are listed by {@link #exceptions()} and also
 * attached with {@link #addSuppressed}, which stack traces print.
 *
 * <p>Cancellations are never listed: a child cancelled because a sibling failed is a
 * consequence, not a failure. A failed nested group appears as its own
 * {@code TaskGroupException} inside the list.
 *
 * <p>The message names the count, the first failure and, for a group's failure, where it came
 * from, so that a log line alone says what went wrong:
 * {@code unhandled errors in a TaskGroup (2 sub-exceptions), the first from task 'fetch b':
 * java.net.ConnectException: connect to example.org:80 (93.184.215.14) failed: Connection refused}.
 * asyncio's {@code ExceptionGroup} message has only the count; its traceback prints each one.
 */
public class TaskGroupException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** The failures, in the order they happened; unmodifiable. */
    private final List<Throwable> exceptions;

    /**
     * A group's failure with every failure of its children and body.
     *
     * @param message what failed; the count of failures and the first of them are appended
     * @param exceptions the failures, at least one
     * @throws IllegalArgumentException if {@code exceptions} is empty
     */
    public TaskGroupException(String message, List<? extends Throwable> exceptions) {
        this(message, exceptions, null);
    }

    /** {@code firstFrom}: where the first failure came from ("task 'fetch b'"), or null. */
    TaskGroupException(String message, List<? extends Throwable> exceptions, String firstFrom) {
        super(describe(message, exceptions, firstFrom));
        this.exceptions = List.copyOf(exceptions);
        for (Throwable t : this.exceptions) {
            addSuppressed(t);
        }
    }

    private static String describe(String message, List<? extends Throwable> exceptions, String firstFrom) {
        int n = exceptions.size();
        if (n == 0) {
            throw new IllegalArgumentException("a TaskGroupException needs at least one exception");
        }
        String first = n == 1 ? "" : ", the first";
        String from = firstFrom == null ? "" : (n == 1 ? ", from " : " from ") + firstFrom;
        return message + " (" + n + (n == 1 ? " sub-exception)" : " sub-exceptions)") + first + from + ": "
                + exceptions.get(0);
    }

    /**
     * The failures, in the order they happened; unmodifiable.
     *
     * @return the list of failures
     */
    public List<Throwable> exceptions() {
        return exceptions;
    }
}
