package io.eventloop.bench.echo;

import java.io.IOException;

/**
 * What the driver runs against one server, slice by slice: {@link EchoLoad} (echoed messages)
 * or {@link HandshakeLoad} (new TLS connections). A slice starts with nothing in flight, runs
 * for its duration, then drains: nothing new is started and it ends once everything started has
 * finished. So between slices the server is idle, and the server work of every unit counted lies
 * inside the slice, which is what the {@link Window} (server CPU time, allocation) is read around.
 */
interface Load extends AutoCloseable {
    /** Told when a slice starts and once it has drained (on the load thread). */
    interface Window {
        void opened() throws IOException;

        void closed() throws IOException;
    }

    Window NO_WINDOW = new Window() {
        @Override
        public void opened() {
        }

        @Override
        public void closed() {
        }
    };

    /**
     * What one slice gave: {@code requests} (echoes, or handshakes) and {@code bytes} completed
     * within its {@code seconds}; {@code allRequests} and {@code allBytes} including those of the
     * drain.
     */
    record Slice(long requests, long bytes, double seconds, long allRequests, long allBytes) {
    }

    /** Drives the server for {@code seconds}, then drains; latencies of the slice go to {@code latencies}. */
    Slice slice(double seconds, Window window, LatencyHistogram latencies) throws IOException;

    /** TLS only: the protocol and cipher suite the server agreed to, for the record; null for plain TCP. */
    String negotiated();

    @Override
    void close() throws IOException;
}
