package io.eventloop;


/**
 * The future {@link Async#using} returns: asyncio's {@code async with}. It waits on one future at a
 * time, in three phases:
 * <pre>
 *   OPENING ──resource──&gt; BODY ──any outcome──&gt; CLOSING ──&gt; done
 *      │                                          ▲
 *      ├── open failed or was cancelled ──────────┼──────────&gt; done (nothing to close)
 *      └── opened, but cancelled before the body ─┘
 * </pre>
 * It is a {@link Waiting}, so a cancel reaches whatever it waits on now (the open, the body, or
 * the close) by the library's one cancellation rule.
 */
final class Using<R extends AsyncCloseable, T> extends Waiting<T> implements Runnable {
    private static final byte OPENING = 0;
    private static final byte BODY = 1;
    private static final byte CLOSING = 2;

    /** OPENING, BODY or CLOSING. Loop thread only. */
    private byte phase;
    /** The body, until it is called. */
    private ThrowingFunction<? super R, ? extends Future<T>> body;
    /** The resource once open; null before, or if opening failed. */
    private R resource;
    /** The body's outcome, kept while closing. */
    private byte bodyState;
    private Object bodyResult;
    private Future<?> bodySource;

    private Using(EventLoop loop, ThrowingFunction<? super R, ? extends Future<T>> body) {
        super(loop, loop.currentTask);
        this.body = body;
    }

    /** {@code async with await open() as r: body(r)}, given the open's future. */
    static <R extends AsyncCloseable, T> Future<T> open(EventLoop loop, Future<? extends R> opening,
            ThrowingFunction<? super R, ? extends Future<T>> body) {
        Using<R, T> u = new Using<>(loop, body);
        u.phase = OPENING;
        u.await(opening);
        return u;
    }

    /** {@code async with r: body(r)} for a resource that is already open. */
    static <R extends AsyncCloseable, T> Future<T> with(EventLoop loop, R resource,
            ThrowingFunction<? super R, ? extends Future<T>> body) {
        Using<R, T> u = new Using<>(loop, body);
        u.runBody(resource);
        return u;
    }

    @Override
    Runnable waker() {
        return this;
    }

    @Override
    public void run() {
        wake();
    }

    @Override
    @SuppressWarnings("unchecked")
    void resume(byte state, Object result) {
        switch (phase) {
            case OPENING:
                if (state == SUCCEEDED) {
                    if (result == null) {
                        failStep(new NullPointerException("using: the open future completed with null"));
                    } else {
                        runBody((R) result);
                    }
                    return;
                }
                // Cancelled after the open had already produced the resource (rule 2 of Waiting:
                // the value was there, but this future was cancelled before it resumed). The
                // resource exists, so it is closed before ending cancelled: no leak.
                Future<?> opened = resumedFrom();
                if (opened != null && opened.state() == SUCCEEDED && opened.rawResult() != null) {
                    resource = (R) opened.rawResult();
                    bodyState = state;
                    bodyResult = result;
                    startClose();
                } else {
                    adopt(state, result);
                }
                return;
            case BODY:
                bodyState = state;
                bodyResult = result;
                bodySource = resumedFrom();
                startClose();
                return;
            default: // CLOSING
                finishAfterClose(state, result);
        }
    }

    private void runBody(R r) {
        resource = r;
        phase = BODY;
        ThrowingFunction<? super R, ? extends Future<T>> b = body;
        body = null;
        Future<T> running;
        try {
            running = b.apply(r);
            if (running == null) {
                throw new NullPointerException("using: the body returned null instead of a Future");
            }
        } catch (Error e) {
            stepThrew(e);
            return;
        } catch (Throwable t) {
            bodyState = FAILED;
            bodyResult = t;
            startClose();
            return;
        }
        await(running);
    }

    private void startClose() {
        phase = CLOSING;
        Future<Void> closing;
        try {
            closing = resource.closeAsync();
            if (closing == null) {
                throw new NullPointerException(resource + ".closeAsync() returned null instead of a Future");
            }
        } catch (Error e) {
            stepThrew(e);
            return;
        } catch (Throwable t) {
            finishAfterClose(FAILED, t);
            return;
        }
        await(closing);
    }

    /**
     * The body's outcome, unless the close failed: then the close failure, or, if the body failed
     * too (a cancellation counts), the body's failure with the close failure suppressed.
     */
    private void finishAfterClose(byte closeState, Object closeResult) {
        if (closeState == SUCCEEDED) {
            adopt(bodyState, bodyResult, bodySource);
            return;
        }
        Throwable closeError = (Throwable) closeResult;
        if (bodyState == SUCCEEDED) {
            failStep(closeError);
            return;
        }
        Throwable bodyError = (Throwable) bodyResult;
        if (bodyError != closeError) {
            bodyError.addSuppressed(closeError);
        }
        failStep(bodyError);
    }

    @Override
    public String toString() {
        String p = switch (phase) {
            case OPENING -> "opening";
            case BODY -> "body";
            default -> "closing";
        };
        return "Future[using " + (resource != null ? resource : "") + " (" + p + "), " + describeState() + "]";
    }
}
