package io.eventloop.internal;

import java.nio.channels.SelectionKey;

/**
 * The one object that handles readiness of a channel driven by {@code io.eventloop.net} (a
 * transport, a listening socket, a connect in progress): the attachment of the channel's
 * {@link SelectionKey}.
 *
 * <p>When a select finds the key ready, the loop queues this handler itself (no
 * {@link io.eventloop.Handle} is allocated) and {@link #run()} runs in the same iteration's
 * callback phase, where {@code key().readyOps()} still says what was found ready. The handler
 * owns its key's interest set and changes it only when what it waits for changes, so the steady
 * path of a request/response exchange makes no {@code epoll_ctl} call.
 *
 * <p>Compared with {@link io.eventloop.EventLoop#addReader}: one handler per channel for both
 * directions (read handled before write, as STYLE's pitfall list asks), and no allocation per
 * interest change. Not API: public only because Java packages cannot share package-private types.
 *
 * <p>Loop thread only.
 */
public abstract class IoHandler implements Runnable {
    /** This handler's key; replaced when the loop rebuilds its selector. Loop thread only. */
    private SelectionKey key;

    /** For subclasses. */
    protected IoHandler() {
    }

    /** The key this handler is attached to, or {@code null} before registration. */
    public final SelectionKey key() {
        return key;
    }

    /**
     * Records the key; the loop calls this when it registers the channel and again when it moves
     * the channel to a rebuilt selector.
     */
    public final void setKey(SelectionKey key) {
        this.key = key;
    }

    /** Handles the readiness in {@code key().readyOps()}; the key may have been cancelled since. */
    @Override
    public abstract void run();
}
