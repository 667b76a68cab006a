package io.eventloop.examples.kv;

import io.eventloop.Async;
import io.eventloop.examples.LoopThread;

/** A kv-server on an ephemeral loopback port, on a loop thread of its own; closing stops both. */
final class KvFixture implements AutoCloseable {
    final LoopThread thread;
    final KvServer server;

    KvFixture(KvServer.Limits limits) throws Exception {
        thread = new LoopThread("kv-server-test");
        try {
            server = thread.call(() -> KvServer.start(thread.loop, "127.0.0.1", 0, limits, null));
        } catch (Exception e) {
            thread.close();
            throw e;
        }
    }

    KvFixture() throws Exception {
        this(KvServer.Limits.defaults());
    }

    int port() {
        return server.port();
    }

    /** Clients connected, asked on the loop thread. */
    int clients() throws Exception {
        return thread.call(() -> Async.completed(server.clients()));
    }

    @Override
    public void close() throws Exception {
        try {
            thread.call(() -> {
                server.close();
                server.server().abortClients();
                return server.server().waitClosed();
            });
        } finally {
            thread.close();
        }
    }
}
