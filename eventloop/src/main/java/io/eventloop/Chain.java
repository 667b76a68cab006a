package io.eventloop;

import java.util.concurrent.CancellationException;
import java.util.function.Supplier;

/**
 * The future {@link Future#map}, {@link Future#then}, {@link Future#recover},
 * {@link Future#exceptionally} and {@link Future#ensure} return. It waits on its source, runs its
 * step once, and, for the kinds whose step returns a future, waits on that one too:
 * <pre>
 *   source done ──step──&gt; (map, exceptionally)      value       ──&gt; done
 *                       └─&gt; (then, recover, ensure) next future ──wait──&gt; done
 * </pre>
 * One class with a kind field rather than five subclasses: the five differ in one switch.
 */
final class Chain<S, T> extends Waiting<T> implements Runnable {
    static final byte MAP = 0;
    static final byte THEN = 1;
    static final byte RECOVER = 2;
    static final byte ENSURE = 3;
    static final byte EXCEPTIONALLY = 4;

    private final byte kind;
    /** map/then: applied to the value; recover/exceptionally: applied to the failure. Null once used. */
    private ThrowingFunction<Object, Object> fn;
    /** recover/exceptionally: the failure type caught. */
    private final Class<?> type;
    /** ensure: a Runnable or a Supplier of the cleanup future. Null once used. */
    private Object cleanup;
    /** Whether the step ran and this now waits on the future the step returned. */
    private boolean second;
    /** ensure: the source's outcome, restored once the cleanup future succeeds. */
    private byte savedState;
    private Object savedResult;
    private Future<?> savedSource;

    @SuppressWarnings("unchecked")
    Chain(Future<S> source, byte kind, ThrowingFunction<?, ?> fn, Class<?> type, Object cleanup) {
        super(source.loop, source.loop.currentTask);
        this.kind = kind;
        this.fn = (ThrowingFunction<Object, Object>) fn;
        this.type = type;
        this.cleanup = cleanup;
        await(source);
    }

    @Override
    Runnable waker() {
        return this;
    }

    /** The loop calls this when the awaited future is done. */
    @Override
    public void run() {
        wake();
    }

    @Override
    @SuppressWarnings("unchecked")
    void resume(byte state, Object result) {
        if (second) {
            if (kind == ENSURE && state == SUCCEEDED) {
                adopt(savedState, savedResult, savedSource);
            } else {
                adopt(state, result);
            }
            return;
        }
        ThrowingFunction<Object, Object> f = fn;
        fn = null;
        try {
            switch (kind) {
                case MAP:
                    if (state == SUCCEEDED) {
                        succeedStep((T) f.apply(result));
                    } else {
                        adopt(state, result);
                    }
                    break;
                case THEN:
                    if (state == SUCCEEDED) {
                        awaitNext((Future<?>) f.apply(result));
                    } else {
                        adopt(state, result);
                    }
                    break;
                case RECOVER:
                    if (state != SUCCEEDED && catches(type, (Throwable) result)) {
                        awaitNext((Future<?>) f.apply(result));
                    } else {
                        adopt(state, result);
                    }
                    break;
                case EXCEPTIONALLY:
                    if (state != SUCCEEDED && catches(type, (Throwable) result)) {
                        succeedStep((T) f.apply(result));
                    } else {
                        adopt(state, result);
                    }
                    break;
                default: // ENSURE
                    Object c = cleanup;
                    cleanup = null;
                    if (c instanceof Runnable r) {
                        r.run();
                        adopt(state, result);
                    } else {
                        savedState = state;
                        savedResult = result;
                        savedSource = resumedFrom();
                        awaitNext(((Supplier<? extends Future<?>>) c).get());
                    }
            }
        } catch (Throwable t) {
            stepThrew(t);
        }
    }

    private void awaitNext(Future<?> next) {
        second = true;
        awaitFromStep(next); // a step that returned a done future ends now, not one iteration later
    }

    /**
     * Whether {@code recover(type, ...)} or {@code exceptionally(type, ...)} handles {@code error}.
     * Cancellation is handled only when the type names it (CancellationException or a supertype
     * of it that is asked for as such): a broad {@code Exception} or {@code Throwable} does not
     * swallow a cancel by accident.
     */
    static boolean catches(Class<?> type, Throwable error) {
        if (!type.isInstance(error)) {
            return false;
        }
        return !(error instanceof CancellationException) || CancellationException.class.isAssignableFrom(type);
    }

    @Override
    public String toString() {
        String k = switch (kind) {
            case MAP -> "map";
            case THEN -> "then";
            case RECOVER -> "recover";
            case EXCEPTIONALLY -> "exceptionally";
            default -> "ensure";
        };
        return "Future[" + k + ", " + describeState() + (site != null ? ", created at " + site : "") + "]";
    }
}
