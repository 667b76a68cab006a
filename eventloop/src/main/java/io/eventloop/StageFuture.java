package io.eventloop;

import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/**
 * The future {@link Future#from(CompletionStage)} returns: a {@link CompletionStage} that other
 * threads complete, followed on the loop. asyncio's {@code wrap_future}, which chains a
 * {@code concurrent.futures.Future} to a loop future through {@code call_soon_threadsafe}
 * ({@code futures._chain_future}); {@link LoopCompletableFuture} is the same bridge the other
 * way.
 *
 * <p>Its state is {@link Future}'s; two edges cross threads:
 * <pre>
 *   stage completes (any thread) ──callSoonThreadsafe──&gt; finish on the loop (at once if on it)
 *   cancel() on the loop ──&gt; cancelled here at once, then stage.cancel(false)
 * </pre>
 * The stage's own callback is the only thing that runs off the loop thread, and it touches
 * nothing but the door: no field here is written from another thread.
 */
final class StageFuture<T> extends Future<T> {
    /** What this follows; cancelled when this is. Read-only after construction. */
    private final CompletionStage<? extends T> stage;

    private StageFuture(EventLoop loop, CompletionStage<? extends T> stage) {
        super(loop);
        this.stage = stage;
        if (loop.debug) {
            site = Diagnostics.creationSite();
        }
    }

    /** {@link Future#from}: a future on {@code loop} that follows {@code stage}. Loop thread. */
    static <T> Future<T> follow(EventLoop loop, CompletionStage<? extends T> stage) {
        StageFuture<T> f = new StageFuture<>(loop, stage);
        // Registered after construction: a complete stage calls back inline, right here.
        stage.whenComplete(f::stageDone);
        return f;
    }

    /**
     * The stage is complete; called on the thread that completed it, or on the loop thread when
     * it already was. Only the loop thread may finish a future: another thread goes through the
     * door, and a stage that completes after the loop closed is dropped, as asyncio drops it
     * ({@code _call_set_state} returns when the loop is closed).
     */
    private void stageDone(T value, Throwable error) {
        if (!loop.inLoopThread()) {
            loop.callSoonThreadsafeIfOpen(() -> settle(value, error));
        } else if (!loop.isClosed()) {
            settle(value, error);
        }
    }

    /** Takes the stage's outcome, unless this future is already done (cancelled first). Loop thread. */
    private void settle(T value, Throwable error) {
        if (error == null) {
            finish(SUCCEEDED, value);
            return;
        }
        // A stage that depends on a failed one reports the failure wrapped; the wrapper says
        // nothing about what went wrong, so the loop sees what CompletableFuture.get's cause would.
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        finish(cause instanceof CancellationException ? CANCELLED : FAILED, cause);
    }

    /**
     * Cancels this future at once, then the stage (a no-op if it is already complete); the
     * stage's callback then finds this done. Never interrupts: a {@code CompletableFuture}
     * ignores the flag, and what else sits behind a stage is unknown.
     */
    @Override
    public boolean cancel(String message) {
        if (!super.cancel(message)) {
            return false;
        }
        try {
            if (stage instanceof java.util.concurrent.Future<?> f) {
                f.cancel(false);
            } else {
                stage.toCompletableFuture().cancel(false);
            }
        } catch (UnsupportedOperationException e) {
            // A stage that refuses (a minimalCompletionStage() does) runs on; its outcome will
            // find this done and be dropped, as asyncio drops a result that arrives after a cancel.
        }
        return true;
    }

    @Override
    public String toString() {
        return "Future[from " + stage.getClass().getSimpleName() + ", " + describeState()
                + (site != null ? ", created at " + site : "") + "]";
    }
}
