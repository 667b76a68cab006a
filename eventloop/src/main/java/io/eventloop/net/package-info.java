/**
 * Stream networking on the loop (TCP, and Unix domain sockets), in asyncio's two layers, and UDP
 * datagram endpoints.
 *
 * <h2>The two layers</h2>
 * <ul>
 *   <li><b>Transports and protocols</b> — {@link io.eventloop.EventLoop#createServer},
 *       {@link io.eventloop.EventLoop#createConnection}, {@link io.eventloop.net.Protocol} (your
 *       callbacks), {@link io.eventloop.net.Transport} (writing with buffering and water marks,
 *       pausing, half-close, abort), {@link io.eventloop.net.Server}. The fast path: a request
 *       answered with a write the socket takes whole allocates nothing and changes no interest
 *       set.</li>
 *   <li><b>Streams</b> — {@link io.eventloop.EventLoop#startServer},
 *       {@link io.eventloop.EventLoop#openConnection}, {@link io.eventloop.net.StreamReader}
 *       ({@code readLine}, {@code readUntil}, {@code readExactly}, {@code read}, with limits),
 *       {@link io.eventloop.net.StreamWriter} ({@code write}, {@code drain}, {@code writeEof},
 *       {@code close}, {@code waitClosed}), {@link io.eventloop.net.Connection}. Built on the first
 *       layer, as asyncio's streams are; {@link io.eventloop.net.Net#streamReaderProtocol} and
 *       {@link io.eventloop.net.Net#connection} put them on a transport of your own.</li>
 *   <li><b>TLS</b> — {@link io.eventloop.net.TlsConfig} and the {@code Net} overloads that take one
 *       ({@code createServer}, {@code startServer}, {@code createConnection},
 *       {@code openConnection}), {@link io.eventloop.net.Net#startTls} and
 *       {@link io.eventloop.net.StreamWriter#startTls} to upgrade in place. A layer on
 *       {@link javax.net.ssl.SSLEngine} between a transport that carries records and the protocol
 *       (package-private {@code TlsTransport}), so both layers above run over it unchanged.
 *       {@link io.eventloop.net.SelfSignedCertificate} for development and tests; {@code Pem}
 *       reads certificates and keys.</li>
 *   <li><b>Datagrams (UDP)</b> — {@link io.eventloop.net.Net#createDatagramEndpoint} (and
 *       {@link io.eventloop.EventLoop#createDatagramEndpoint}), {@link io.eventloop.net.DatagramProtocol},
 *       {@link io.eventloop.net.DatagramTransport} (sending with a queue of whole datagrams and water
 *       marks, pausing, close and abort, multicast membership), {@link io.eventloop.net.DatagramOptions}
 *       (socket options, the maximum datagram size, the read batch),
 *       {@link io.eventloop.net.DatagramTooLargeException}. asyncio's
 *       {@code create_datagram_endpoint}; the package-private {@code DatagramEndpoints} sets a
 *       socket up and {@code DatagramChannelTransport} drives it.</li>
 *   <li><b>Unix domain sockets</b> — {@link io.eventloop.net.Net#createUnixServer},
 *       {@link io.eventloop.net.Net#createUnixConnection}, {@link io.eventloop.net.Net#startUnixServer},
 *       {@link io.eventloop.net.Net#openUnixConnection}: both layers (and TLS) on a path instead
 *       of a port, the socket file managed as asyncio manages it (package-private
 *       {@code UnixSockets}).</li>
 *   <li><b>Files</b> — {@link io.eventloop.net.Transport#sendFile} and
 *       {@link io.eventloop.net.StreamWriter#sendFile}: asyncio's {@code loop.sendfile}, with
 *       {@code FileChannel.transferTo} on a socket and a chunked fallback elsewhere
 *       (package-private {@code FileSender}).</li>
 *   <li><b>Raw channels</b> — {@link io.eventloop.EventLoop#sockAccept},
 *       {@link io.eventloop.EventLoop#sockConnect}, {@link io.eventloop.EventLoop#sockRecv},
 *       {@link io.eventloop.EventLoop#sockSendAll} on non-blocking channels you own, plus
 *       {@code addReader} / {@code addWriter}. Cancelling one of these leaves no trace.</li>
 * </ul>
 * {@link io.eventloop.net.Net} holds the same operations as static functions, with the
 * overloads that take a backlog, a reader limit or a connect timeout.
 *
 * <h2>Threads and failures</h2>
 * Everything here belongs to the loop thread; other threads go through
 * {@link io.eventloop.EventLoop#callSoonThreadsafe}. An exception thrown by a protocol method or a
 * stream handler closes that connection only, and is reported once to the loop's exception
 * handler; an I/O error of a connection (a reset, a broken pipe) reaches its protocol as the cause
 * of {@code connectionLost} and is not reported (it is not a program error). A refused, timed-out
 * or cancelled connect leaves no descriptor open.
 *
 * <h2>Java NIO pitfalls, and where this package deals with each</h2>
 * <ul>
 *   <li><b>{@code Selector.select(0)} blocks forever</b>: a zero timeout means
 *       {@code selectNow()}. Nanosecond timeouts are rounded <em>up</em> to milliseconds, or a
 *       sub-millisecond timer spins the loop ({@code Scheduler.selectTimeout},
 *       {@code NioPoller.select}).</li>
 *   <li><b>{@code Selector.wakeup()} is sticky</b>: enqueue then wake never loses a wake-up; the
 *       loop skips the wake when it is known to be awake (its {@code sleeping} flag), so a busy
 *       producer costs no system call per submission.</li>
 *   <li><b>Prefer {@code interestOps(0)} to {@code key.cancel()}</b> while the channel stays
 *       open: a cancelled key lingers until the next select and cannot be registered again
 *       meanwhile. Transports keep one key for their whole life and only change its interest set
 *       ({@code SocketTransport.updateInterest}), and only when it must change.</li>
 *   <li><b>A closed channel's descriptor is released by the select that flushes its key</b>, not
 *       by {@code close()} itself. {@code Server.close()} therefore flushes the selector's
 *       cancelled keys at once ({@code NetSupport.closeRegistered}), so it refuses new connects as
 *       soon as it returns, although the loop no longer polls on every iteration; a connection's
 *       descriptor goes at the next poll. The descriptor of a cancelled connect is never reused
 *       while its key still exists (the asyncio bug python/cpython#131728 cannot happen).</li>
 *   <li><b>{@code finishConnect()} before any read or write, then clear {@code OP_CONNECT}</b>, or
 *       select keeps returning at once: {@code Connector.established} sets the interest set to 0
 *       before handing the key to the transport.</li>
 *   <li><b>Readable before writable for one key</b>, re-checking the state between them: one
 *       handler per key ({@link io.eventloop.internal.IoHandler}) reads first, then writes unless the
 *       read closed the connection.</li>
 *   <li><b>Try the I/O first; register interest only when it would block.</b>
 *       {@code Transport.write} writes to the socket when nothing is buffered and asks for
 *       {@code OP_WRITE} only on a short write; {@code sockRecv} and friends try before they
 *       wait.</li>
 *   <li><b>Accept in a bounded loop per readiness; on "too many open files" stop accepting, report,
 *       and retry after a delay</b> (one second, asyncio's {@code ACCEPT_RETRY_DELAY}): the socket
 *       stays ready while the process has no descriptor to spare, and accepting in a loop would
 *       spin (netty/netty#1578, joyent/libuv#690). The bound is 16 connections
 *       ({@code Server.ACCEPT_BATCH}, Netty's), not the backlog: with the kernel's
 *       {@code somaxconn} as backlog, asyncio's bound would be 4,096 connections in one
 *       callback.</li>
 *   <li><b>The JDK initialises some socket classes on first use, and one of them needs a
 *       descriptor to do it</b>: {@code sun.nio.ch.FileDispatcherImpl} (JDK 17; JDK 21's
 *       {@code UnixDispatcher}) opens a {@code socketpair} in its static initialiser, on the first
 *       write or close of a socket. At the descriptor limit that fails for good, from inside
 *       {@code Selector.select}, and every later close throws {@code NoClassDefFoundError}. The
 *       first loop of the JVM makes one loopback connection ({@code io.eventloop.NioWarmUp}), and
 *       an {@code Error} while accepting is handled as a failed accept unless it is a
 *       {@code VirtualMachineError} ({@link io.eventloop.net.Server}, "Errors while
 *       accepting").</li>
 *   <li><b>A datagram longer than the buffer is cut short without a word</b>: Java's
 *       {@code DatagramChannel.receive} does not report {@code MSG_TRUNC}. Each read offers one byte
 *       more than the maximum datagram size, and a datagram that fills it is dropped and reported
 *       ({@code DatagramChannelTransport}). {@code read()} on a connected channel returns 0 both for
 *       "no datagram" and for an empty one, so {@code receive()} is used throughout. A
 *       {@code send} that meets a pending ICMP error throws {@link java.net.PortUnreachableException}
 *       without sending (Linux reports and clears the error instead): the datagram is sent again.</li>
 *   <li><b>{@code Selector.select(Consumer, long)}</b> (JDK 11+) hands over ready keys without the
 *       selected-key set, so no reflection into {@code sun.nio.ch} is needed to avoid its
 *       garbage.</li>
 *   <li><b>A selector can spin</b>: some JDK and kernel versions made {@code select} return 0 at
 *       once forever (JDK-6670302, netty/netty#327). After 512 premature returns in a row, or an
 *       {@code IOException} from select, the loop moves every key to a new selector
 *       ({@code NioPoller.rebuild}). An interrupt of the loop thread is cleared, not counted.</li>
 *   <li><b>Reading needs a buffer, and a buffer per connection is memory per idle connection</b>:
 *       every transport of a loop reads into one loop-wide 256 KiB direct buffer, valid only during
 *       {@code dataReceived}. The JDK would copy a heap buffer through a temporary direct one
 *       anyway.</li>
 *   <li><b>{@code SSLEngine} wraps and unwraps one record per call</b>, and
 *       {@code BUFFER_UNDERFLOW} means "a record is split across reads": {@code TlsTransport} loops,
 *       keeps only the partial record (sized to the session's packet size), and batches up to four
 *       records into one socket write. Its {@code FINISHED} status appears once, in a result, never
 *       from {@code getHandshakeStatus()}: the end of the handshake is "not handshaking any
 *       more".</li>
 *   <li><b>The engine's delegated tasks are the slow part of a handshake</b> (certificate checks,
 *       signatures): run on the loop they would stall every connection, so they run on the default
 *       executor and the connection waits without blocking.</li>
 *   <li><b>{@code SSLEngine.closeInbound()} before the peer's close_notify raises a fatal
 *       alert</b> in the JDK: a TCP EOF without close_notify is passed on as an EOF, not fed to the
 *       engine.</li>
 *   <li><b>The JDK's PKIX trust manager skips the dates of a trust anchor</b>, so a certificate
 *       trusted directly would connect after it expired: {@code Pem.trustingContext} checks them
 *       ({@code DatedTrustManager}).</li>
 *   <li><b>A socket option must sometimes be set before connecting</b> ({@code SO_RCVBUF} sets
 *       the window scale): {@link io.eventloop.net.Transport#setOption} is for the options that
 *       may change later ({@code SO_SNDBUF}, {@code TCP_NODELAY}, which transports set, as
 *       asyncio does).</li>
 * </ul>
 *
 * <h2>Compared with asyncio and Netty</h2>
 * The names and semantics are asyncio's ({@code create_server}, {@code Protocol},
 * {@code Transport}, {@code start_server}, {@code StreamReader}, {@code drain}); what Netty adds is
 * taken where asyncio is silent: a write that fails fast after a local close, a write-completion
 * future on request ({@link io.eventloop.net.Transport#flushed()}), a default connect timeout of
 * 30 s, and the selector spin guard. There is no pipeline and no reference counting: a protocol
 * is one object per connection, and received bytes are valid for the duration of one call.
 */
package io.eventloop.net;
