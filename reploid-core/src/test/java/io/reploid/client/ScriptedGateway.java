package io.reploid.client;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.util.ReferenceCountUtil;
import io.reploid.ErrorCode;
import io.reploid.internal.Transports;
import io.reploid.internal.protocol.Frame;
import io.reploid.internal.protocol.FrameDecoders;
import io.reploid.internal.protocol.Protocol;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A gateway peer for client tests, on 127.0.0.1 and an ephemeral port, that follows a script: it answers
 * HELLO with WELCOME (or refuses), echoes, holds or fails requests, and lets the test push, answer, fail, close
 * connections and send arbitrary frames or bytes. It records what the client sent. Thread-safe.
 */
final class ScriptedGateway implements AutoCloseable {

    /** What the gateway does with a request. */
    enum Answers {
        /** Respond at once with the request's payload. */
        ECHO,
        /** Keep it until the test calls {@link #answer} or {@link #fail}. */
        HOLD,
        /** Fail it at once with an ERROR of code {@link #failWith}. */
        FAIL
    }

    private record Held(Channel channel, byte[] payload) {
    }

    private final String instanceId;
    private final EventLoopGroup group = Transports.newGroup(1, "scripted-gateway");
    private final ChannelGroup connections = new DefaultChannelGroup(group.next());
    private final Channel server;
    private final Map<Long, Held> held = new ConcurrentHashMap<>();
    private final AtomicLong epochs = new AtomicLong();
    private final ConcurrentLinkedQueue<ErrorCode> nextFailures = new ConcurrentLinkedQueue<>();

    /** Every HELLO received, in order. */
    final List<Frame.Hello> hellos = new CopyOnWriteArrayList<>();
    /** The id of every REQUEST received, in order. */
    final List<Long> requestIds = new CopyOnWriteArrayList<>();
    /** Every frame received other than HELLO and REQUEST (PING, PONG, ERROR...), in order. */
    final List<Frame> controlFrames = new CopyOnWriteArrayList<>();

    volatile Answers answers = Answers.ECHO;
    /** The code of the ERROR that answers requests in {@link Answers#FAIL} mode. */
    volatile ErrorCode failWith = ErrorCode.INSTANCE_UNAVAILABLE;
    /** When set, HELLO is answered with a connection-level ERROR of this code and the connection closed. */
    volatile ErrorCode refuseWith;
    volatile boolean answerPings = true;

