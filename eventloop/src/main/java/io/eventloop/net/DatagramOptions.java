package io.eventloop.net;

import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.ProtocolFamily;
import java.net.StandardProtocolFamily;
import java.util.ArrayList;
import java.util.List;

/**
 * How a datagram endpoint is set up: the socket options of asyncio's
 * {@code loop.create_datagram_endpoint()} keyword arguments ({@code reuse_port},
 * {@code allow_broadcast}, {@code family}) and what asyncio leaves to {@code sock=} (multicast
 * groups, buffer sizes), plus the two limits of our own (the maximum datagram size and the read
 * batch). Immutable: each method returns a changed copy, so a value can be shared.
 *
 * <pre>{@code
 * DatagramOptions options = DatagramOptions.defaults()
 *         .reusePort(true)
 *         .joinGroup(InetAddress.getByName("239.1.2.3"), NetworkInterface.getByName("eth0"));
 * }</pre>
 *
 * <p>Every setter checks its argument and throws {@link IllegalArgumentException} naming the value.
 */
public final class DatagramOptions {
    /**
     * The largest payload of a UDP datagram over IPv4: 65,535 bytes less the 8-byte UDP header
     * and the 20-byte IP header. The default maximum datagram size.
     */
    public static final int DEFAULT_MAX_DATAGRAM_SIZE = 65_507;
    /** The largest payload of a UDP datagram over IPv6 without jumbograms: 65,535 less the UDP header. */
    public static final int LARGEST_DATAGRAM_SIZE = 65_527;
    /**
     * Datagrams read per readiness of a socket when none is given: 32, libuv's count for
     * {@code uv__udp_recvmsg} (uvloop's). The socket stays ready while more wait, so the next
     * iteration reads the next batch after the callbacks already queued: a peer flooding one
     * endpoint cannot hold the loop for more than one batch.
     */
    public static final int DEFAULT_READ_BATCH = 32;
    /** The largest read batch accepted. */
    public static final int MAX_READ_BATCH = 4096;

    private static final DatagramOptions DEFAULTS = new DatagramOptions();

    private boolean reuseAddress;
    private boolean reusePort;
    private boolean broadcast;
    private int receiveBufferSize;
    private int sendBufferSize;
    private int maxDatagramSize = DEFAULT_MAX_DATAGRAM_SIZE;
    private int readBatch = DEFAULT_READ_BATCH;
    private ProtocolFamily family;
    private List<Membership> groups = List.of();
    private NetworkInterface multicastInterface;
    private int multicastTtl = -1;
    private Boolean multicastLoopback;

    /** A multicast group to join, on an interface, optionally for one source only. */
    record Membership(InetAddress group, NetworkInterface networkInterface, InetAddress source) {
    }

    private DatagramOptions() {
    }

    private DatagramOptions copy() {
        DatagramOptions o = new DatagramOptions();
        o.reuseAddress = reuseAddress;
        o.reusePort = reusePort;
        o.broadcast = broadcast;
        o.receiveBufferSize = receiveBufferSize;
        o.sendBufferSize = sendBufferSize;
        o.maxDatagramSize = maxDatagramSize;
        o.readBatch = readBatch;
        o.family = family;
        o.groups = groups;
        o.multicastInterface = multicastInterface;
        o.multicastTtl = multicastTtl;
        o.multicastLoopback = multicastLoopback;
        return o;
    }

    /**
     * Everything at its default: no reuse, no broadcast, the kernel's buffer sizes, a maximum
     * datagram size of {@value #DEFAULT_MAX_DATAGRAM_SIZE} bytes, a read batch of
     * {@value #DEFAULT_READ_BATCH}, the address family of the addresses given.
     *
     * @return the default options
     */
    public static DatagramOptions defaults() {
        return DEFAULTS;
    }

    /**
     * {@code SO_REUSEADDR}. asyncio refuses it for datagram endpoints since Python 3.8.1, because
     * on Linux it lets another process bind the same unicast address and receive part of the
     * traffic (bpo-37228); it is here for multicast receivers that several programs share, where
     * {@link #reusePort(boolean)} is the better choice on Linux.
     *
     * @param on whether to set it
     * @return a copy with the option changed
     */
    public DatagramOptions reuseAddress(boolean on) {
        DatagramOptions o = copy();
        o.reuseAddress = on;
        return o;
    }

    /**
     * {@code SO_REUSEPORT}: several sockets of the same user bind the same address and port, and
     * the kernel spreads unicast datagrams among them. asyncio's {@code reuse_port=True}.
     *
     * @param on whether to set it
     * @return a copy with the option changed
     */
    public DatagramOptions reusePort(boolean on) {
        DatagramOptions o = copy();
        o.reusePort = on;
        return o;
    }

