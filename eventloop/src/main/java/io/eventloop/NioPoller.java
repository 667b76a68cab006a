package io.eventloop;

import io.eventloop.internal.IoHandler;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/**
 * The production {@link Poller}: a {@link Selector}, with Netty's guard against the selector
 * that spins.
 *
 * <p><b>Spin guard.</b> Some JDK and kernel combinations have made a blocking {@code select}
 * return at once with nothing selected, forever (the epoll bug, JDK-6670302, netty/netty#327):
 * the loop then burns a core doing nothing. A blocking select that returns 0 keys before its
 * timeout, without a {@link #wakeup()} and without an interrupt, is premature; after
 * {@value #DEFAULT_SPIN_THRESHOLD} premature returns in a row (Netty's
 * {@code io.netty.selectorAutoRebuildThreshold}; here {@code -Deventloop.selectorAutoRebuildThreshold},
 * 0 disables) the selector is rebuilt: a fresh one is opened, every valid key's channel is
 * registered with it with the same interest set and attachment, and the old one is closed. An
 * {@link IOException} from select also rebuilds it (then propagates to the loop, which reports
 * it). An interrupt of the loop thread is not counted: the loop clears it after the select.
 *
 * <p><b>Descriptor limit.</b> The first poller of the JVM has the JDK initialise its socket I/O
 * classes ({@link NioWarmUp}): one of them opens a descriptor in its initialiser, and failing
 * that at the limit would end the loop for good.
 *
 * <p>Loop thread only, except {@link #wakeup()}.
 */
final class NioPoller implements Poller {
    static final int DEFAULT_SPIN_THRESHOLD = 512;
    private static final int SPIN_THRESHOLD = Integer.getInteger("eventloop.selectorAutoRebuildThreshold",
            DEFAULT_SPIN_THRESHOLD);

    /** How a blocking select is made; a seam so tests can act out a spinning or failing selector. */
    interface SelectCall {
        int select(Selector selector, Consumer<SelectionKey> onReady, long timeoutMillis) throws IOException;
    }

    /** The selector; replaced by {@link #rebuild}. Written by the loop thread, read by any (wakeup). */
    private volatile Selector selector;
    private final SelectCall selectCall;
    private final int spinThreshold;
    /** Set by {@link #wakeup()}, cleared after each blocking select. Any thread. */
    private final AtomicBoolean wakeupRequested = new AtomicBoolean();
    /** Premature returns of a blocking select in a row. Loop thread only. */
    private int prematureReturns;
    /** Calls to {@link Selector#wakeup()}; read by benchmarks to show one wake-up per sleep. */
    final LongAdder wakeups = new LongAdder();
    /** Blocking selects made, and selector rebuilds; for tests. Loop thread only. */
    long blockingSelects;
    long rebuilds;

    NioPoller() {
        this((s, onReady, timeout) -> s.select(onReady, timeout), SPIN_THRESHOLD);
    }

    /** The seam for the spin-guard tests. */
    NioPoller(SelectCall selectCall, int spinThreshold) {
        this.selectCall = selectCall;
        this.spinThreshold = spinThreshold;
        NioWarmUp.ensure(); // before the process can run out of descriptors: see NioWarmUp
        this.selector = open();
    }

    private static Selector open() {
        try {
            return Selector.open();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open a Selector", e);
        }
    }

    @Override
    public int select(long timeoutMillis, Consumer<SelectionKey> onReady) throws IOException {
        Selector s = selector;
        if (timeoutMillis == 0) {
            // Nothing registered means nothing can be ready: skip the selectNow() system call.
            // Chained callSoon dispatch goes through runOnce once per hop, so this matters
            // there (see docs/benchmarks.md, "callSoon chained").
            if (s.keys().isEmpty()) {
                return 0;
            }
            return s.selectNow(onReady);
        }
        blockingSelects++;
        long start = System.nanoTime();
        int n;
        try {
            // select(0) would block forever; -1 is our "no timeout" and maps to it.
            n = selectCall.select(s, onReady, timeoutMillis < 0 ? 0 : timeoutMillis);
        } catch (IOException e) {
            rebuild("select failed: " + e);
            throw e;
        }
        boolean woken = wakeupRequested.getAndSet(false);
        if (n > 0 || woken || Thread.currentThread().isInterrupted()
                || (timeoutMillis > 0 && System.nanoTime() - start >= timeoutMillis * 1_000_000L)) {
            prematureReturns = 0;
        } else if (++prematureReturns >= spinThreshold && spinThreshold > 0) {
            rebuild(prematureReturns + " premature returns of select in a row");
        }
        return n;
    }

    /**
     * Moves every valid key to a fresh selector and closes the old one (Netty's
     * {@code rebuildSelector}). A channel closed meanwhile is simply not moved.
     */
    void rebuild(String reason) {
        prematureReturns = 0;
        Selector old = selector;
        Selector fresh;
        try {
            fresh = Selector.open();
        } catch (IOException e) {
            LoopLog.warn(NioPoller.class, "cannot rebuild the selector (" + reason + "): opening a new one failed", e);
            return;
        }
        int moved = 0;
        for (SelectionKey key : old.keys()) {
            SelectableChannel channel = key.channel();
            try {
                if (!key.isValid() || channel.keyFor(fresh) != null) {
                    continue;
                }
                int ops = key.interestOps();
                Object attachment = key.attachment();
                key.cancel();
                SelectionKey moved1 = channel.register(fresh, ops, attachment);
                if (attachment instanceof IoHandler handler) {
                    handler.setKey(moved1);
                }
                moved++;
            } catch (CancelledKeyException | ClosedChannelException e) {
                // closed while we moved it: nothing to carry over
            }
        }
        selector = fresh;
        rebuilds++;
        try {
            old.close();
        } catch (IOException e) {
            LoopLog.warn(NioPoller.class, "closing the old selector failed", e);
        }
        // A thread may have woken the old selector just before the swap: make sure the next
        // select does not sleep through that wakeup.
        wakeupRequested.set(true);
        fresh.wakeup();
        LoopLog.warn(NioPoller.class, "rebuilt the selector (" + reason + "); " + moved + " channel(s) moved", null);
    }

    @Override
    public void wakeup() {
        wakeups.increment();
        wakeupRequested.set(true);
        selector.wakeup();
    }

    @Override
    public SelectionKey register(SelectableChannel channel, int ops, Object attachment)
            throws ClosedChannelException {
        return channel.register(selector, ops, attachment);
    }

    @Override
    public SelectionKey keyFor(SelectableChannel channel) {
        return channel.keyFor(selector);
    }

    @Override
    public int registeredCount() {
        return selector.keys().size();
    }

    /** The selector in use now; for tests. */
    Selector selector() {
        return selector;
    }

    @Override
    public void close() throws IOException {
        selector.close();
    }
}
