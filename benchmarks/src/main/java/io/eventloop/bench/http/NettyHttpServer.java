package io.eventloop.bench.http;

import io.eventloop.bench.ServerTls;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.ssl.SslContext;
import io.netty.util.AsciiString;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * Netty 4.2's NIO HTTP/1.1 hello-world server on one event-loop thread, the peer of this
 * library's {@code http-server} example in {@code benchmarks/run-http.sh}: {@code GET /} is
 * answered with the same bytes as that example sends (status line, the same headers in the same
 * order and spelling, body {@code Hello, World!}); any other request gets an empty 404.
 *
 * <p>The usual Netty shape, nothing tuned beyond what Netty's own hello-world example does:
 * {@code new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory())} as both the accepting
 * and the serving group, {@link HttpServerCodec} then one shared handler that writes a response
 * per request and flushes once per read burst (so pipelined requests leave in one write),
 * {@code TCP_NODELAY}, Netty's default (pooled) allocator. The body is one unreleasable direct
 * buffer shared by every response, so no body is copied. Keep-alive follows
 * {@link HttpUtil#isKeepAlive}: HTTP/1.1 unless {@code Connection: close}, HTTP/1.0 only with
 * {@code Connection: keep-alive} (then echoed in the response); otherwise the connection is
 * closed once the response is written.
 *
 * <p>Compared with asyncio: this is what {@code benchmarks/python/http_hello.py} is on
 * asyncio's and uvloop's protocol layer, with a full HTTP/1.1 parser in front.
 *
 * <p>Usage: {@code NettyHttpServer [port] [--tls CERT.pem KEY.pem]} (port 0, the default: a free
 * port); prints {@code listening on 127.0.0.1:PORT} when ready and serves until killed. With
 * {@code --tls} the pipeline starts with Netty's {@code SslHandler} on the JDK's
 * {@code SSLEngine} ({@link ServerTls#netty}), the peer of {@link EventloopHelloServer} in
 * {@code benchmarks/run-tls.sh}.
 */
public final class NettyHttpServer {
    /** Header names spelt exactly as the example server spells them (Netty's constants are lower case). */
    private static final AsciiString CONTENT_TYPE = AsciiString.cached("Content-Type");
    private static final AsciiString CONTENT_LENGTH = AsciiString.cached("Content-Length");
    private static final AsciiString CONNECTION = AsciiString.cached("Connection");
    private static final AsciiString DATE = AsciiString.cached("Date");
    private static final AsciiString TEXT_PLAIN_UTF8 = AsciiString.cached("text/plain; charset=utf-8");
    private static final AsciiString KEEP_ALIVE = AsciiString.cached("keep-alive");
    private static final byte[] HELLO = "Hello, World!".getBytes(StandardCharsets.US_ASCII);
    private static final AsciiString HELLO_LENGTH = AsciiString.cached(Integer.toString(HELLO.length));
    private static final AsciiString ZERO = AsciiString.cached("0");

    /** IMF-fixdate (RFC 9110 §5.6.7), as the example server writes its {@code Date} field. */
    private static final DateTimeFormatter IMF_FIXDATE =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US).withZone(ZoneOffset.UTC);

    private NettyHttpServer() {
    }

    /** Answers every request; shared by all connections (it holds no per-connection state). */
    @ChannelHandler.Sharable
    static final class Hello extends ChannelInboundHandlerAdapter {
        private final ByteBuf body = Unpooled.unreleasableBuffer(
                Unpooled.directBuffer(HELLO.length).writeBytes(HELLO).asReadOnly());
        /** The {@code Date} value and the second it was formatted for; event-loop thread only. */
        private long dateSecond = -1;
        private AsciiString date;

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            try {
                if (msg instanceof HttpRequest request) {
                    respond(ctx, request);
                }
                // The request's content parts (LastHttpContent.EMPTY_LAST_CONTENT for a GET) carry nothing to answer.
            } finally {
                ReferenceCountUtil.release(msg);
            }
        }

        private void respond(ChannelHandlerContext ctx, HttpRequest request) {
            boolean hello = request.method().equals(HttpMethod.GET) && request.uri().equals("/");
            FullHttpResponse response = hello
                    ? new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK, body.duplicate())
                    : new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.NOT_FOUND);
            HttpHeaders headers = response.headers();
            if (hello) {
                headers.set(CONTENT_TYPE, TEXT_PLAIN_UTF8);
                headers.set(CONTENT_LENGTH, HELLO_LENGTH);
            } else {
                headers.set(CONTENT_LENGTH, ZERO);
            }
            headers.set(DATE, date());
            boolean keepAlive = HttpUtil.isKeepAlive(request);
            if (keepAlive && !request.protocolVersion().isKeepAliveDefault()) {
                headers.set(CONNECTION, KEEP_ALIVE);
            }
            if (keepAlive) {
                ctx.write(response, ctx.voidPromise());
            } else {
                ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
            }
        }

        /** The {@code Date} value, formatted at most once per second (the example server does the same). */
        private AsciiString date() {
            long second = System.currentTimeMillis() / 1000;
            if (second != dateSecond) {
                date = new AsciiString(IMF_FIXDATE.format(Instant.ofEpochSecond(second)));
                dateSecond = second;
            }
            return date;
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            ctx.flush();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

    /** Starts the server on 127.0.0.1 and the port in {@code args[0]} (default 0), then serves until killed. */
    public static void main(String[] args) throws Exception {
        int port = ServerTls.port(args);
        SslContext tls = ServerTls.netty(args);
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        Hello hello = new Hello();
        Channel server = new ServerBootstrap()
                .group(group)
                .channel(NioServerSocketChannel.class)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        if (tls != null) {
                            ch.pipeline().addLast(tls.newHandler(ch.alloc()));
                        }
                        ch.pipeline().addLast(new HttpServerCodec(), hello);
                    }
                })
                .bind(new InetSocketAddress("127.0.0.1", port)).sync().channel();
        System.out.println("listening on 127.0.0.1:" + ((InetSocketAddress) server.localAddress()).getPort());
        System.out.flush();
        server.closeFuture().sync();
    }
}
