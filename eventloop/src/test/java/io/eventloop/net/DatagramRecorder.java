package io.eventloop.net;

import io.eventloop.EventLoop;
import io.eventloop.Future;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** A datagram protocol that records what happens to it, with futures to wait on each event. */
class DatagramRecorder implements DatagramProtocol {
    /** One datagram received: its bytes and its sender. */
    record Received(byte[] data, SocketAddress from) {
        String text() {
            return new String(data, StandardCharsets.UTF_8);
        }
    }

    final EventLoop loop;
    /** made, error:Class, pause, resume, lost:null / lost:Class; datagrams are kept in {@link #received}. */
    final List<String> events = new ArrayList<>();
    final List<Received> received = new ArrayList<>();
    final List<Exception> errors = new ArrayList<>();
    final Future<DatagramTransport> made;
    /** Completes with the cause of connectionLost (null for a clean close). */
    final Future<Throwable> lost;
    DatagramTransport transport;
    /** Whether each datagram is sent back to its sender. */
    boolean echo;
    long queuedAtPause = -1;
    long queuedAtResume = -1;
    private int awaitedDatagrams = -1;
    private Future<List<Received>> datagrams;
    private Future<Exception> nextError;

    DatagramRecorder(EventLoop loop) {
        this.loop = loop;
        this.made = loop.createFuture();
        this.lost = loop.createFuture();
    }

    /** A recorder that echoes every datagram to its sender. */
    static DatagramRecorder echo(EventLoop loop) {
        DatagramRecorder r = new DatagramRecorder(loop);
        r.echo = true;
        return r;
    }

    /** Completes once {@code total} datagrams in all have been received. */
    Future<List<Received>> receive(int total) {
        awaitedDatagrams = total;
        Future<List<Received>> f = loop.createFuture();
        datagrams = f;
        check();
        return f;
    }

    /** Completes with the next error given to errorReceived (or the first one not awaited yet). */
    Future<Exception> error() {
        nextError = loop.createFuture();
        if (!errors.isEmpty()) {
            nextError.complete(errors.remove(0));
        }
        return nextError;
    }

    private void check() {
        if (datagrams != null && received.size() >= awaitedDatagrams) {
            Future<List<Received>> f = datagrams;
            datagrams = null;
            f.complete(List.copyOf(received));
        }
    }

    @Override
    public void connectionMade(DatagramTransport t) {
        transport = t;
        events.add("made");
        made.complete(t);
    }

    @Override
    public void datagramReceived(ByteBuffer data, SocketAddress from) {
        byte[] b = new byte[data.remaining()];
        data.duplicate().get(b);
        received.add(new Received(b, from));
        if (echo) {
            transport.sendTo(data, transport.remoteAddress() != null ? null : from);
        }
        check();
    }

    @Override
    public void errorReceived(Exception error) {
        events.add("error:" + error.getClass().getSimpleName());
        if (nextError != null && !nextError.isDone()) {
            nextError.complete(error);
        } else {
            errors.add(error);
        }
    }

    @Override
    public void connectionLost(Throwable cause) {
        events.add("lost:" + (cause == null ? "null" : cause.getClass().getSimpleName()));
        lost.complete(cause);
        if (datagrams != null) {
            datagrams.fail(new AssertionError("endpoint lost after " + received.size() + " of " + awaitedDatagrams
                    + " datagrams", cause));
            datagrams = null;
        }
    }

    @Override
    public void pauseWriting() {
        events.add("pause");
        queuedAtPause = transport.writeBufferSize();
    }

    @Override
    public void resumeWriting() {
        events.add("resume");
        queuedAtResume = transport.writeBufferSize();
    }
}
