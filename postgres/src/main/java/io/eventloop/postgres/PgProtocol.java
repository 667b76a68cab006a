package io.eventloop.postgres;

import io.eventloop.EventLoop;
import io.eventloop.Future;
import io.eventloop.net.Net;
import io.eventloop.net.Protocol;
import io.eventloop.net.Transport;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeoutException;

/**
 * One connection to a PostgreSQL server, as a {@link Protocol}: the startup and authentication,
 * the framing of backend messages, the statement cache, and the two queues that pipeline
 * queries. {@link PgConnection} is its public face.
 *
 * <pre>
 *   STARTING ─(SSLRequest 'S')─&gt; TLS ─(handshake)─┐
 *      │                                          v
 *      └──(StartupMessage)──&gt; AUTHENTICATING ──ReadyForQuery──&gt; READY ──(lost / closed)──&gt; CLOSED
 * </pre>
 *
 * <p>{@link Login} runs the start (TLS, startup, authentication) until the first ReadyForQuery.
 *
 * <p><b>Pipelining.</b> {@link #submit} appends a {@link Query} to {@code outgoing} and, first
 * in an iteration, schedules {@link #flush()} with {@code callSoon}. The flush encodes every
 * query waiting, in order, into one {@link MessageWriter} and hands it to the transport in one
 * write; each encoded query moves to {@code inflight}. Backend messages go to the head of
 * {@code inflight}; its ReadyForQuery ends it. A thousand {@code fetch}es issued by one callback
 * are one write and come back in their order. (asyncpg runs one query at a time per connection
 * and raises "another operation is in progress" for a second; our Redis client pipelines the
 * same way as here.)
 *
 * <p><b>Bulk writes.</b> An executeMany or a COPY ({@link Query#bulk}) has too many messages to
 * encode at once: the flush that reaches it hands it to {@link BulkWriter}, which writes it a
 * chunk at a time (the first with the batch before it) and waits while the transport is paused
 * ({@link #pauseWriting}) or its source has nothing ready. Until its Sync is written, the flush
 * writes nothing else; the queries issued meanwhile go out after it, in order. A COPY's sink that
 * is slow to take the data holds reading instead ({@link ReadHold}).
 *
 * <p><b>First use of a SQL text.</b> A query whose text has no prepared statement yet is
 * preceded by a {@link Statement} exchange (Parse, Describe, Sync), and the flush stops there:
 * what follows waits one round trip for the parameter and column types, then goes out in the
 * next batch. Waiting keeps the queries in the order they were issued (an INSERT issued before a
 * SELECT runs before it), which sending later queries ahead would break.
 *
 * <p><b>Cancellation.</b> Cancelling a query not yet written drops it. Cancelling the query the
 * server is running (the only one in flight) opens a side connection and sends a CancelRequest
 * with the key from BackendKeyData, as asyncpg and libpq do; until both the query's
 * ReadyForQuery has come and the server has closed the side connection (it signals the backend
 * before it closes), nothing more is written, so the signal cannot land on a later query.
 * Cancelling a query that waits behind others on the server cancels nothing there (the signal
 * would hit whichever query runs when it lands); its answer is dropped when it comes. If the
 * side connection cannot be made, the connection is closed: the query's fate on the server is
 * unknown. A connection closed while its side connection is open counts as closed ({@link #closed()})
 * only once the server has closed that one too (or {@link PgOptions#connectTimeout} has passed and
 * it was aborted), so no socket outlives the connection.
 *
 * <p><b>Notifications.</b> A NotificationResponse belongs to no exchange (the backend sends one
 * when it is between transactions, which may be inside another exchange's answer, just before
 * its ReadyForQuery): it goes to
 * {@link Listening}, which hands it to the channel's listeners. A loss ends them too.
 *
 * <p><b>Loss.</b> {@code connectionLost} fails every query, written or not, with a
 * {@link PgConnectionException} naming the server (the query the server was running gets the
 * server's FATAL error when it sent one), and refuses queries from then on. A message the
 * protocol has no place for, a malformed one, or one longer than
 * {@link PgOptions#maxMessageSize} closes the connection the same way. Loop-thread confined.
 */
final class PgProtocol implements Protocol {
    enum Phase { STARTING, TLS, AUTHENTICATING, READY, CLOSED }

