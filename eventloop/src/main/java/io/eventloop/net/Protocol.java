package io.eventloop.net;

import java.nio.ByteBuffer;

/**
 * What a connection does with its events: asyncio's {@code asyncio.Protocol}. The loop calls
 * these methods on its thread, one at a time; a {@link Transport} is how the protocol talks back.
 *
 * <pre>
 *   connectionMade ──&gt; dataReceived* ──&gt; eofReceived? ──&gt; connectionLost
 *        (pauseWriting / resumeWriting may come in between, in pairs)
 * </pre>
 *
 * <p>An exception thrown by any of these methods closes <em>that</em> connection: it is reported
 * once to the loop's exception handler, and {@link #connectionLost} follows with it as the cause.
 * No other connection is affected.
 *
 * <p>Compared with asyncio: the same five callbacks, with {@code data_received}'s bytes as a
 * {@link ByteBuffer} that is only valid during the call (it is the loop-wide read buffer, reused
 * for the next read: copy what you keep). Compared with Netty: this is a
 * {@code ChannelInboundHandler} without a pipeline, and without reference counting.
 */
public interface Protocol {
    /**
     * The connection is established; {@code transport} is how to write, pause reading and close.
     * Called once, first.
     *
     * @param transport the connection's transport
     */
    default void connectionMade(Transport transport) {
    }

    /**
     * Bytes arrived. {@code data} holds them between its position and limit and is valid only
     * until this method returns: the loop reads every connection into the same buffer. Passing it
     * to {@link Transport#write(ByteBuffer)} is fine (the transport copies what it cannot send at
     * once).
     *
     * @param data the bytes, between its position and its limit
     */
    default void dataReceived(ByteBuffer data) {
    }

    /**
     * The peer closed its sending side (it sent FIN). Return {@code true} to keep the connection
     * half-open, so this side may still write (and must {@link Transport#close()} it later);
     * return {@code false}, the default, to let the transport close. Called at most once, after
     * every byte was delivered; reading stops.
     *
     * @return true to keep the connection half-open, false to let it close
     */
    default boolean eofReceived() {
        return false;
    }

    /**
     * The connection is closed: the last call. {@code cause} is {@code null} for an orderly close
     * (either side), else what went wrong (an {@link java.io.IOException} such as a connection
     * reset, or the exception a protocol method threw).
     *
     * @param cause null for an orderly close, else what ended the connection
     */
    default void connectionLost(Throwable cause) {
    }

    /**
     * The transport's write buffer went above its high-water mark: stop producing until
     * {@link #resumeWriting()}. asyncio's flow control; Netty's {@code channelWritabilityChanged}
     * to false.
     */
    default void pauseWriting() {
    }

    /** The write buffer drained to its low-water mark: producing may go on. */
    default void resumeWriting() {
    }
}
