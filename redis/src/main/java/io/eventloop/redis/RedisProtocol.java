package io.eventloop.redis;

import io.eventloop.EventLoop;
import io.eventloop.Future;
import io.eventloop.TimerHandle;
import io.eventloop.net.Protocol;
import io.eventloop.net.Transport;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Set;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One connection to a Redis server, as a {@link Protocol}: the write batch, the queue of commands
 * waiting for their replies, the parser, the timeout sweep. {@link RedisClient} owns one for its
 * commands and opens more for blocking commands and subscriptions.
 *
 * <p><b>Automatic pipelining.</b> {@link #send} encodes the command into this iteration's
 * {@link CommandBuffer} and appends its slot to the queue; the first command of an iteration
 * schedules {@link #flush()} with {@code callSoon}, which runs on the next iteration and hands the
 * whole batch to the transport in one {@code write}. Ten thousand {@code get}s issued by one
 * callback are one write (usually one {@code write(2)}) and their replies come back in the same
 * order. The price is one iteration of latency for a lone command; what it buys is that nobody
 * has to ask for a pipeline. (The rejected alternative, writing each command at once, costs one
 * system call per command: what redis-py pays without {@code pipeline()}.)
 *
 * <p><b>Replies are positional.</b> Redis answers in order, so each reply completes the oldest
 * slot. A slot whose future is already done — cancelled by its caller, or timed out — stays in
 * the queue and its reply, when it comes, is dropped: the queue never loses its place.
 *
 * <p><b>Timeouts: one timer per connection, not per command.</b> Each slot has a deadline; one
 * timer is armed for the earliest and, when it fires, fails every slot that is due with a
 * {@link TimeoutException} and re-arms for the next. Replies do not touch the timer (it is lazy,
 * like Okio's {@code AsyncTimeout} watchdog), so a pipeline of 10,000 commands costs one timer, not
 * 10,000 heap insertions and cancellations. A timeout leaves the connection open (see the slot rule
 * above): one slow command does not fail the commands pipelined behind it. The rejected
 * alternative, closing the connection on a timeout as redis-py does, would.
 *
 * <p><b>Back-pressure.</b> When the transport pauses writing (its buffer is over the high-water
 * mark) commands are still accepted and buffered, up to {@link RedisOptions#maxPending(int)} slots
 * per connection; beyond that, {@code send} fails at once with a
 * {@link RejectedExecutionException}, so a producer faster than the server finds out instead of
 * filling the heap.
 *
 * <p><b>Loss.</b> {@code connectionLost} fails every slot still waiting with a
 * {@link RedisConnectionException} naming the server and the cause, and refuses commands from
 * then on. Loop-thread confined: every field below is touched by the loop thread only.
 */
final class RedisProtocol implements Protocol {
    /** What a subscription's connection does with pub/sub messages. */
    interface PushHandler {
        /** A pub/sub message or confirmation: its raw elements, the kind first. */
        void push(List<Object> elements);

        /** The connection is gone; no more pushes. */
        void lost(RedisConnectionException cause);
    }

    private static final Set<String> PUBSUB_KINDS = Set.of("message", "pmessage", "smessage", "subscribe",
            "psubscribe", "ssubscribe", "unsubscribe", "punsubscribe", "sunsubscribe");

    /** A command waiting for its reply. */
    private static final class Slot {
        final Future<Object> future;
        final String command;
        final Resp.Mode mode;
        final long deadline;   // on loop.time()'s scale; Long.MAX_VALUE: none
        final long timeout;    // nanoseconds, for the message

        Slot(Future<Object> future, String command, Resp.Mode mode, long deadline, long timeout) {
            this.future = future;
            this.command = command;
            this.mode = mode;
            this.deadline = deadline;
            this.timeout = timeout;
        }
    }

    final EventLoop loop;
    /** host:port, for messages. */
    final String server;
    private final int maxPending;
    private final RespParser parser;
    private final PushHandler pushes;          // null on a command connection
    private final ArrayDeque<Slot> slots = new ArrayDeque<>();
    private final CommandBuffer out = new CommandBuffer();
    private final Future<Void> lost;
    private Transport transport;
    private Runnable onLost;
    private boolean flushScheduled;
    private boolean closeWhenIdle;
    private RedisConnectionException refusal;  // why send() fails at once; null while open
    private TimerHandle sweep;
    private long sweepAt;
    private boolean writingPaused;
    /** Batches handed to the transport: one per iteration that sent commands. */
    long writes;

    RedisProtocol(EventLoop loop, String server, RedisOptions options, PushHandler pushes) {
        this.loop = loop;
        this.server = server;
        this.maxPending = options.maxPending();
        this.pushes = pushes;
        this.parser = new RespParser(options.maxBulkLength(), options.maxDepth(), options.maxArrayLength(), this::reply);
        this.lost = loop.createFuture();
    }

    /** Runs {@code callback} once the connection is lost or closed (after the slots were failed). */
    void onLost(Runnable callback) {
        this.onLost = callback;
    }

    /**
     * Queues a command: its bytes go out with this iteration's batch. The future completes with
     * the reply in {@code mode}, fails with a {@link RedisException} for an error reply (unless
     * {@code mode} is RAW), with a {@link TimeoutException} after {@code timeoutNanos} (negative:
     * none), with a {@link RedisConnectionException} if the connection is lost first.
     */
    Future<Object> send(String command, byte[][] args, Resp.Mode mode, long timeoutNanos) {
        Future<Object> f = loop.createFuture();
        if (refusal != null) {
            f.fail(new RedisConnectionException(command + ": " + refusal.getMessage(), refusal.getCause()));
            return f;
        }
        if (slots.size() >= maxPending) {
            f.fail(new RejectedExecutionException(command + " refused: " + slots.size() + " commands are already waiting"
                    + " for " + server + " (RedisOptions.maxPending); wait for some replies before sending more"));
            return f;
        }
        long deadline = timeoutNanos < 0 ? Long.MAX_VALUE : saturatedAdd(loop.time(), timeoutNanos);
        slots.add(new Slot(f, command, mode, deadline, timeoutNanos));
        append(args);
        if (deadline != Long.MAX_VALUE && (sweep == null || deadline < sweepAt)) {
            arm(deadline);
        }
        return f;
    }

    /** Queues a command that has no reply of its own (SUBSCRIBE: its confirmations are pushes). */
    void sendWithoutReply(byte[][] args) {
        if (refusal == null) {
            append(args);
        }
    }

    private void append(byte[][] args) {
        out.append(args);
        if (!flushScheduled) {
            flushScheduled = true;
            loop.callSoon(this::flush);
        }
    }

    /** The iteration's batch, in one write. */
    private void flush() {
        flushScheduled = false;
        if (out.isEmpty()) {
            return;
        }
        if (transport != null && !transport.isClosing()) {
            transport.write(out.array(), 0, out.size());
            writes++;
        }
        out.clear();
    }

    // ------------------------------------------------------------------ Protocol

    @Override
    public void connectionMade(Transport transport) {
        this.transport = transport;
    }

    @Override
    public void dataReceived(ByteBuffer data) {
        try {
            parser.feed(data);
        } catch (RedisProtocolException e) {
            refuse(new RedisConnectionException("protocol error from " + server + ": " + e.getMessage(), e));
            transport.abort();
        }
    }

    private void reply(Object raw) {
        if (raw instanceof Resp.Push p) {
            if (pushes != null) {
                pushes.push(p.elements());
            }
            return; // on a command connection: nothing asked for pushes (no CLIENT TRACKING)
        }
        if (pushes != null && raw instanceof List<?> l && !l.isEmpty() && PUBSUB_KINDS.contains(Resp.text(l.get(0)))) {
            @SuppressWarnings("unchecked")
            List<Object> elements = (List<Object>) l;
            pushes.push(elements); // RESP2's pub/sub messages are plain arrays
            return;
        }
        Slot s = slots.poll();
        if (s == null) { // the server broke the protocol, not this program: no report to the exception handler
            refuse(new RedisConnectionException("protocol error from " + server + ": a reply with no command waiting"
                    + " for it"));
            transport.abort();
            return;
        }
        if (!s.future.isDone()) { // else timed out or cancelled: its reply is dropped here
            if (raw instanceof Resp.Error e && s.mode != Resp.Mode.RAW) {
                s.future.fail(new RedisException(s.command, e.text()));
            } else {
                s.future.complete(Resp.toJava(raw, s.mode, s.command));
            }
        }
        if (closeWhenIdle) {
            closeIfIdle();
        }
    }

    @Override
    public void pauseWriting() {
        writingPaused = true; // keep accepting up to maxPending: see the class comment
    }

    @Override
    public void resumeWriting() {
        writingPaused = false;
    }

    @Override
    public void connectionLost(Throwable cause) {
        refuse(closeWhenIdle && cause == null
                ? new RedisConnectionException("the connection to " + server + " was closed by the client")
                : cause == null
                        ? new RedisConnectionException("the connection to " + server + " was closed by the server")
                        : new RedisConnectionException("the connection to " + server + " was lost: " + cause, cause));
        if (sweep != null) {
            sweep.cancel();
            sweep = null;
        }
        out.clear();
        for (Slot s = slots.poll(); s != null; s = slots.poll()) {
            if (!s.future.isDone()) {
                s.future.fail(new RedisConnectionException(s.command + " got no reply: " + refusal.getMessage(),
                        refusal.getCause()));
            }
        }
        if (pushes != null) {
            pushes.lost(refusal);
        }
        lost.complete(null);
        if (onLost != null) {
            onLost.run();
        }
    }

    // ------------------------------------------------------------------ timeouts

    private void arm(long deadline) {
        if (sweep != null) {
            sweep.cancel();
        }
        sweepAt = deadline;
        sweep = loop.callAt(deadline, this::sweep);
    }

    /** Fails every slot that is due, and re-arms for the earliest one left. */
    private void sweep() {
        sweep = null;
        long now = loop.time();
        long next = Long.MAX_VALUE;
        for (Slot s : slots) {
            if (s.future.isDone()) {
                continue;
            }
            if (s.deadline <= now) {
                s.future.fail(new TimeoutException(s.command + ": no reply from " + server + " within "
                        + TimeUnit.NANOSECONDS.toMillis(s.timeout) + " ms (RedisOptions.commandTimeout);"
                        + " the connection stays open and the late reply will be dropped"));
            } else {
                next = Math.min(next, s.deadline);
            }
        }
        if (next != Long.MAX_VALUE) {
            arm(next);
        }
        if (closeWhenIdle) {
            closeIfIdle();
        }
    }

    // ------------------------------------------------------------------ closing

    private void refuse(RedisConnectionException why) {
        if (refusal == null) {
            refusal = why;
        }
    }

    /**
     * Closes once every waiting command has its reply (or timed out, or was cancelled): new
     * commands are refused at once, the batch of this iteration is written first.
     */
    Future<Void> closeGracefully() {
        refuse(new RedisConnectionException("the client of " + server + " is closed"));
        closeWhenIdle = true;
        flush();
        closeIfIdle();
        return lost;
    }

    private void closeIfIdle() {
        for (Slot s : slots) {
            if (!s.future.isDone()) {
                return;
            }
        }
        if (transport != null) {
            transport.close();
        }
    }

    /** Closes at once: every waiting command fails. */
    void abort() {
        refuse(new RedisConnectionException("the connection to " + server + " was aborted by the client"));
        if (transport != null) {
            transport.abort();
        }
    }

    /** Completes once the connection is closed. */
    Future<Void> closed() {
        return lost;
    }

    /** Open, nothing waiting, nothing buffered: may go back to a pool. */
    boolean isIdle() {
        return refusal == null && slots.isEmpty() && out.isEmpty() && transport != null && !transport.isClosing();
    }

    /** Whether the connection is open and accepts commands. */
    boolean isOpen() {
        return refusal == null && transport != null && !transport.isClosing();
    }

    /** Why the connection refuses commands, or null while it accepts them. */
    RedisConnectionException refusal() {
        return refusal;
    }

    /** Commands waiting for a reply, including those whose future is already done. */
    int waiting() {
        return slots.size();
    }

    boolean writingPaused() {
        return writingPaused;
    }

    Transport transport() {
        return transport;
    }

    private static long saturatedAdd(long a, long b) {
        long r = a + b;
        return ((a ^ r) & (b ^ r)) < 0 ? Long.MAX_VALUE : r;
    }

    @Override
    public String toString() {
        return "RedisProtocol[" + server + ", " + slots.size() + " waiting" + (refusal != null ? ", closed" : "") + "]";
    }
}