    final EventLoop loop;
    final PgUri uri;
    final String server;
    final PgOptions options;
    private final Login login;
    private final Future<Void> ready;
    private final Future<Void> closed;
    /** The frontend messages not yet written: this iteration's batch. */
    final MessageWriter out = new MessageWriter();
    private final ArrayDeque<Query> outgoing = new ArrayDeque<>();
    /** Exchanges written (a bulk one: from its first chunk), waiting for their ReadyForQuery, in order. */
    final ArrayDeque<Exchange> inflight = new ArrayDeque<>();
    /** Writes executeMany's and COPY's messages a chunk at a time. */
    final BulkWriter bulk = new BulkWriter(this);
    /** A COPY's sink is busy with the last row: nothing more is read until it has taken it. */
    final ReadHold readHold = new ReadHold(this);
    /** Prepared statements by SQL text, least recently used first. */
    private final LinkedHashMap<String, Statement> statements = new LinkedHashMap<>(16, 0.75f, true);
    private final Map<String, String> parameters = new HashMap<>();
    /** The channels listened on, and who gets their notifications. */
    final Listening listening = new Listening(this);
    /** The connection's transport: the socket's, then the TLS one once the handshake is done. */
    Transport transport;
    /** Where the connection is; {@link BulkWriter} reads it. */
    Phase phase = Phase.STARTING;
    private int backendPid;
    private int backendSecret;
    private char transactionStatus = 'I';
    private int statementNumber;
    private boolean flushScheduled;
    /** A CancelRequest is on its way: nothing is written until it is settled (see the class comment). */
    private boolean cancelling;
    private boolean closeWhenIdle;
    /** closeGracefully() or abort() was called: the end is the client's, not a loss. */
    private boolean closedByClient;
    /** Why submit() fails at once; null while queries are accepted. */
    private PgConnectionException refusal;
    /** A FATAL error the server sent before closing, for the query it was running. */
    private PgException fatal;
    /** The unread tail of the last read: a message not yet complete. */
    private byte[] partial = new byte[0];
    private int partialLength;
    /** Batches handed to the transport. */
    long writes;
    /** Queries submitted over the connection's life, refused ones included: what a pool's maxQueries counts. */
    long queries;

    PgProtocol(EventLoop loop, PgUri uri, PgOptions options) {
        this.loop = loop;
        this.uri = uri;
        this.server = uri.server();
        this.options = options;
        this.login = new Login(this);
        this.ready = loop.createFuture();
        this.closed = loop.createFuture();
    }

    /** Completes at the first ReadyForQuery; fails if the server refuses the login. */
    Future<Void> ready() {
        return ready;
    }

    /** Completes once the connection is closed, and the side connection of a CancelRequest too if one was open. */
    Future<Void> closed() {
        return closed;
    }

    // ------------------------------------------------------------------ startup

    @Override
    public void connectionMade(Transport transport) {
        this.transport = transport;
        login.start();
    }

    /** Writes the messages {@link #out} holds now: the login's, or a batch of queries. */
    void writeNow() {
        if (out.isEmpty()) {
            return;
        }
        if (transport != null && !transport.isClosing()) {
            transport.write(out.array(), 0, out.size());
            writes++;
        }
        out.clear();
    }

    void failStartup(Exception e) {
        refuse(new PgConnectionException("the connection to " + server + " failed while connecting: " + e.getMessage(), e));
        ready.fail(e);
    }

    // ------------------------------------------------------------------ reading

    @Override
    public void dataReceived(ByteBuffer data) {
        if (phase == Phase.TLS) {
            login.sslAnswer(data.get());
            if (data.hasRemaining()) {
                protocolError("bytes after the answer to SSLRequest, before TLS (a server in the middle?)");
            }
            return;
        }
        ByteBuffer buf;
        if (partialLength == 0) {
            buf = data; // the common case: parse the loop's read buffer in place
        } else {
            int n = data.remaining();
            ensurePartial(partialLength + n);
            data.get(partial, partialLength, n);
            buf = ByteBuffer.wrap(partial, 0, partialLength + n);
        }
        partialLength = 0;
        while (phase != Phase.CLOSED && !readHold.active() && buf.remaining() >= 5) {
            int start = buf.position();
            byte type = buf.get(start);
            int length = buf.getInt(start + 1);
            if (length < 4 || length > options.maxMessageSize()) {
                protocolError(length < 4 ? "message '" + printable(type) + "' with length " + length
                        : "message '" + printable(type) + "' of " + length + " bytes, over the limit of "
                        + options.maxMessageSize() + " (PgOptions.maxMessageSize)");
                return;
            }
            if (buf.remaining() < 1 + length) {
                break;
            }
            ByteBuffer body = buf.slice(start + 5, length - 4).order(java.nio.ByteOrder.BIG_ENDIAN);
            buf.position(start + 1 + length);
            try {
                handle(type, body);
            } catch (PgConnectionException e) {
                failStartup(e);
                abortTransport();
                return;
            } catch (RuntimeException e) {
                protocolError("malformed message '" + printable(type) + "' (" + e + ")");
                return;
            }
        }
        if (phase != Phase.CLOSED && buf.hasRemaining()) {
            int n = buf.remaining();
            ensurePartial(n);
            buf.get(partial, 0, n); // may overlap when buf wraps partial: a heap get is an arraycopy
            partialLength = n;
        } else if (partial.length > 1 << 20) {
            partial = new byte[0]; // one large message does not keep its memory
        }
    }

