package io.eventloop.net;

import io.eventloop.EventLoop;
import io.eventloop.Future;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/** A protocol that records what happens to it, with futures to wait on each event. */
class Recorder implements Protocol {
    final EventLoop loop;
    /** made, eof, pause, resume, lost:null / lost:ExceptionClass; data is counted, not logged. */
    final List<String> events = new ArrayList<>();
    final ByteArrayOutputStream received = new ByteArrayOutputStream();
    final Future<Transport> made;
    final Future<Void> eof;
    /** Completes with the cause of connectionLost (null for a clean close). */
    final Future<Throwable> lost;
    Transport transport;
    /** What eofReceived returns. */
    boolean keepOpenOnEof;
    int dataEvents;
    ByteBuffer lastBuffer;
    long bytesAtPause = -1;
    long bytesAtResume = -1;
    private int awaited = -1;
    private Future<byte[]> receivedAll;

    Recorder(EventLoop loop) {
        this.loop = loop;
        this.made = loop.createFuture();
        this.eof = loop.createFuture();
        this.lost = loop.createFuture();
    }

    /** Completes once {@code total} bytes in all have been received. */
    Future<byte[]> receive(int total) {
        awaited = total;
        receivedAll = loop.createFuture();
        check();
        return receivedAll;
    }

    private void check() {
        if (receivedAll != null && received.size() >= awaited) {
            Future<byte[]> f = receivedAll;
            receivedAll = null;
            f.complete(received.toByteArray());
        }
    }

    @Override
    public void connectionMade(Transport t) {
        transport = t;
        events.add("made");
        made.complete(t);
    }

    @Override
    public void dataReceived(ByteBuffer data) {
        dataEvents++;
        lastBuffer = data;
        byte[] b = new byte[data.remaining()];
        data.get(b);
        received.write(b, 0, b.length);
        check();
    }

    @Override
    public boolean eofReceived() {
        events.add("eof");
        eof.complete(null);
        return keepOpenOnEof;
    }

    @Override
    public void connectionLost(Throwable cause) {
        events.add("lost:" + (cause == null ? "null" : cause.getClass().getSimpleName()));
        lost.complete(cause);
        if (receivedAll != null) {
            receivedAll.fail(new AssertionError("connection lost after " + received.size() + " of " + awaited
                    + " bytes", cause));
            receivedAll = null;
        }
    }

    @Override
    public void pauseWriting() {
        events.add("pause");
        bytesAtPause = transport.writeBufferSize();
    }

    @Override
    public void resumeWriting() {
        events.add("resume");
        bytesAtResume = transport.writeBufferSize();
    }
}
