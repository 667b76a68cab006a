package io.eventloop.net;

import static io.eventloop.net.NetSupport.LOOP;

import io.eventloop.EventLoop;
import io.eventloop.Future;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.net.ProtocolFamily;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.channels.DatagramChannel;
import java.nio.channels.UnsupportedAddressTypeException;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Making a datagram endpoint: {@link Net#createDatagramEndpoint} resolves the addresses, opens
 * and sets up the channel here, and hands it to a {@link DatagramChannelTransport}. asyncio's
 * {@code create_datagram_endpoint} does the same steps in the same order: resolve, open with the
 * family, set the options, bind, connect, then {@code connection_made}.
 */
final class DatagramEndpoints {
    private DatagramEndpoints() {
    }

    /** See {@link Net#createDatagramEndpoint(EventLoop, Supplier, SocketAddress, SocketAddress, DatagramOptions)}. */
    static Future<DatagramTransport> create(EventLoop loop, Supplier<? extends DatagramProtocol> factory,
            SocketAddress local, SocketAddress remote, DatagramOptions options) {
        Objects.requireNonNull(loop, "loop");
        Objects.requireNonNull(factory, "protocolFactory");
        Objects.requireNonNull(options, "options");
        NetSupport.checkThread(loop, "Net.createDatagramEndpoint");
        InetSocketAddress localAddress = inet(local, "local");
        InetSocketAddress remoteAddress = inet(remote, "remote");
        if (remoteAddress != null && remoteAddress.getPort() == 0) {
            throw new IllegalArgumentException("the remote address needs a port, not 0: " + remote);
        }
        return resolve(loop, localAddress, null)
                .then(l -> resolve(loop, remoteAddress, l).map(r -> open(loop, factory, l, r, options)));
    }

    /** {@code address} as an {@link InetSocketAddress}, or an error naming which address it is. */
    private static InetSocketAddress inet(SocketAddress address, String which) {
        if (address == null) {
            return null;
        }
        if (!(address instanceof InetSocketAddress inet)) {
            throw new IllegalArgumentException("the " + which + " address of a datagram endpoint is an InetSocketAddress, not "
                    + address + " (" + address.getClass().getName() + ")");
        }
        return inet;
    }

    /**
     * A resolved address: as given, or the first the name resolves to (on the default executor),
     * preferring the family of {@code like} when there is one.
     */
    private static Future<InetSocketAddress> resolve(EventLoop loop, InetSocketAddress address, InetSocketAddress like) {
        if (address == null || !address.isUnresolved()) {
            return NetSupport.completed(loop, address);
        }
        return Resolver.resolve(loop, address.getHostString(), address.getPort()).map(all -> {
            if (all.isEmpty()) {
                throw new java.net.UnknownHostException(address.getHostString() + ": no address");
            }
            if (like != null) {
                for (InetSocketAddress a : all) {
                    if ((a.getAddress() instanceof Inet6Address) == (like.getAddress() instanceof Inet6Address)) {
                        return a;
                    }
                }
            }
            return all.get(0);
        });
    }

    /** Opens, sets up, binds and connects the channel, then starts the transport; closes the channel on any failure. */
    private static DatagramTransport open(EventLoop loop, Supplier<? extends DatagramProtocol> factory,
            InetSocketAddress local, InetSocketAddress remote, DatagramOptions options) throws IOException {
        ProtocolFamily family = family(options, local, remote);
        DatagramChannel channel = family == null ? DatagramChannel.open() : DatagramChannel.open(family);
        try {
            channel.configureBlocking(false);
            setOptions(channel, options);
            // Bind first, always: multicast groups and the reuse options need a bound socket, and a
            // connect would otherwise bind implicitly to an address we never chose.
            channel.bind(local);
            List<DatagramOptions.Membership> groups = options.groups();
            List<java.nio.channels.MembershipKey> keys = new java.util.ArrayList<>(groups.size());
            for (DatagramOptions.Membership m : groups) {
                keys.add(m.source() == null ? channel.join(m.group(), m.networkInterface())
                        : channel.join(m.group(), m.networkInterface(), m.source()));
            }
            if (remote != null) {
                channel.connect(remote);
            }
            DatagramProtocol protocol = Objects.requireNonNull(factory.get(), "the protocol factory returned null");
            DatagramChannelTransport transport = new DatagramChannelTransport(loop, channel,
                    family != null ? family : familyOf(channel), protocol, options);
            keys.forEach(transport::addMembership);
            LOOP.register(loop, channel, 0, transport);
            transport.start();
            return transport;
        } catch (UnsupportedAddressTypeException e) {
            NetSupport.closeQuietly(channel);
            throw new IllegalArgumentException("the addresses do not fit one socket's family: local " + local + ", remote "
                    + remote + (options.family() != null ? ", family " + options.family() : ""), e);
        } catch (IOException | RuntimeException | Error e) {
            NetSupport.closeQuietly(channel); // a bind that failed (EADDRINUSE) leaves no socket behind
            throw e;
        }
    }

    /** The family asked for, else the local address's, else the remote's, else null (the JDK's default). */
    private static ProtocolFamily family(DatagramOptions options, InetSocketAddress local, InetSocketAddress remote) {
        if (options.family() != null) {
            return options.family();
        }
        InetSocketAddress a = local != null ? local : remote;
        if (a == null) {
            return null;
        }
        return a.getAddress() instanceof Inet6Address ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET;
    }

    private static ProtocolFamily familyOf(DatagramChannel channel) throws IOException {
        InetSocketAddress bound = (InetSocketAddress) channel.getLocalAddress();
        return bound.getAddress() instanceof Inet6Address ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET;
    }

    private static void setOptions(DatagramChannel channel, DatagramOptions options) throws IOException {
        if (options.reuseAddress()) {
            channel.setOption(StandardSocketOptions.SO_REUSEADDR, true);
        }
        if (options.reusePort()) {
            channel.setOption(StandardSocketOptions.SO_REUSEPORT, true);
        }
        if (options.broadcast()) {
            channel.setOption(StandardSocketOptions.SO_BROADCAST, true);
        }
        if (options.receiveBufferSize() > 0) {
            channel.setOption(StandardSocketOptions.SO_RCVBUF, options.receiveBufferSize());
        }
        if (options.sendBufferSize() > 0) {
            channel.setOption(StandardSocketOptions.SO_SNDBUF, options.sendBufferSize());
        }
        if (options.multicastInterface() != null) {
            channel.setOption(StandardSocketOptions.IP_MULTICAST_IF, options.multicastInterface());
        }
        if (options.multicastTtl() >= 0) {
            channel.setOption(StandardSocketOptions.IP_MULTICAST_TTL, options.multicastTtl());
        }
        if (options.multicastLoopback() != null) {
            channel.setOption(StandardSocketOptions.IP_MULTICAST_LOOP, options.multicastLoopback());
        }
    }
}