    private ScriptedGateway(String instanceId) {
        this.instanceId = instanceId;
        this.server = new ServerBootstrap()
                .group(group)
                .channel(Transports.serverChannel())
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        FrameDecoders.addCodec(ch.pipeline(), Protocol.DEFAULT_MAX_FRAME_SIZE);
                        ch.pipeline().addLast(new Peer());
                    }
                })
                .bind("127.0.0.1", 0)
                .syncUninterruptibly()
                .channel();
    }

    /** Starts a gateway that pins every client to {@code instanceId}. */
    static ScriptedGateway start(String instanceId) {
        return new ScriptedGateway(instanceId);
    }

    InetSocketAddress address() {
        return (InetSocketAddress) server.localAddress();
    }

    /** {@code 127.0.0.1:port}, for a client builder. */
    String hostPort() {
        return "127.0.0.1:" + address().getPort();
    }

    int port() {
        return address().getPort();
    }

    /** Open client connections. */
    int connectionCount() {
        return connections.size();
    }

    /** Ids of the requests held and not yet answered, ascending. */
    Set<Long> heldIds() {
        return new TreeSet<>(held.keySet());
    }

    /** Answers a held request with its own payload. */
    void answer(long requestId) {
        Held h = held.remove(requestId);
        if (h == null) {
            throw new IllegalStateException("request " + requestId + " is not held; held: " + heldIds());
        }
        h.channel.writeAndFlush(new Frame.Response(requestId, Unpooled.wrappedBuffer(h.payload)));
    }

    /** Answers a held request with {@code payload} instead of its own. */
    void answer(long requestId, byte[] payload) {
        Held h = held.remove(requestId);
        if (h == null) {
            throw new IllegalStateException("request " + requestId + " is not held; held: " + heldIds());
        }
        h.channel.writeAndFlush(new Frame.Response(requestId, Unpooled.wrappedBuffer(payload)));
    }

    /** Fails the next requests to arrive, one per code, at once; then {@link #answers} applies again. */
    void failNext(ErrorCode... codes) {
        nextFailures.addAll(List.of(codes));
    }

    /** Answers every held request, in id order. */
    void answerAll() {
        heldIds().forEach(this::answer);
    }

    /** Fails a held request with an ERROR for it. */
    void fail(long requestId, ErrorCode code) {
        Held h = held.remove(requestId);
        if (h == null) {
            throw new IllegalStateException("request " + requestId + " is not held; held: " + heldIds());
        }
        h.channel.writeAndFlush(new Frame.Error(requestId, code, "scripted failure"));
    }

    /** Pushes a payload to every connected client. */
    void push(byte[] payload) {
        for (Channel ch : connections) {
            ch.writeAndFlush(new Frame.Push(Unpooled.wrappedBuffer(payload)));
        }
    }

    /** Sends a control frame to every connected client. */
    void send(Frame frame) {
        connections.writeAndFlush(frame);
    }

    /** Sends a control frame to every connected client, then closes their connections. */
    void sendAndClose(Frame frame) {
        for (Channel ch : connections) {
            ch.writeAndFlush(frame).addListener(ChannelFutureListener.CLOSE);
        }
    }

    /** Writes raw bytes (not a frame) to every connected client. */
    void sendRaw(byte[] bytes) {
        for (Channel ch : connections) {
            ch.writeAndFlush(Unpooled.wrappedBuffer(bytes));
        }
    }

    /** Closes every client connection; the gateway keeps accepting new ones. */
    void closeConnections() {
        connections.close().syncUninterruptibly();
    }

    /** Stops the gateway; idempotent. */
    @Override
    public void close() {
        if (group.isShuttingDown()) {
            return;
        }
        server.close().syncUninterruptibly();
        connections.close().syncUninterruptibly();
        held.clear();
        group.shutdownGracefully(0, 5, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private final class Peer extends ChannelInboundHandlerAdapter {
        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            connections.add(ctx.channel());
            ctx.fireChannelActive();
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            try {
                if (msg instanceof Frame.Hello hello) {
                    onHello(ctx, hello);
                } else if (msg instanceof Frame.Request request) {
                    requestIds.add(request.requestId());
                    byte[] payload = ByteBufUtil.getBytes(request.payload());
                    ErrorCode scripted = nextFailures.poll();
                    Answers mode = answers;
                    if (scripted != null || mode == Answers.FAIL) {
                        ctx.writeAndFlush(new Frame.Error(request.requestId(), scripted != null ? scripted : failWith,
                                "scripted failure"));
                    } else if (mode == Answers.ECHO) {
                        ctx.writeAndFlush(new Frame.Response(request.requestId(), Unpooled.wrappedBuffer(payload)));
                    } else {
                        held.put(request.requestId(), new Held(ctx.channel(), payload));
                    }
                } else if (msg instanceof Frame frame) {
                    controlFrames.add(frame);
                    if (frame instanceof Frame.Ping ping && answerPings) {
                        ctx.writeAndFlush(new Frame.Pong(ping.nonce()));
                    }
                }
            } finally {
                ReferenceCountUtil.release(msg);
            }
        }

        private void onHello(ChannelHandlerContext ctx, Frame.Hello hello) {
            hellos.add(hello);
            ErrorCode refusal = refuseWith;
            if (refusal != null) {
                ctx.writeAndFlush(new Frame.Error(0, refusal, "scripted refusal"))
                        .addListener(ChannelFutureListener.CLOSE);
            } else {
                ctx.writeAndFlush(new Frame.Welcome(Protocol.VERSION, "gateway-" + port(), instanceId,
                        epochs.incrementAndGet(), hellos.size() == 1));
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