    /** Room for {@code size} bytes of a message in progress, growing with what arrived, never with a length field. */
    private void ensurePartial(int size) {
        if (partial.length < size) {
            partial = Arrays.copyOf(partial, Math.max(size, Math.min(partial.length * 2 + 4096, options.maxMessageSize() + 5)));
        }
    }

    private static String printable(byte type) {
        return type >= 32 && type < 127 ? String.valueOf((char) type) : "\\x" + Integer.toHexString(type & 0xFF);
    }

    private void handle(byte type, ByteBuffer body) throws PgConnectionException {
        switch (type) {
            case 'N' -> {
                return; // NoticeResponse: nobody listens yet
            }
            case 'A' -> {
                listening.notification(body); // NotificationResponse: comes whenever the backend is between transactions
                return;
            }
            case 'S' -> {
                parameters.put(Exchange.cstring(body), Exchange.cstring(body));
                return;
            }
            default -> { }
        }
        if (phase == Phase.AUTHENTICATING) {
            switch (type) {
                case 'R' -> login.authentication(body);
                case 'K' -> {
                    backendPid = body.getInt();
                    backendSecret = body.getInt();
                }
                case 'v' -> { } // NegotiateProtocolVersion: a minor version or an option it does not know; 3.0 holds
                case 'E' -> {
                    PgException e = new PgException(Exchange.fields(body), "connecting to " + server + " as \""
                            + uri.user() + "\", database \"" + uri.database() + "\"");
                    failStartup(e);
                    abortTransport();
                }
                case 'Z' -> {
                    transactionStatus = (char) body.get();
                    phase = Phase.READY;
                    ready.complete(null);
                    scheduleFlush();
                }
                default -> throw new IllegalStateException("message '" + printable(type) + "' during authentication");
            }
            return;
        }
        Exchange head = inflight.peek();
        if (type == 'E') {
            PgException e = new PgException(Exchange.fields(body), head != null ? head.describe() : null);
            if (e.severity().equals("FATAL") || e.severity().equals("PANIC")) {
                fatal = e; // the server closes the connection next
                if (head != null) {
                    head.error = e;
                }
                return;
            }
            if (head == null) {
                throw new IllegalStateException("an ErrorResponse with no query waiting: " + e.getMessage());
            }
            if (head.error == null) {
                head.error = e;
            }
            if (head == bulk.streaming) {
                bulk.schedule(); // the server skips the rest up to the Sync: stop sending it
            }
            return;
        }
        if (head == null) {
            throw new IllegalStateException("message '" + printable(type) + "' with no query waiting");
        }
        if (type == 'Z') {
            transactionStatus = (char) body.get();
            inflight.poll();
            if (head instanceof Query q && q.error != null && q.statement != null
                    && (q.error.sqlState().equals("0A000") || q.error.sqlState().equals("26000"))) {
                // "cached plan must not change result type" after DDL, or a statement the server
                // no longer has: the next use prepares the text again
                statements.remove(q.sql, q.statement);
                if (!q.retried && q.bulk == null && !q.future.isDone() && transactionStatus == 'I' && inflight.isEmpty()) {
                    // nothing ran, no transaction is spoiled, and nothing issued after it was sent
                    // yet: prepared again and run once more, as asyncpg does, in its place
                    q.retry();
                    outgoing.addFirst(q);
                    scheduleFlush();
                    return;
                }
            }
            if (head instanceof Query q && q.error != null && q.bulk instanceof CopyIn && q.statement != null) {
                // the table may have changed since it was described (a column added): describe it again next time
                statements.remove(q.sql, q.statement);
            }
            head.finished();
            if (cancelling && head instanceof Query q && q == cancelled) {
                cancelledAnswered = true;
                settleCancel();
            }
            if (closeWhenIdle) {
                closeIfIdle();
            }
            return;
        }
        head.message(type, body);
    }

