package io.eventloop;

import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * Blocking file work on the loop's default executor, for {@link AsyncFiles} and {@link AsyncFile}.
 *
 * <p>Unlike a bare {@link EventLoop#runInExecutor}, cancelling does not interrupt work that has
 * started: an interrupted {@code FileChannel} closes itself (JDK {@code AbstractInterruptibleChannel}),
 * which would turn a cancelled read into a closed file. So: cancelled before the work starts, it
 * never starts; cancelled after, the future ends cancelled at once, the work runs to its end on
 * its thread, and a value it still produces is handed to {@code dropped} on the loop (an opened
 * channel is closed there instead of leaking).
 *
 * <p>The work runs holding {@code lock}, and claims its start under it, so that work on one file
 * runs one piece at a time and a later piece cannot overtake one that has claimed its start.
 */
final class Offload<V> extends Future<V> {
    /** Set by whichever comes first: the work starting (executor thread) or a cancel (loop). */
    private final AtomicBoolean claimed = new AtomicBoolean();
    private final Consumer<? super V> dropped;

    private Offload(EventLoop loop, Consumer<? super V> dropped) {
        super(loop);
        this.dropped = dropped;
    }

    /**
     * Starts {@code work} on the default executor of {@code loop}.
     *
     * @param dropped what to do on the loop with a value that arrives after a cancel; may be null
     */
    static <V> Future<V> start(EventLoop loop, Object lock, Callable<V> work, Consumer<? super V> dropped) {
        loop.checkThread("AsyncFiles");
        Offload<V> out = new Offload<>(loop, dropped);
        Future<V> inner = loop.runInExecutor(null, () -> {
            synchronized (lock) {
                if (!out.claimed.compareAndSet(false, true)) {
                    return null; // cancelled before it started: never starts
                }
                return work.call();
            }
        });
        inner.addListener(() -> out.settle(inner));
        return out;
    }

    /** The work ended (or was skipped); on the loop thread. */
    @SuppressWarnings("unchecked")
    private void settle(Future<V> inner) {
        if (!isDone()) {
            finish(inner.state(), inner.rawResult());
        } else if (inner.state() == SUCCEEDED && inner.rawResult() != null && dropped != null) {
            dropped.accept((V) inner.rawResult());
        }
    }

    @Override
    public boolean cancel(String message) {
        loop.checkThread("Future.cancel");
        if (isDone()) {
            return false;
        }
        claimed.compareAndSet(false, true);
        return finish(CANCELLED, new CancellationException(message));
    }
}
