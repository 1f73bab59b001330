package io.reploid.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.reploid.LoadReport;
import io.reploid.internal.Transports;
import io.reploid.internal.protocol.Frame;
import io.reploid.internal.protocol.FrameDecoders;
import io.reploid.internal.protocol.Protocol;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The gateway side of the service protocol, driven by a test: listens on 127.0.0.1 (ephemeral port),
 * records every frame an instance sends and lets the test send frames back. Payload frames are copied
 * into {@link Response}/{@link Pushed} records and released on arrival. Thread-safe.
 */
final class ScriptedGateway implements AutoCloseable {
    static final long TIMEOUT_SECONDS = 30;

    /** Recorded when a connection closes. */
    enum Closed { CLOSED }

    record Response(String clientId, long epoch, long requestId, String payload) {
    }

    record Pushed(String clientId, long epoch, String payload) {
    }

    private final EventLoopGroup group = Transports.newGroup(1, "scripted-gateway");
    private final BlockingQueue<Peer> accepted = new LinkedBlockingQueue<>();
    private final Channel server;

    ScriptedGateway() {
        server = new ServerBootstrap()
                .group(group)
                .channel(Transports.serverChannel())
                .childHandler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        FrameDecoders.addCodec(ch.pipeline(), Protocol.DEFAULT_MAX_FRAME_SIZE);
                        Peer peer = new Peer(ch);
                        ch.pipeline().addLast(new Recorder(peer));
                        accepted.add(peer);
                    }
                })
                .bind("127.0.0.1", 0).syncUninterruptibly().channel();
    }

    /** {@code 127.0.0.1:port}. */
    String address() {
        return "127.0.0.1:" + ((InetSocketAddress) server.localAddress()).getPort();
    }

    /** The next connection an instance opened. */
    Peer accept() {
        return poll(accepted, "a connection from the instance");
    }

    /** The next connection, after its REGISTER was answered with REGISTERED and its ANNOUNCE read. */
    Peer acceptRegistered(int heartbeatMillis) {
        Peer peer = accept();
        peer.next(Frame.Register.class);
        peer.send(new Frame.Registered(Protocol.VERSION, "gw-test", heartbeatMillis));
        peer.next(Frame.Announce.class);
        return peer;
    }

    @Override
    public void close() {
        server.close().syncUninterruptibly();
        group.shutdownGracefully(0, 5, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private static <T> T poll(BlockingQueue<T> queue, String what) {
        try {
            T item = queue.poll(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            if (item == null) {
                fail("no " + what + " within " + TIMEOUT_SECONDS + " s");
            }
            return item;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** One connection from an instance. */
    static final class Peer {
        final Channel channel;
        private final BlockingQueue<Object> frames = new LinkedBlockingQueue<>();
        private final BlockingQueue<LoadReport> loads = new LinkedBlockingQueue<>();

        Peer(Channel channel) {
            this.channel = channel;
        }

        /** The next frame other than LOAD, which must be of {@code type}. */
        <T> T next(Class<T> type) {
            Object frame = poll(frames, type.getSimpleName());
            assertThat(frame).isInstanceOf(type);
            return type.cast(frame);
        }

        /** The next LOAD report. */
        LoadReport nextLoad() {
            return poll(loads, "LOAD");
        }

        /** Frames other than LOAD received and not yet taken. */
        int pending() {
            return frames.size();
        }

        void send(Frame frame) {
            channel.writeAndFlush(frame).syncUninterruptibly();
        }

        void request(String clientId, long epoch, long requestId, String payload) {
            send(new Frame.ClientRequest(clientId, epoch, requestId,
                    Unpooled.copiedBuffer(payload, StandardCharsets.UTF_8)));
        }

        /** Writes raw bytes, bypassing the encoder. */
        void sendRaw(byte[] bytes) {
            channel.writeAndFlush(Unpooled.wrappedBuffer(bytes)).syncUninterruptibly();
        }

        void close() {
            channel.close().syncUninterruptibly();
        }
    }

    private static final class Recorder extends SimpleChannelInboundHandler<Frame> {
        private final Peer peer;

        Recorder(Peer peer) {
            this.peer = peer;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, Frame frame) {
            if (frame instanceof Frame.Load load) {
                peer.loads.add(load.report());
            } else if (frame instanceof Frame.ClientResponse r) {
                peer.frames.add(new Response(r.clientId(), r.epoch(), r.requestId(), text(r)));
            } else if (frame instanceof Frame.ClientPush p) {
                peer.frames.add(new Pushed(p.clientId(), p.epoch(), text(p)));
            } else {
                peer.frames.add(frame);
            }
        }

        private static String text(Frame.PayloadFrame frame) {
            return new String(ByteBufUtil.getBytes(frame.payload()), StandardCharsets.UTF_8);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            peer.frames.add(Closed.CLOSED);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            peer.frames.add(cause);
            ctx.close();
        }
    }
}