    // ------------------------------------------------------------------ queries

    /** Queues a query: it goes out with this iteration's batch (see the class comment). */
    Query submit(String sql, Object[] args, Query.Mode mode, boolean simple) {
        return submit(new Query(this, loop, sql, args, mode, simple));
    }

    /** Queues an executeMany or a COPY: written a chunk at a time when its turn comes (see {@link BulkWriter}). */
    Query submitBulk(String sql, Bulk body) {
        return submit(new Query(this, loop, sql, body));
    }

    private Query submit(Query q) {
        queries++;
        if (refusal != null) {
            q.future.fail(new PgConnectionException(q.describe() + ": " + refusal.getMessage(), refusal.getCause()));
            return q;
        }
        if (outgoing.size() + inflight.size() >= options.maxPending()) {
            q.future.fail(new RejectedExecutionException(q.describe() + " refused: " + (outgoing.size() + inflight.size())
                    + " queries are already waiting for " + server + " (PgOptions.maxPending); wait for some answers"
                    + " before sending more"));
            return q;
        }
        outgoing.add(q);
        if (options.commandTimeout() != null) {
            q.timeout = loop.callLater(options.commandTimeout(), () -> {
                if (!q.future.isDone()) {
                    q.future.fail(new TimeoutException(q.describe() + ": no answer from " + server + " within "
                            + options.commandTimeout().toMillis() + " ms (PgOptions.commandTimeout)"));
                    abandoned(q);
                }
            });
        }
        scheduleFlush();
        return q;
    }

    void scheduleFlush() {
        if (!flushScheduled) {
            flushScheduled = true;
            loop.callSoon(this::flush);
        }
    }

    /** Encodes every query that can go now, in order, and writes them in one batch. */
    private void flush() {
        flushScheduled = false;
        if (phase != Phase.READY || cancelling || bulk.streaming != null) {
            return;
        }
        while (!outgoing.isEmpty()) {
            Query q = outgoing.peek();
            if (q.future.isDone()) {
                outgoing.poll(); // cancelled or timed out before it was written
                if (q.bulk != null) {
                    q.bulk.close();
                }
                continue;
            }
            int mark = out.size();
            if (q.simple) {
                try {
                    out.begin((byte) 'Q');
                    out.cstring(q.sql);
                    out.end();
                } catch (IllegalArgumentException e) {
                    out.rewind(mark);
                    outgoing.poll();
                    q.future.fail(e);
                    continue;
                }
            } else {
                Statement st = q.needsStatement() ? statements.get(q.sql) : null;
                if (st == null && q.needsStatement()) {
                    try {
                        prepare(q.sql);
                    } catch (IllegalArgumentException e) {
                        out.rewind(mark);
                        outgoing.poll();
                        q.future.fail(e);
                        continue;
                    }
                    break; // what follows waits for the statement's types (see the class comment)
                }
                if (st != null && st.state != Statement.State.READY) {
                    break;
                }
                if (q.bulk != null) {
                    outgoing.poll();
                    bulk.start(q, st); // writes this batch with its first chunks; what follows waits for its Sync
                    return;
                }
                try {
                    bind(q, st);
                } catch (RuntimeException e) { // an argument that cannot be encoded fails its query only
                    out.rewind(mark);
                    outgoing.poll();
                    q.future.fail(e);
                    continue;
                }
                q.statement = st;
            }
            if (out.size() - mark > options.maxMessageSize()) {
                out.rewind(mark);
                outgoing.poll();
                q.future.fail(new IllegalArgumentException(q.describe() + ": its messages would be " + (out.size() - mark)
                        + " bytes, over the limit of " + options.maxMessageSize() + " (PgOptions.maxMessageSize)"));
                continue;
            }
            outgoing.poll();
            q.sent = true;
            inflight.add(q);
        }
        writeNow();
    }

