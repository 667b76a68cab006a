package io.eventloop.net;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;

/**
 * A local address whose connects hang: a listening socket with backlog 1 whose accept queue is
 * filled with connections nobody accepts. Linux then drops further SYNs, so a connect to it stays
 * in progress (until the kernel gives up after a couple of minutes): a deterministic stand-in for
 * an unroutable address.
 */
final class BlackHole implements AutoCloseable {
    private final ServerSocketChannel listener;
    private final List<SocketChannel> fillers = new ArrayList<>();

    BlackHole() throws IOException {
        listener = ServerSocketChannel.open();
        listener.bind(new InetSocketAddress("127.0.0.1", 0), 1);
        try (Selector selector = Selector.open()) {
            for (int i = 0; i < 16; i++) {
                SocketChannel c = SocketChannel.open();
                c.configureBlocking(false);
                boolean connected = c.connect(listener.getLocalAddress());
                SelectionKey key = c.register(selector, SelectionKey.OP_CONNECT);
                if (!connected && selector.select(500) == 0) {
                    c.close(); // this one hung: the queue is full
                    selector.selectNow();
                    return;
                }
                key.cancel();
                selector.selectNow();
                if (!connected) {
                    c.finishConnect();
                }
                fillers.add(c);
            }
        }
        close();
        throw new IOException("could not fill the accept queue");
    }

    InetSocketAddress address() throws IOException {
        return (InetSocketAddress) listener.getLocalAddress();
    }

    @Override
    public void close() throws IOException {
        for (SocketChannel c : fillers) {
            c.close();
        }
        listener.close();
    }
}
