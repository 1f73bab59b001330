package io.reploid.gateway.internal.dashboard;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.reploid.internal.Transports;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A dashboard on its own HTTP port, for a source that is not a gateway (the simulated cluster of the
 * examples' {@code app} command): the admin port's pipeline (HTTP codec, aggregator) with only the
 * {@link Dashboard} and {@code /health} behind it. Thread-safe; {@link #close()} is idempotent.
 */
public final class DashboardServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(DashboardServer.class);

    private final Dashboard dashboard;
    private final EventLoopGroup group;
    private final Channel channel;

    private DashboardServer(Dashboard dashboard, EventLoopGroup group, Channel channel) {
        this.dashboard = dashboard;
        this.group = group;
        this.channel = channel;
    }

    /**
     * Binds {@code host:port} (0 for an ephemeral port) and serves the dashboard; closing the server
     * closes the dashboard.
     *
     * @throws IllegalStateException when the port cannot be bound
     */
    public static DashboardServer start(String host, int port, Dashboard dashboard) {
        EventLoopGroup group = Transports.newGroup(1, "reploid-dashboard-http");
        try {
            Channel ch = new ServerBootstrap()
                    .group(group)
                    .channel(Transports.serverChannel())
                    .option(ChannelOption.SO_REUSEADDR, true)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            ch.pipeline().addLast("http", new HttpServerCodec(4096, 8192, 8192));
                            ch.pipeline().addLast("aggregate", new HttpObjectAggregator(64 * 1024));
                            ch.pipeline().addLast("dashboard", new Handler(dashboard));
                        }
                    })
                    .bind(host, port).syncUninterruptibly().channel();
            return new DashboardServer(dashboard, group, ch);
        } catch (RuntimeException e) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            throw new IllegalStateException("cannot listen on " + host + ":" + port + ": " + e.getMessage(), e);
        }
    }

    /** The bound port. */
    public int port() {
        return ((InetSocketAddress) channel.localAddress()).getPort();
    }

    @Override
    public void close() {
        dashboard.close();
        channel.close().syncUninterruptibly();
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }

    /**
     * Routes to the dashboard; answers {@code /health} and {@code 404} otherwise. One per connection. The
     * request is released by {@link SimpleChannelInboundHandler}.
     */
    private static final class Handler extends SimpleChannelInboundHandler<FullHttpRequest> {
        private final Dashboard dashboard;

        Handler(Dashboard dashboard) {
            this.dashboard = dashboard;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
            if (dashboard.handle(ctx, request)) {
                return;
            }
            String path = new QueryStringDecoder(request.uri()).path();
            boolean keepAlive = HttpUtil.isKeepAlive(request);
            if (!request.decoderResult().isSuccess()) {
                Responses.send(ctx, false, false, Responses.error(HttpResponseStatus.BAD_REQUEST, "malformed HTTP request"));
            } else if (path.equals("/health")) {
                Responses.send(ctx, keepAlive, false, Responses.json(HttpResponseStatus.OK, Map.of("status", "serving")));
            } else {
                Responses.send(ctx, keepAlive, false, Responses.error(HttpResponseStatus.NOT_FOUND, "no such resource: " + path));
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            log.debug("Dashboard connection {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
            ctx.close();
        }
    }
}
