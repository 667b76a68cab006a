package io.eventloop.examples;

import io.eventloop.EventLoop;
import io.eventloop.Future;
import io.eventloop.net.DatagramOptions;
import io.eventloop.net.DatagramProtocol;
import io.eventloop.net.DatagramTransport;
import io.eventloop.net.Net;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A UDP echo server: every datagram goes back to its sender. Python:
 * <pre>
 * class EchoServerProtocol(asyncio.DatagramProtocol):
 *     def connection_made(self, transport):
 *         self.transport = transport
 *     def datagram_received(self, data, addr):
 *         self.transport.sendto(data, addr)
 *
 * transport, protocol = await loop.create_datagram_endpoint(
 *     EchoServerProtocol, local_addr=(host, port))
 * </pre>
 * The two flow-control methods stop reading while the kernel refuses our datagrams (asyncio's
 * datagram transports have no {@code pause_reading}; here the rest of the burst waits in the
 * socket's receive buffer instead of growing our send queue).
 *
 * <p>{@code ./run udp-echo [--host 127.0.0.1] [--port 9999] [--max-datagram 65507]
 * [--read-batch 32] [--receive-buffer 0]}: the limits of {@link DatagramOptions}
 * (docs/operations.md); a datagram longer than {@code --max-datagram} is dropped and logged. On
 * INT or TERM it logs how many datagrams it echoed and closes the socket once its queue is sent.
 * {@code ./run udp-client} is the client that measures loss and round trips.
 */
public final class UdpEcho {
    private static final Logger log = LoggerFactory.getLogger(UdpEcho.class);

    private UdpEcho() {
    }

    /** The protocol of the one endpoint. */
    static final class Echo implements DatagramProtocol {
        /** Completes when the endpoint is closed. */
        final Future<Void> lost;
        private DatagramTransport transport;
        long echoed;
        long errors;

        Echo(EventLoop loop) {
            lost = loop.createFuture();
        }

        @Override
        public void connectionMade(DatagramTransport t) {
            transport = t;
        }

        @Override
        public void datagramReceived(ByteBuffer data, SocketAddress from) {
            transport.sendTo(data, from); // straight to the kernel; queued only if it has no room
            echoed++;
        }

        @Override
        public void errorReceived(Exception error) {
            errors++;
            log.warn("{}", error.getMessage());
        }

        @Override
        public void connectionLost(Throwable cause) {
            if (cause == null) {
                lost.complete(null);
            } else {
                lost.fail(cause);
            }
        }

        @Override
        public void pauseWriting() {
            transport.pauseReading();
        }

        @Override
        public void resumeWriting() {
            transport.resumeReading();
        }
    }

    /** Starts the endpoint on {@code loop}. */
    static Future<DatagramTransport> start(EventLoop loop, String host, int port, DatagramOptions options) {
        return Net.createDatagramEndpoint(loop, () -> new Echo(loop), new InetSocketAddress(host, port), null, options);
    }

    /** Runs the server: {@code ./run udp-echo [--host H] [--port P] [--max-datagram N] [--read-batch N] [--receive-buffer N]}. */
    public static void main(String[] args) {
        Args a = Args.parse(args, "./run udp-echo [options]",
                "host", "127.0.0.1", "port", "9999",
                "max-datagram", String.valueOf(DatagramOptions.DEFAULT_MAX_DATAGRAM_SIZE),
                "read-batch", String.valueOf(DatagramOptions.DEFAULT_READ_BATCH),
                "receive-buffer", "0");
        String host = a.get("host");
        int port = a.intValue("port");
        if (port < 0 || port > 65535) {
            a.fail("--port needs a port from 0 to 65535, got " + port);
        }
        DatagramOptions options = DatagramOptions.defaults();
        try {
            options = options.maxDatagramSize(a.intValue("max-datagram")).readBatch(a.intValue("read-batch"))
                    .receiveBufferSize(a.intValue("receive-buffer"));
        } catch (IllegalArgumentException e) {
            a.fail(e.getMessage());
        }
        DatagramOptions chosen = options;
        EventLoop.run(() -> {
            EventLoop loop = EventLoop.current();
            return start(loop, host, port, chosen).then(transport -> {
                System.out.println("listening on " + Args.hostPort(host, transport.localAddress().getPort()));
                Echo echo = (Echo) transport.protocol();
                Shutdown.onExit(loop, () -> {
                    log.info("echoed {} datagram(s), {} error(s); closing", echo.echoed, echo.errors);
                    transport.close(); // sends what is queued, then connectionLost
                    return echo.lost;
                }, 5);
                return echo.lost;
            });
        });
    }
}