    /** Parse, Describe and Sync of a new statement, after a Close of the one it evicts. */
    private void prepare(String sql) {
        Statement st = new Statement(this, "s" + (++statementNumber), sql);
        int mark = out.size();
        out.begin((byte) 'P');
        out.cstring(st.name);
        out.cstring(sql); // a NUL in the text fails here, before anything else is changed
        out.int16(0); // no parameter types given: the server infers them, and says which in ParameterDescription
        out.end();
        out.rewind(mark);
        if (statements.size() >= options.statementCacheSize()) {
            // the least recently used goes; queries written before this batch used it already, and
            // its CloseComplete is answered inside this Parse's Sync
            Iterator<Statement> eldest = statements.values().iterator();
            Statement old = eldest.next();
            eldest.remove();
            out.begin((byte) 'C');
            out.int8('S');
            out.cstring(old.name);
            out.end();
        }
        out.begin((byte) 'P');
        out.cstring(st.name);
        out.cstring(sql);
        out.int16(0);
        out.end();
        out.begin((byte) 'D');
        out.int8('S');
        out.cstring(st.name);
        out.end();
        out.begin((byte) 'S');
        out.end();
        statements.put(sql, st);
        inflight.add(st);
    }

    private void bind(Query q, Statement st) {
        int[] types = st.parameterTypes;
        if (q.args.length != types.length) {
            throw new IllegalArgumentException(q.describe() + " has " + types.length + " parameter"
                    + (types.length == 1 ? "" : "s") + " and was given " + q.args.length + " argument"
                    + (q.args.length == 1 ? "" : "s"));
        }
        st.bindExecute(out, q.args, st.argumentNames(q.describe()), true);
        out.begin((byte) 'S');
        out.end();
    }

    /** A statement is prepared: the queries waiting for it can go. */
    void prepared(Statement st) {
        scheduleFlush();
    }

    /** A statement failed to prepare: every query waiting for it fails with the server's error. */
    void prepareFailed(Statement st, PgException error) {
        statements.remove(st.sql, st);
        for (Iterator<Query> it = outgoing.iterator(); it.hasNext(); ) {
            Query q = it.next();
            if (q.sql.equals(st.sql) && q.needsStatement()) {
                it.remove();
                if (!q.future.isDone()) {
                    q.future.fail(error != null ? error : new PgConnectionException(server
                            + " did not describe the parameters of " + st.describe()));
                }
            }
        }
        scheduleFlush();
    }


    // ------------------------------------------------------------------ cancellation

    /** The query whose CancelRequest is on its way, and what has settled of it. */
    private Query cancelled;
    private boolean cancelledAnswered;
    private boolean cancelSideClosed;
    /** The last CancelRequest's side connection (see closed()). */
    private CancelRequest cancel;

    /**
     * {@code q}'s future was cancelled or timed out. Not written yet: the flush drops it. The
     * only query in flight: a CancelRequest on a side connection. Behind others: its answer is
     * dropped when it comes (see the class comment).
     */
    void abandoned(Query q) {
        if (bulk.abandoned(q)) {
            return; // still being written: ended with CopyFail or an error, no CancelRequest needed
        }
        if (!q.sent || phase != Phase.READY || cancelling || inflight.size() != 1 || inflight.peek() != q) {
            return;
        }
        cancelling = true;
        cancelled = q;
        cancelledAnswered = false;
        cancelSideClosed = false;
        cancel = CancelRequest.send(loop, uri, options.connectTimeout(), backendPid, backendSecret, login.tls(), () -> {
            cancelSideClosed = true; // the server closes it once it has signalled the backend
            settleCancel();
        }, this::cancelNotSent);
    }

    /** The CancelRequest could not be delivered: the query runs on, and nothing can stop it. */
    private void cancelNotSent(Throwable e) {
        // the connection's state is unknown to its user
        refuse(new PgConnectionException("cannot send a CancelRequest to " + server + " (" + e
                + "); the connection is closed, as the cancelled query may still be running", e));
        abortTransport();
    }

    private void settleCancel() {
        if (cancelling && cancelledAnswered && cancelSideClosed) {
            cancelling = false;
            cancelled = null;
            scheduleFlush();
        }
    }

    // ------------------------------------------------------------------ loss and closing

    void protocolError(String what) {
        PgConnectionException e = new PgConnectionException("protocol error from " + server + ": " + what
                + "; the connection is closed");
        refuse(e);
        if (!ready.isDone()) {
            ready.fail(e);
        }
        abortTransport();
    }

    void abortTransport() {
        if (transport != null) {
            transport.abort();
        }
    }