    /**
     * {@code SO_BROADCAST}: allows sending to a broadcast address (IPv4 only); without it such a
     * send is refused and reported to {@link DatagramProtocol#errorReceived}. asyncio's
     * {@code allow_broadcast=True}.
     *
     * @param on whether to set it
     * @return a copy with the option changed
     */
    public DatagramOptions broadcast(boolean on) {
        DatagramOptions o = copy();
        o.broadcast = on;
        return o;
    }

    /**
     * {@code SO_RCVBUF}: how many bytes of datagrams the kernel keeps for this socket before it
     * drops new ones (Linux doubles the value and caps it at {@code net.core.rmem_max}); 0, the
     * default, leaves the kernel's. A server that receives bursts wants more.
     *
     * @param bytes the size, 0 for the kernel's default
     * @return a copy with the option changed
     * @throws IllegalArgumentException if {@code bytes} is negative
     */
    public DatagramOptions receiveBufferSize(int bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("receiveBufferSize must not be negative: " + bytes);
        }
        DatagramOptions o = copy();
        o.receiveBufferSize = bytes;
        return o;
    }

    /**
     * {@code SO_SNDBUF}: how many bytes the kernel holds for sending before it refuses more
     * (which queues datagrams in the transport); 0, the default, leaves the kernel's.
     *
     * @param bytes the size, 0 for the kernel's default
     * @return a copy with the option changed
     * @throws IllegalArgumentException if {@code bytes} is negative
     */
    public DatagramOptions sendBufferSize(int bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("sendBufferSize must not be negative: " + bytes);
        }
        DatagramOptions o = copy();
        o.sendBufferSize = bytes;
        return o;
    }

    /**
     * The longest datagram sent or received, in bytes (default
     * {@value #DEFAULT_MAX_DATAGRAM_SIZE}, the largest over IPv4). A longer send throws
     * {@link IllegalArgumentException} naming both sizes; a longer datagram received is dropped
     * and reported as a {@link DatagramTooLargeException}. Every endpoint of a loop reads into the
     * loop's one read buffer, so a larger limit costs no memory; a smaller one is a protocol's
     * own bound (a DNS server over UDP might use 512 or 1,232).
     *
     * @param bytes the limit, from 1 to {@value #LARGEST_DATAGRAM_SIZE}
     * @return a copy with the limit changed
     * @throws IllegalArgumentException if {@code bytes} is out of that range
     */
    public DatagramOptions maxDatagramSize(int bytes) {
        if (bytes < 1 || bytes > LARGEST_DATAGRAM_SIZE) {
            throw new IllegalArgumentException("maxDatagramSize must be from 1 to " + LARGEST_DATAGRAM_SIZE
                    + " bytes: " + bytes);
        }
        DatagramOptions o = copy();
        o.maxDatagramSize = bytes;
        return o;
    }

    /**
     * How many datagrams are read per readiness of the socket (default
     * {@value #DEFAULT_READ_BATCH}). More costs fewer polls under load; fewer keeps a flooded
     * endpoint's turn shorter.
     *
     * @param datagrams the batch, from 1 to {@value #MAX_READ_BATCH}
     * @return a copy with the batch changed
     * @throws IllegalArgumentException if {@code datagrams} is out of that range
     */
    public DatagramOptions readBatch(int datagrams) {
        if (datagrams < 1 || datagrams > MAX_READ_BATCH) {
            throw new IllegalArgumentException("readBatch must be from 1 to " + MAX_READ_BATCH + ": " + datagrams);
        }
        DatagramOptions o = copy();
        o.readBatch = datagrams;
        return o;
    }

    /**
     * The address family of the socket: {@link StandardProtocolFamily#INET} or
     * {@link StandardProtocolFamily#INET6}. By default it is the family of the local address,
     * else of the remote one, else the JDK's default (IPv6 sockets that also reach IPv4
     * addresses, where the machine has IPv6). asyncio's {@code family=}.
     *
     * @param family the family, or null for the default
     * @return a copy with the family changed
     * @throws IllegalArgumentException if {@code family} is {@code UNIX}
     */
    public DatagramOptions family(ProtocolFamily family) {
        if (family != null && family != StandardProtocolFamily.INET && family != StandardProtocolFamily.INET6) {
            throw new IllegalArgumentException("a datagram endpoint is INET or INET6, not " + family);
        }
        DatagramOptions o = copy();
        o.family = family;
        return o;
    }

    /**
     * Joins the multicast group {@code group} on {@code networkInterface} once the socket is
     * bound (bind it to the group's port, on the wildcard address). May be given several times;
     * {@link DatagramTransport#joinGroup} and {@link DatagramTransport#leaveGroup} do the same
     * later.
     *
     * @param group a multicast address ({@code 224.0.0.0/4} or {@code ff00::/8})
     * @param networkInterface the interface to receive it on
     * @return a copy with the group added
     * @throws IllegalArgumentException if {@code group} is not a multicast address
     */
    public DatagramOptions joinGroup(InetAddress group, NetworkInterface networkInterface) {
        return joinGroup(group, networkInterface, null);
    }

    /**
     * {@link #joinGroup(InetAddress, NetworkInterface)} for datagrams from {@code source} only
     * (source-specific multicast).
     *
     * @param group a multicast address
     * @param networkInterface the interface to receive it on
     * @param source the only sender whose datagrams are wanted; null for any
     * @return a copy with the group added
     * @throws IllegalArgumentException if {@code group} is not a multicast address
     */
    public DatagramOptions joinGroup(InetAddress group, NetworkInterface networkInterface, InetAddress source) {
        DatagramChannelTransport.checkGroup(group, networkInterface);
        List<Membership> all = new ArrayList<>(groups);
        all.add(new Membership(group, networkInterface, source));
        DatagramOptions o = copy();
        o.groups = List.copyOf(all);
        return o;
    }

    /**
     * {@code IP_MULTICAST_IF}: the interface multicast datagrams are sent from (default: the
     * kernel's choice by route).
     *
     * @param networkInterface the interface, or null for the kernel's choice
     * @return a copy with the option changed
     */
    public DatagramOptions multicastInterface(NetworkInterface networkInterface) {
        DatagramOptions o = copy();
        o.multicastInterface = networkInterface;
        return o;
    }

    /**
     * {@code IP_MULTICAST_TTL}: how many routers a multicast datagram may cross (the kernel's
     * default is 1, this network only).
     *
     * @param ttl from 0 to 255
     * @return a copy with the option changed
     * @throws IllegalArgumentException if {@code ttl} is out of that range
     */
    public DatagramOptions multicastTtl(int ttl) {
        if (ttl < 0 || ttl > 255) {
            throw new IllegalArgumentException("multicastTtl must be from 0 to 255: " + ttl);
        }
        DatagramOptions o = copy();
        o.multicastTtl = ttl;
        return o;
    }

    /**
     * {@code IP_MULTICAST_LOOP}: whether this host's own sockets receive the multicast datagrams
     * it sends (the kernel's default is yes).
     *
     * @param on whether they do
     * @return a copy with the option changed
     */
    public DatagramOptions multicastLoopback(boolean on) {
        DatagramOptions o = copy();
        o.multicastLoopback = on;
        return o;
    }

    /**
     * Whether {@code SO_REUSEADDR} is set.
     *
     * @return the option
     */
    public boolean reuseAddress() {
        return reuseAddress;
    }

    /**
     * Whether {@code SO_REUSEPORT} is set.
     *
     * @return the option
     */
    public boolean reusePort() {
        return reusePort;
    }

    /**
     * Whether {@code SO_BROADCAST} is set.
     *
     * @return the option
     */
    public boolean broadcast() {
        return broadcast;
    }

    /**
     * The {@code SO_RCVBUF} to set, 0 for the kernel's.
     *
     * @return the size in bytes
     */
    public int receiveBufferSize() {
        return receiveBufferSize;
    }

    /**
     * The {@code SO_SNDBUF} to set, 0 for the kernel's.
     *
     * @return the size in bytes
     */
    public int sendBufferSize() {
        return sendBufferSize;
    }

    /**
     * The longest datagram sent or received.
     *
     * @return the limit in bytes
     */
    public int maxDatagramSize() {
        return maxDatagramSize;
    }

    /**
     * How many datagrams are read per readiness.
     *
     * @return the batch
     */
    public int readBatch() {
        return readBatch;
    }

    /**
     * The address family asked for, or null for the one of the addresses.
     *
     * @return the family, or null
     */
    public ProtocolFamily family() {
        return family;
    }

    List<Membership> groups() {
        return groups;
    }

    NetworkInterface multicastInterface() {
        return multicastInterface;
    }

    int multicastTtl() {
        return multicastTtl;
    }

    Boolean multicastLoopback() {
        return multicastLoopback;
    }

    @Override
    public String toString() {
        return "DatagramOptions[maxDatagramSize=" + maxDatagramSize + ", readBatch=" + readBatch
                + (family != null ? ", family=" + family : "")
                + (reuseAddress ? ", reuseAddress" : "") + (reusePort ? ", reusePort" : "")
                + (broadcast ? ", broadcast" : "")
                + (receiveBufferSize > 0 ? ", receiveBufferSize=" + receiveBufferSize : "")
                + (sendBufferSize > 0 ? ", sendBufferSize=" + sendBufferSize : "")
                + (groups.isEmpty() ? "" : ", groups=" + groups) + "]";
    }
}
