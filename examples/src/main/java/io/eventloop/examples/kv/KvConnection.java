package io.eventloop.examples.kv;

import io.eventloop.net.Protocol;
import io.eventloop.net.Transport;
import java.nio.ByteBuffer;
import java.util.LinkedHashSet;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client of the {@link KvServer}: Redis's {@code client} struct and its read handler. Each
 * read is parsed where it lies in the loop's read buffer, every whole command in it is run, and
 * the replies go out in one write when the read is done (pipelined replies batched). What a read
 * leaves unfinished (the start of a command) is kept in {@link #pending} until the rest comes.
 *
 * <p><b>Back-pressure.</b> When the transport's write buffer passes its high-water mark
 * ({@link #pauseWriting()}), the connection stops running commands and stops reading; what it
 * had read is kept and run once the peer has read its replies ({@link #resumeWriting()}). A
 * client that pipelines without reading thus holds at most one read's worth of replies, so a
 * normal client needs no output limit; the limits of {@link KvServer.Limits} still apply, and a
 * subscriber, whose output grows by other clients' PUBLISH, is disconnected past its bound.
 *
 * <p>Loop thread only.
 */
final class KvConnection implements Protocol {
    private static final Logger log = LoggerFactory.getLogger(KvConnection.class);
    private static final byte[] TOO_MANY = Reply.ascii("-ERR max number of clients reached\r\n");

    final KvServer server;
    final long id;
    final RequestParser parser;
    final Reply reply;
    Transport transport;
    /** The protocol version chosen by HELLO: 2 or 3. */
    int resp = 2;
    /** CLIENT SETNAME's name, or "". */
    String name = "";
    /** Channels and patterns subscribed to; null until the first SUBSCRIBE. */
    Set<String> channels;
    Set<String> patterns;
    /** The result of the last successful {@link #number(int)}. */
    long number;

    /** The buffer the current command's arguments are in: the read buffer or {@link #pending}. */
    private ByteBuffer in;
    /** Bytes read and not yet run, from position to limit; null until needed. */
    private ByteBuffer pending;
    private boolean counted;
    private boolean closing;
    private boolean writePaused;

    KvConnection(KvServer server, long id) {
        this.server = server;
        this.id = id;
        this.parser = new RequestParser(server.limits().maxBulkLength());
        this.reply = server.reply;
    }

    @Override
    public void connectionMade(Transport t) {
        transport = t;
        if (!server.admit()) {
            log.warn("{}: refused, max number of clients ({}) reached", t.remoteAddress(), server.limits().maxClients());
            t.write(TOO_MANY);
            closing = true;
            t.close();
            return;
        }
        counted = true;
    }

    @Override
    public void connectionLost(Throwable cause) {
        closing = true;
        server.pubsub.unsubscribeAll(this);
        if (counted) {
            counted = false;
            server.left();
        }
        pending = null;
    }

    @Override
    public void dataReceived(ByteBuffer data) {
        if (closing) {
            return;
        }
        server.readClock();
        reply.begin(this);
        if (!parser.inCommand() && (pending == null || !pending.hasRemaining())) {
            // The fast path: run the commands where they lie in the read buffer.
            parser.reset(data.position());
            run(data);
            if (!closing && data.hasRemaining()) {
                boolean filling = parser.filling();
                keep(data, filling ? parser.scan : data.limit(), true);
                if (filling) {
                    data.position(data.limit()); // the parser took the rest into the big argument
                }
            }
        }
        if (!closing && data.hasRemaining()) {
            if (parser.filling()) {
                parser.fill(data);
            }
            if (data.hasRemaining()) {
                keep(data, data.limit(), false);
            }
            run(pending);
        }
        reply.flush();
        afterRun();
    }

    /** Runs every whole command in {@code buffer} from its position, advancing it, until paused or closed. */
    private void run(ByteBuffer buffer) {
        in = buffer;
        while (!closing && !writePaused) {
            int r = parser.parse(buffer);
            if (r == RequestParser.INCOMPLETE) {
                if (parser.filling() && buffer == pending) {
                    pending.limit(parser.scan); // the parser took the rest into the big argument
                }
                return;
            }
            if (r == RequestParser.ERROR) {
                protocolError(parser.error);
                return;
            }
            server.commands.dispatch(this);
            parser.done();
            buffer.position(parser.scan);
        }
    }

    /** Checks what the read left behind against the query buffer limit; stops reading if paused. */
    private void afterRun() {
        if (closing) {
            return;
        }
        long held = (pending == null ? 0 : pending.remaining()) + parser.bigLength();
        if (held > server.limits().queryBufferLimit()) {
            log.warn("{}: closed, its query buffer ({} bytes) passed the limit of {} bytes", this, held,
                    server.limits().queryBufferLimit());
            closing = true;
            transport.close();
            return;
        }
        if (pending != null && !pending.hasRemaining()) {
            pending.position(0).limit(0);
            if (pending.capacity() > 64 * 1024) {
                pending = null; // give back what a big request took
            }
        }
        if (writePaused) {
            transport.pauseReading();
        }
    }

    /**
     * Keeps {@code data}'s bytes from its position up to {@code upto} at the end of
     * {@link #pending}, and advances {@code data} to {@code upto}; if the parser's places are in
     * {@code data} ({@code parserInData}), they move along.
     */
    private void keep(ByteBuffer data, int upto, boolean parserInData) {
        int from = data.position();
        int n = upto - from;
        if (pending == null) {
            pending = ByteBuffer.allocate(Math.max(n, 4096)).limit(0);
        }
        if (pending.capacity() - pending.limit() < n) {
            int kept = pending.remaining();
            int shift = pending.position();
            ByteBuffer to = kept + n > pending.capacity()
                    ? ByteBuffer.allocate(Math.max(kept + n, pending.capacity() * 2)) : pending;
            to.put(0, pending, shift, kept);
            to.position(0).limit(kept);
            pending = to;
            if (!parserInData) {
                parser.rebase(-shift);
            }
        }
        int at = pending.limit();
        pending.limit(at + n);
        pending.put(at, data, from, n);
        if (parserInData) {
            parser.rebase(at - from);
        }
        data.position(upto);
    }

    @Override
    public void pauseWriting() {
        writePaused = true;
    }

    @Override
    public void resumeWriting() {
        writePaused = false;
        if (closing) {
            return;
        }
        if (pending != null && pending.hasRemaining()) {
            server.readClock();
            reply.begin(this);
            run(pending);
            reply.flush();
            afterRun();
        }
        if (!writePaused && !closing) {
            transport.resumeReading();
        }
    }

    /** Writes {@code bytes} to the socket; a client whose output passes its limit is disconnected. */
    void send(ByteBuffer bytes) {
        if (closing || transport.isClosing()) {
            return;
        }
        transport.write(bytes);
        long limit = subscribed() ? server.limits().pubsubOutputBufferLimit() : server.limits().outputBufferLimit();
        if (limit > 0 && transport.writeBufferSize() > limit) {
            log.warn("{}: disconnected, its output buffer ({} bytes) passed the limit of {} bytes", this,
                    transport.writeBufferSize(), limit);
            closing = true;
            transport.abort();
        }
    }

    /** Replies the protocol error and closes, as Redis's {@code setProtocolError}. */
    private void protocolError(String message) {
        reply.error("ERR Protocol error: " + message);
        log.info("{}: protocol error, closing: {}", this, message);
        closeAfterReplies();
    }

    /** Sends the replies so far, then closes gracefully (QUIT, a protocol error). */
    void closeAfterReplies() {
        reply.flush();
        closing = true;
        if (!transport.isClosing()) {
            transport.close();
        }
    }

    boolean isClosing() {
        return closing;
    }

    /** Whether the client is in a subscribed state (RESP2 then takes only pub/sub commands). */
    boolean subscribed() {
        return (channels != null && !channels.isEmpty()) || (patterns != null && !patterns.isEmpty());
    }

    Set<String> channels() {
        if (channels == null) {
            channels = new LinkedHashSet<>();
        }
        return channels;
    }

    Set<String> patterns() {
        if (patterns == null) {
            patterns = new LinkedHashSet<>();
        }
        return patterns;
    }

    // ------------------------------------------------------------------ the arguments of the running command

    int argc() {
        return parser.argc;
    }

    /** The buffer argument {@code i} is in, at {@link #pos(int)}. */
    ByteBuffer buf(int i) {
        byte[] own = parser.own[i];
        return own != null ? ByteBuffer.wrap(own) : in;
    }

    int pos(int i) {
        return parser.own[i] != null ? 0 : parser.pos[i];
    }

    int len(int i) {
        return parser.len[i];
    }

    /** The entry of the key in argument {@code i}, or -1 (absent or expired). */
    int find(int i) {
        return server.keyspace.find(buf(i), pos(i), len(i), server.now);
    }

    /** Argument {@code i} as an array of its own (a big argument's array itself: no copy). */
    byte[] copy(int i) {
        byte[] own = parser.own[i];
        if (own != null) {
            return own;
        }
        byte[] b = new byte[parser.len[i]];
        in.get(parser.pos[i], b);
        return b;
    }

    /** Copies argument {@code i} into {@code target}, which has its length. */
    void copyInto(int i, byte[] target) {
        byte[] own = parser.own[i];
        if (own != null) {
            System.arraycopy(own, 0, target, 0, own.length);
        } else {
            in.get(parser.pos[i], target);
        }
    }

    /** Whether argument {@code i} is {@code word} (given in upper case), ignoring case. */
    boolean is(int i, byte[] word) {
        if (len(i) != word.length) {
            return false;
        }
        ByteBuffer b = parser.own[i] != null ? null : in;
        for (int k = 0; k < word.length; k++) {
            int c = b != null ? b.get(parser.pos[i] + k) : parser.own[i][k];
            if (c >= 'a' && c <= 'z') {
                c -= 32;
            }
            if (c != word[k]) {
                return false;
            }
        }
        return true;
    }

    /** Parses argument {@code i} as Redis's strict integer into {@link #number}; false if it is not one. */
    boolean number(int i) {
        long n = RequestParser.number(buf(i), pos(i), pos(i) + len(i));
        if (RequestParser.isBad(n)) {
            return false;
        }
        number = n;
        return true;
    }

    String text(int i) {
        return parser.text(in, i);
    }

    @Override
    public String toString() {
        return "client " + id + (name.isEmpty() ? "" : " (" + name + ")")
                + (transport == null ? "" : " " + transport.remoteAddress());
    }
}