    private void refuse(PgConnectionException why) {
        if (refusal == null) {
            refusal = why;
        }
    }

    // ------------------------------------------------------------------ flow control

    @Override
    public void pauseWriting() {
        bulk.pauseWriting();
    }

    @Override
    public void resumeWriting() {
        bulk.resumeWriting();
    }

    @Override
    public void connectionLost(Throwable cause) {
        phase = Phase.CLOSED;
        bulk.lost();
        readHold.release();
        refuse(closeWhenIdle && cause == null
                ? new PgConnectionException("the connection to " + server + " was closed by the client")
                : cause == null
                        ? new PgConnectionException("the connection to " + server + " was closed by the server"
                                + (fatal != null ? " (" + fatal.getMessage() + ")" : ""))
                        : new PgConnectionException("the connection to " + server + " was lost: " + cause, cause));
        if (!ready.isDone()) {
            ready.fail(fatal != null ? fatal : refusal);
        }
        out.clear();
        boolean head = true;
        for (Exchange e = inflight.poll(); e != null; e = inflight.poll()) {
            if (head && e.error != null && e.error == fatal) {
                e.lost(fatal); // the server said why before it closed
            } else {
                e.lost(new PgConnectionException(e.describe() + " got no answer: " + refusal.getMessage(),
                        refusal.getCause()));
            }
            head = false;
        }
        for (Query q = outgoing.poll(); q != null; q = outgoing.poll()) {
            q.lost(new PgConnectionException(q.describe() + " was not sent: " + refusal.getMessage(), refusal.getCause()));
        }
        statements.clear();
        listening.ended(closedByClient ? null : refusal);
        if (cancel == null || cancel.closed().isDone()) {
            closed.complete(null);
        } else {
            // a CancelRequest's side connection is still open: closed() means no socket is left, so it
            // waits for the server to close that one too, at most connectTimeout
            cancel.closedWithin(options.connectTimeout()).onDone(x -> closed.complete(null));
        }
    }

    /**
     * Closes once every query already issued has its answer: new queries are refused at once,
     * then Terminate is sent and the socket closed (asyncpg's {@code close()}).
     */
    Future<Void> closeGracefully() {
        refuse(new PgConnectionException("the connection to " + server + " is closed"));
        closeWhenIdle = true;
        closedByClient = true;
        closeIfIdle();
        return closed;
    }

    private void closeIfIdle() {
        if (!outgoing.isEmpty() || !inflight.isEmpty() || transport == null || transport.isClosing()) {
            if (transport == null || phase != Phase.READY) {
                abortTransport();
            }
            return;
        }
        out.begin((byte) 'X');
        out.end();
        writeNow();
        transport.close();
    }

    /** Closes at once: every waiting query fails (asyncpg's {@code terminate()}). */
    void abort() {
        refuse(new PgConnectionException("the connection to " + server + " was closed by the client"));
        closedByClient = true;
        abortTransport();
    }

    /** Whether queries are accepted. */
    boolean isOpen() {
        return refusal == null && transport != null && !transport.isClosing();
    }

    /** Open, nothing issued and unanswered, not inside a transaction: may go back to a pool. */
    boolean isIdle() {
        return isSettled() && transactionStatus == 'I';
    }

    /**
     * Open, nothing issued and unanswered, no CancelRequest on its way: the server waits for the
     * next query, inside a transaction or not. A connection that is not settled has a state its
     * user cannot know.
     */
    boolean isSettled() {
        return isSettled(0);
    }

    /** {@link #isSettled()} but for {@code own} exchanges still waiting that the asker issued itself (a pool's reset). */
    boolean isSettled(int own) {
        return isOpen() && phase == Phase.READY && outgoing.size() + inflight.size() == own && !cancelling;
    }

    /** The ReadyForQuery status of the last exchange: 'I' idle, 'T' in a transaction, 'E' in a failed one. */
    char transactionStatus() {
        return transactionStatus;
    }

    int backendPid() {
        return backendPid;
    }

    /** A run-time parameter the server reported (ParameterStatus): server_version, TimeZone ... */
    String parameter(String name) {
        return parameters.get(name);
    }

    /** Queries issued and not yet answered, written or not. */
    int waiting() {
        return outgoing.size() + inflight.size();
    }

    int cachedStatements() {
        return statements.size();
    }

    @Override
    public String toString() {
        return "PgProtocol[" + server + ", " + phase + ", " + waiting() + " waiting]";
    }
}
