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
 */
public class TaskGroupException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final List<Throwable> exceptions;

    /**
     * @param message what failed; the count of failures is appended
     * @param exceptions the failures, at least one
     * @throws IllegalArgumentException if {@code exceptions} is empty
     */
    public TaskGroupException(String message, List<? extends Throwable> exceptions) {
        super(message + " (" + exceptions.size() + (exceptions.size() == 1 ? " sub-exception)" : " sub-exceptions)"));
        if (exceptions.isEmpty()) {
            throw new IllegalArgumentException("a TaskGroupException needs at least one exception");
        }
        this.exceptions = List.copyOf(exceptions);
        for (Throwable t : this.exceptions) {
            addSuppressed(t);
        }
    }

    /** The failures, in the order they happened; unmodifiable. */
    public List<Throwable> exceptions() {
        return exceptions;
    }
}
