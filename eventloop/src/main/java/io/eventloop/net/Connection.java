package io.eventloop.net;

/**
 * Both halves of a stream connection, what {@link io.eventloop.EventLoop#openConnection} gives:
 * asyncio's {@code reader, writer = await asyncio.open_connection(...)} as one value.
 */
public final class Connection {
    private final StreamReader reader;
    private final StreamWriter writer;

    Connection(StreamReader reader, StreamWriter writer) {
        this.reader = reader;
        this.writer = writer;
    }

    /**
     * The reading half.
     *
     * @return the reader of the connection's incoming bytes
     */
    public StreamReader reader() {
        return reader;
    }

    /**
     * The writing half.
     *
     * @return the writer of its outgoing bytes
     */
    public StreamWriter writer() {
        return writer;
    }

    @Override
    public String toString() {
        return "Connection[" + writer.transport() + "]";
    }
}
