package io.eventloop.redis;

import io.eventloop.EventLoop;
import io.eventloop.Future;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@code MULTI} / {@code EXEC} block being built: each command called on it is queued here and
 * returns a future that completes when {@link #exec()} has run; {@code exec()} sends
 * {@code MULTI}, the commands and {@code EXEC} together, in one write, on one connection.
 *
 * <pre>{@code
 * Transaction tx = client.multi();
 * Future<Long> hits = tx.incr("hits");
 * tx.set("last", "now");
 * tx.exec().then(all -> hits)       // hits completes with EXEC's first element
 * }</pre>
 *
 * <p>Outcomes: each command's future gets its element of {@code EXEC}'s reply (an error element
 * fails that future only, as Redis runs the others); a command the server refused to queue fails
 * with its error, and {@code EXEC} then fails with {@code EXECABORT} and every other future with
 * that; if a {@code WATCH}ed key changed ({@link RedisConnection#command} {@code WATCH} on a
 * dedicated connection), {@code exec()} and every future fail with {@link RedisWatchException};
 * if the connection is lost, all fail with its {@link RedisConnectionException}. Since
 * {@code exec()}'s own outcome carries every one of these, a queued command's future that nobody
 * looks at is not reported as an unretrieved failure.
 *
 * <p>Compared with redis-py: {@code async with r.pipeline(transaction=True) as pipe:} queues the
 * same way and {@code await pipe.execute()} returns the list; here each command also has its own
 * typed future. One transaction, one {@code exec()} (or {@link #discard()}); loop thread only.
 */
public final class Transaction extends RedisCommands {
    private static final byte[][] MULTI = {bytes("MULTI")};
    private static final byte[][] EXEC = {bytes("EXEC")};

    /** Where the transaction goes: the connection of its client at the time of {@code exec()}. */
    interface Link {
        RedisProtocol link() throws RedisConnectionException;
    }

    private record Queued(String command, byte[][] args, Resp.Mode mode, Future<Object> future) {
    }

    private final EventLoop loop;
    private final Link link;
    private final long timeoutNanos;
    private final List<Queued> queued = new ArrayList<>();
    private boolean done;

    Transaction(EventLoop loop, Link link, long timeoutNanos) {
        this.loop = loop;
        this.link = link;
        this.timeoutNanos = timeoutNanos;
    }

    @Override
    Future<Object> send(String command, byte[][] args, Resp.Mode mode) {
        if (done) {
            throw new IllegalStateException(command + " on a transaction that was executed or discarded already");
        }
        // Every outcome is also in exec()'s: a queued command's failure left unread is not a lost error.
        Future<Object> f = loop.<Object>createFuture().onDone(RedisClient.IGNORE);
        queued.add(new Queued(command, args, mode, f));
        return f;
    }

    /**
     * How many commands are queued: redis-py's {@code len(pipe)}.
     *
     * @return the number of commands called on this transaction so far, which is the length of
     *     {@link #exec()}'s list
     */
    public int size() {
        return queued.size();
    }

    /**
     * Sends {@code MULTI}, the queued commands and {@code EXEC}, in one write: redis-py's
     * {@code await pipe.execute()}.
     *
     * @return {@code EXEC}'s reply, one element per queued command, mapped as each command's
     *     future is (an error element is a {@link RedisException}); see the class comment for
     *     failures
     * @throws IllegalStateException if executed or discarded already
     */
    public Future<List<Object>> exec() {
        if (done) {
            throw new IllegalStateException("exec() on a transaction that was executed or discarded already");
        }
        done = true;
        Future<List<Object>> result = loop.createFuture();
        RedisProtocol p;
        try {
            p = link.link();
        } catch (RedisConnectionException e) {
            failAll(e, null);
            result.fail(e);
            return result;
        }
        // MULTI's reply and the QUEUED acknowledgements are looked at through EXEC's (a lost
        // connection fails them all alike), hence the listeners that ignore them.
        p.send("MULTI", MULTI, Resp.Mode.RAW, timeoutNanos).onDone(RedisClient.IGNORE);
        List<Future<Object>> acks = new ArrayList<>(queued.size());
        for (Queued q : queued) {
            acks.add(p.send(q.command, q.args, Resp.Mode.RAW, timeoutNanos).onDone(RedisClient.IGNORE));
        }
        p.send("EXEC", EXEC, Resp.Mode.RAW, timeoutNanos).onDone(exec -> {
            // The acknowledgements came before EXEC's reply, so they are all done here.
            if (exec.isCancelled() || exec.exception() != null) {
                Throwable e = exec.isCancelled() ? new java.util.concurrent.CancellationException("EXEC cancelled")
                        : exec.exception();
                failAll(e, acks);
                result.fail(e);
            } else if (exec.result() instanceof Resp.Error error) {
                RedisException e = new RedisException("EXEC", error.text());
                failAll(e, acks);
                result.fail(e);
            } else if (exec.result() == null) {
                failAll(new RedisWatchException(), null);
                result.fail(new RedisWatchException());
            } else {
                List<?> elements = (List<?>) exec.result();
                List<Object> values = new ArrayList<>(elements.size());
                for (int i = 0; i < queued.size(); i++) {
                    Queued q = queued.get(i);
                    Object raw = i < elements.size() ? elements.get(i) : null;
                    Object value = Resp.toJava(raw, q.mode, q.command);
                    values.add(value);
                    if (value instanceof RedisException e) {
                        q.future.fail(e);
                    } else {
                        q.future.complete(value);
                    }
                }
                result.complete(values);
            }
        });
        return result;
    }

    /**
     * Drops the queued commands without sending anything: their futures are cancelled. (Nothing
     * reached the server, so no {@code DISCARD} is sent.)
     *
     * @throws IllegalStateException if executed already
     */
    public void discard() {
        if (done) {
            throw new IllegalStateException("discard() on a transaction that was executed or discarded already");
        }
        done = true;
        for (Queued q : queued) {
            q.future.cancel("the transaction was discarded");
        }
    }

    /** Fails every queued future: with its own queueing error if the server refused it, else with {@code e}. */
    private void failAll(Throwable e, List<Future<Object>> acks) {
        for (int i = 0; i < queued.size(); i++) {
            Queued q = queued.get(i);
            Future<Object> ack = acks == null ? null : acks.get(i);
            if (ack != null && ack.isDone() && !ack.isCancelled() && ack.exception() == null
                    && ack.result() instanceof Resp.Error refused) {
                q.future.fail(new RedisException(q.command, refused.text()));
            } else {
                q.future.fail(e);
            }
        }
    }
}
