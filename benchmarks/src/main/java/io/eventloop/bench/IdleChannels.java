package io.eventloop.bench;

import io.eventloop.EventLoop;
import io.netty.channel.IoEventLoop;
import io.netty.channel.IoRegistration;
import io.netty.channel.nio.NioIoOps;
import io.netty.channel.nio.NioSelectableChannelIoHandle;
import java.io.IOException;
import java.nio.channels.Pipe;
import java.nio.channels.SelectionKey;
import java.util.ArrayList;
import java.util.List;

/**
 * Channels that are registered for reading and never become readable, as a server's listening
 * socket and its quiet connections are: {@code count} pipes, nothing ever written to their sink
 * ends, their source ends registered with a loop's selector with read interest.
 *
 * <p>The same kind of channel on both loops: on ours with {@link EventLoop#addReader}; on Netty's
 * NIO loop through its public I/O handle API ({@link IoEventLoop#register} of a
 * {@link NioSelectableChannelIoHandle}, then {@link NioIoOps#READ}), which puts the pipe's source
 * into Netty's selector with {@code OP_READ}, exactly what a {@code NioSocketChannel} waiting for
 * data has. Both selectors then hold {@code count} keys with read interest, none ever ready.
 * {@link #close()} deregisters (on the loop thread) and closes both ends of every pipe.
 */
final class IdleChannels implements AutoCloseable {
    private final List<Pipe> pipes = new ArrayList<>();
    private final List<IoRegistration> nettyRegistrations = new ArrayList<>();
    private LoopThread ours;
    private IoEventLoop netty;

    private IdleChannels(int count) throws IOException {
        try {
            for (int i = 0; i < count; i++) {
                Pipe pipe = Pipe.open();
                pipes.add(pipe);
                pipe.source().configureBlocking(false);
            }
        } catch (IOException | RuntimeException e) {
            closePipes();
            throw e;
        }
    }

    /** {@code count} idle pipes registered for reading on {@code thread}'s loop. */
    static IdleChannels on(LoopThread thread, int count) throws IOException {
        IdleChannels idle = new IdleChannels(count);
        idle.ours = thread;
        EventLoop loop = thread.loop;
        try {
            thread.runAndWait(() -> {
                for (Pipe p : idle.pipes) {
                    loop.addReader(p.source(), () -> {
                        throw new IllegalStateException("an idle pipe became readable");
                    });
                }
            });
        } catch (RuntimeException e) {
            idle.close();
            throw e;
        }
        return idle;
    }

    /** {@code count} idle pipes registered for reading on Netty's loop. */
    static IdleChannels on(NettyLoop netty, int count) throws IOException {
        IdleChannels idle = new IdleChannels(count);
        IoEventLoop loop = (IoEventLoop) netty.loop;
        idle.netty = loop;
        try {
            for (Pipe p : idle.pipes) {
                idle.nettyRegistrations.add(loop.register(new Idle(p.source())).syncUninterruptibly().getNow());
            }
            // Read interest, set on the loop thread as Netty's channels do; submit returns the
            // interest set now in the key.
            int interested = loop.submit(() -> {
                int n = 0;
                for (IoRegistration r : idle.nettyRegistrations) {
                    n += r.submit(NioIoOps.READ) == SelectionKey.OP_READ ? 1 : 0;
                }
                return n;
            }).syncUninterruptibly().getNow();
            if (interested != count) {
                throw new IllegalStateException(interested + " of " + count + " pipes registered for reading on Netty's loop");
            }
        } catch (RuntimeException e) {
            idle.close();
            throw e;
        }
        return idle;
    }

    /** Netty's handle for one pipe source: it is never ready, so {@code handle} never runs. */
    private static final class Idle extends NioSelectableChannelIoHandle<Pipe.SourceChannel> {
        Idle(Pipe.SourceChannel channel) {
            super(channel);
        }

        @Override
        protected void handle(Pipe.SourceChannel channel, SelectionKey key) {
            throw new IllegalStateException("an idle pipe became readable");
        }
    }

    int size() {
        return pipes.size();
    }

    @Override
    public void close() {
        if (ours != null) {
            ours.runAndWait(() -> {
                for (Pipe p : pipes) {
                    ours.loop.removeReader(p.source());
                }
            });
        }
        if (netty != null && !nettyRegistrations.isEmpty()) {
            netty.submit(() -> nettyRegistrations.forEach(IoRegistration::cancel)).syncUninterruptibly();
            nettyRegistrations.clear();
        }
        closePipes();
    }

    private void closePipes() {
        for (Pipe p : pipes) {
            try {
                p.source().close();
            } catch (IOException ignored) {
                // closing: nothing to do
            }
            try {
                p.sink().close();
            } catch (IOException ignored) {
                // closing: nothing to do
            }
        }
        pipes.clear();
    }
}
