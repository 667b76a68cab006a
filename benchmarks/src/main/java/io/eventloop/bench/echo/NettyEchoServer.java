package io.eventloop.bench.echo;

import io.eventloop.bench.ServerTls;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerDomainSocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.ssl.SslContext;
import java.net.InetSocketAddress;
import java.net.UnixDomainSocketAddress;

/**
 * Netty 4.2's NIO echo server on one event-loop thread, which accepts and serves every
 * connection: {@code new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory())}, one
 * shared handler that writes back each buffer it reads and flushes once per read burst, and
 * stops reading from a peer while that peer's channel is not writable (Netty's water marks,
 * 32/64 KiB), the counterpart of {@link EventloopEchoServer}'s flow control. Prints
 * {@code listening on HOST:PORT} when ready; {@link ServerControl} commands on stdin.
 *
 * <p>Usage: {@code NettyEchoServer [port] [--tls CERT.pem KEY.pem] [--unix PATH]} (port 0, the
 * default: a free port; {@code --unix} listens on a Unix domain socket at PATH instead, with
 * Netty 4.2's {@code NioServerDomainSocketChannel} on the JDK's {@code UnixDomainSocketAddress}, and
 * prints {@code listening on PATH}). With {@code --tls} each connection's pipeline is Netty's {@code SslHandler} on the JDK's
 * {@code SSLEngine} ({@link ServerTls#netty}), then the same echo handler, which sees plaintext.
 */
public final class NettyEchoServer {
    private NettyEchoServer() {
    }

    @ChannelHandler.Sharable
    static final class Echo extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ctx.write(msg, ctx.voidPromise());
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            ctx.flush();
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            ctx.channel().config().setAutoRead(ctx.channel().isWritable());
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

    public static void main(String[] args) throws Exception {
        int port = ServerTls.port(args);
        SslContext tls = ServerTls.netty(args);
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        long loopThread = group.next().submit(() -> Thread.currentThread().getId()).get();
        ServerControl.start(() -> loopThread);
        Echo echo = new Echo();
        java.nio.file.Path unix = EventloopEchoServer.unixPath(args);
        ServerBootstrap b = new ServerBootstrap().group(group);
        if (unix != null) {
            java.nio.file.Files.deleteIfExists(unix);
            b.channel(NioServerDomainSocketChannel.class);
        } else {
            b.channel(NioServerSocketChannel.class).childOption(ChannelOption.TCP_NODELAY, true);
        }
        Channel server = b
                .childHandler(tls == null ? echo : new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(tls.newHandler(ch.alloc()), echo);
                    }
                })
                .bind(unix != null ? UnixDomainSocketAddress.of(unix) : new InetSocketAddress("127.0.0.1", port))
                .sync().channel();
        System.out.println("listening on " + (unix != null ? unix.toString()
                : "127.0.0.1:" + ((InetSocketAddress) server.localAddress()).getPort()));
        System.out.flush();
        server.closeFuture().sync();
    }
}
