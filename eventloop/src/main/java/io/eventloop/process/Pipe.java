package io.eventloop.process;

import io.eventloop.EventLoop;
import io.eventloop.net.Protocol;
import io.eventloop.net.Transport;
import java.net.InetSocketAddress;
import java.net.SocketOption;

/**
 * What a child's pipe is as a {@link Transport} whichever way it carries bytes ({@link PipeReader},
 * {@link PipeWriter}): its loop, its name, its protocol, and no address or socket option.
 */
abstract class Pipe implements Transport {
    final EventLoop loop;
    /** For messages and the thread's name: "stdout of process 1234". */
    final String name;
    /** Loop thread only. */
    Protocol protocol;

    Pipe(EventLoop loop, String name) {
        this.loop = loop;
        this.name = name;
    }

    /** A pipe has no address: null. */
    @Override
    public InetSocketAddress localAddress() {
        return null;
    }

    /** A pipe has no address: null. */
    @Override
    public InetSocketAddress remoteAddress() {
        return null;
    }

    @Override
    public <T> Transport setOption(SocketOption<T> option, T value) {
        throw new UnsupportedOperationException("the " + name + " is a pipe: no socket option " + option);
    }

    @Override
    public <T> T getOption(SocketOption<T> option) {
        throw new UnsupportedOperationException("the " + name + " is a pipe: no socket option " + option);
    }

    @Override
    public Protocol protocol() {
        return protocol;
    }

    @Override
    public void setProtocol(Protocol p) {
        loop.checkThread("setProtocol");
        protocol = p;
    }

    @Override
    public EventLoop loop() {
        return loop;
    }
}
