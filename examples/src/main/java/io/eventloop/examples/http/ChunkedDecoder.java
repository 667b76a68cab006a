package io.eventloop.examples.http;

/**
 * Decodes a chunked body (RFC 9112 §7.1) incrementally, for the server's requests and the
 * client's responses alike.
 *
 * <pre>
 *   SIZE ──"1a;ext" CRLF──&gt; DATA ──26 bytes──&gt; DATA_END ──CRLF──&gt; SIZE
 *     └──"0" CRLF──&gt; TRAILERS ──field CRLF──&gt; TRAILERS ──CRLF──&gt; DONE
 * </pre>
 *
 * <p>Strict where leniency has let requests be smuggled past proxies: every line ends in CRLF (a
 * bare LF is refused, not waited on), chunk data is followed by exactly CRLF, a size is hex digits
 * with an optional extension. Bounded: a size or extension line longer than {@code maxLine}
 * (400), trailer fields together larger than {@code maxTrailerBytes} (431), a body larger than
 * {@code maxBody} (413). Trailer fields are read and dropped.
 */
final class ChunkedDecoder {
    /** Where chunk data goes, in order, as it is decoded. */
    @FunctionalInterface
    interface Sink {
        void data(byte[] buffer, int from, int length);
    }

    private enum State { SIZE, DATA, DATA_END, TRAILERS, DONE }

    private final int maxLine;
    private final int maxTrailerBytes;
    private final long maxBody;
    private State state = State.SIZE;
    private long chunkLeft;
    private long bodyLength;
    private int trailerBytes;
    /** Bytes of the line being read already searched for its LF, so a trickled line is scanned once. */
    private int lineScanned;

    ChunkedDecoder(int maxLine, int maxTrailerBytes, long maxBody) {
        this.maxLine = maxLine;
        this.maxTrailerBytes = maxTrailerBytes;
        this.maxBody = maxBody;
    }

    /** Whether the last chunk and the trailer section have been read. */
    boolean isDone() {
        return state == State.DONE;
    }

    /**
     * Decodes {@code buffer[from, to)} as far as it goes, handing chunk data to {@code sink}.
     * Returns the index of the first byte not consumed: {@code to} when more is needed, the byte
     * after the body once {@link #isDone()}.
     */
    int decode(byte[] buffer, int from, int to, Sink sink) throws BadMessageException {
        int at = from;
        while (state != State.DONE) {
            switch (state) {
                case DATA -> {
                    int take = (int) Math.min(chunkLeft, to - at);
                    if (take == 0) {
                        return at;
                    }
                    sink.data(buffer, at, take);
                    at += take;
                    chunkLeft -= take;
                    if (chunkLeft > 0) {
                        return at;
                    }
                    state = State.DATA_END;
                }
                case DATA_END -> {
                    if (to - at < 2) {
                        return at;
                    }
                    if (buffer[at] != '\r' || buffer[at + 1] != '\n') {
                        throw new BadMessageException(400, "chunk data not followed by CRLF");
                    }
                    at += 2;
                    state = State.SIZE;
                }
                default -> { // SIZE or TRAILERS: a line
                    int eol = lineEnd(buffer, at, to);
                    if (eol < 0) {
                        return at;
                    }
                    if (state == State.SIZE) {
                        size(buffer, at, eol);
                    } else {
                        trailer(eol - at);
                    }
                    at = eol + 2;
                }
            }
        }
        return at;
    }

    /** The index of the CR of the line starting at {@code from}, or -1 if it is not complete. */
    private int lineEnd(byte[] buffer, int from, int to) throws BadMessageException {
        for (int i = from + lineScanned; i < to; i++) {
            if (buffer[i] == '\n') {
                if (i == from || buffer[i - 1] != '\r') {
                    throw new BadMessageException(400, "bare LF in chunked framing");
                }
                lineScanned = 0;
                return i - 1;
            }
        }
        lineScanned = to - from;
        if (state == State.SIZE && lineScanned > maxLine) {
            throw new BadMessageException(400, "chunk size line longer than " + maxLine + " bytes");
        }
        if (state == State.TRAILERS && trailerBytes + lineScanned > maxTrailerBytes) {
            throw tooManyTrailers();
        }
        return -1;
    }

    private void size(byte[] buffer, int from, int eol) throws BadMessageException {
        if (eol - from > maxLine) {
            throw new BadMessageException(400, "chunk size line longer than " + maxLine + " bytes");
        }
        long size = 0;
        int i = from;
        for (; i < eol && Character.digit(buffer[i], 16) >= 0; i++) {
            size = size * 16 + Character.digit(buffer[i], 16);
            if (bodyLength + size > maxBody) {
                throw new BadMessageException(413, "chunked body over the limit of " + maxBody + " bytes");
            }
        }
        int digits = i;
        while (i < eol && (buffer[i] == ' ' || buffer[i] == '\t')) {
            i++; // BWS before an extension
        }
        if (digits == from || (i < eol && buffer[i] != ';') || (i == eol && digits != eol)) {
            throw new BadMessageException(400, "malformed chunk size");
        }
        bodyLength += size;
        chunkLeft = size;
        state = size == 0 ? State.TRAILERS : State.DATA;
    }

    private void trailer(int length) throws BadMessageException {
        if (length == 0) {
            state = State.DONE;
            return;
        }
        trailerBytes += length + 2;
        if (trailerBytes > maxTrailerBytes) {
            throw tooManyTrailers();
        }
    }

    private BadMessageException tooManyTrailers() {
        return new BadMessageException(431, "trailer section larger than " + maxTrailerBytes + " bytes");
    }
}
