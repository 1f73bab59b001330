package io.reploid.gateway.internal;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import io.reploid.ErrorCode;
import io.reploid.internal.HostAndPort;
import io.reploid.internal.protocol.Frame;
import io.reploid.internal.protocol.FrameType;
import io.reploid.internal.protocol.Protocol;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One instance's connection to the gateway (the service port): registration, heartbeats, announced
 * clients, and answers and pushes for clients.
 *
 * <p>Threading: one per channel, used only on its event loop. Buffer ownership: inbound frames are
 * released here, except answers and pushes, whose ownership passes to {@link ClientConnection#deliver}.
 */
final class InstanceConnection extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(InstanceConnection.class);

    private final Cluster cluster;
    private final GatewayConfig config;
    private Channel channel;
    private InstanceRecord record;
    private ScheduledFuture<?> handshakeTimer;
    private boolean failed;

    InstanceConnection(Cluster cluster) {
        this.cluster = cluster;
        this.config = cluster.config;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        channel = ctx.channel();
        handshakeTimer = ctx.executor().schedule(() -> {
            if (record == null) {
                fail(ErrorCode.HANDSHAKE_REQUIRED, "no REGISTER within " + config.handshakeTimeout().toMillis() + " ms");
            }
        }, config.handshakeTimeout().toMillis(), TimeUnit.MILLISECONDS);
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        boolean handedOver = false;
        try {
            if (failed) {
                return;
            }
            Frame frame = (Frame) msg;
            FrameType type = frame.type();
            if (!type.allowedOn(FrameType.Side.SERVICE)) {
                fail(ErrorCode.UNEXPECTED_FRAME, type + " is a client frame; it is not allowed on the service port");
                return;
            }
            if (type == FrameType.PING) {
                channel.writeAndFlush(new Frame.Pong(((Frame.Ping) frame).nonce()));
                return;
            }
            if (type == FrameType.PONG) {
                if (record != null) {
                    record.pong(((Frame.Pong) frame).nonce());
                }
                return;
            }
            if (type == FrameType.ERROR) {
                log.warn("Instance {} reported {}", record == null ? channel.remoteAddress() : record.id(), frame);
                return;
            }
            if (type == FrameType.REGISTER) {
                register((Frame.Register) frame);
                return;
            }
            if (type == FrameType.GATEWAY_HELLO && record == null) {
                gatewayLink(ctx, (Frame.GatewayHello) frame);
                return;
            }
            if (record == null) {
                fail(ErrorCode.HANDSHAKE_REQUIRED, type + " before REGISTER");
                return;
            }
            switch (type) {
                case LOAD -> load((Frame.Load) frame);
                case ANNOUNCE -> announce((Frame.Announce) frame);
                case CLIENT_RESPONSE -> handedOver = toClient(frame, ((Frame.ClientResponse) frame).clientId(),
                        ((Frame.ClientResponse) frame).epoch());
                case CLIENT_PUSH -> handedOver = toClient(frame, ((Frame.ClientPush) frame).clientId(),
                        ((Frame.ClientPush) frame).epoch());
                case CLIENT_ERROR -> handedOver = toClient(frame, ((Frame.ClientError) frame).clientId(),
                        ((Frame.ClientError) frame).epoch());
                case EXPORTED -> cluster.migrator.exported(record, (Frame.Exported) frame);
                case RELEASE -> {
                    Frame.Release r = (Frame.Release) frame;
                    cluster.release(record, r.clientId(), r.epoch());
                }
                default -> fail(ErrorCode.UNEXPECTED_FRAME, type + " is sent by gateways, not by instances");
            }
        } finally {
            if (!handedOver) {
                ReferenceCountUtil.release(msg);
            }
        }
    }

    /** Another gateway dialed this service port: the connection becomes a gateway link. */
    private void gatewayLink(ChannelHandlerContext ctx, Frame.GatewayHello hello) {
        GatewayMesh mesh = cluster.directory instanceof GatewayMesh m ? m : null;
        if (mesh == null) {
            fail(ErrorCode.UNEXPECTED_FRAME, "gateway " + config.gatewayId() + " uses the pin directory "
                    + cluster.directory.describe() + ", not gateway links; GATEWAY_HELLO from '" + hello.gatewayId()
                    + "' refused");
            return;
        }
        handshakeTimer.cancel(false);
        GatewayLinkHandler link = new GatewayLinkHandler(mesh, true);
        ctx.pipeline().replace(this, "gateway", link);
        link.accept(hello);
    }

    private void register(Frame.Register reg) {
        if (record != null) {
            fail(ErrorCode.ALREADY_HANDSHAKEN, "second REGISTER on this connection (instance '" + record.id() + "')");
            return;
        }
        String address = reg.address();
        if (address.isBlank() && channel.remoteAddress() instanceof InetSocketAddress remote) {
            address = HostAndPort.format(InetSocketAddress.createUnresolved(remote.getAddress().getHostAddress(),
                    remote.getPort()));
        }
        InstanceRecord r = cluster.register(channel, reg, address);
        if (r == null) {
            fail(ErrorCode.DUPLICATE_INSTANCE, "instance id '" + reg.instanceId()
                    + "' is already registered by another live connection");
            return;
        }
        record = r;
        handshakeTimer.cancel(false);
        channel.write(new Frame.Registered(Protocol.VERSION, config.gatewayId(),
                (int) config.heartbeatInterval().toMillis()));
        Frame.Gateways gateways = cluster.gatewaysFrame();
        if (gateways != null) {
            channel.write(gateways);
        }
        channel.writeAndFlush(cluster.membersFrame());
    }

    private void load(Frame.Load load) {
        cluster.reportedDraining(record, load.draining());
        boolean wasHealthy = record.load().selfHealthy();
        record.load(load.report());
        if (wasHealthy != load.report().selfHealthy()) {
            log.info("Instance {} reports itself {}", record.id(), load.report().selfHealthy() ? "healthy" : "unhealthy");
            cluster.placement.refresh();
        }
    }

    private void announce(Frame.Announce announce) {
        List<Frame.HeldClient> revoked = cluster.announce(record, announce.clients());
        for (Frame.HeldClient h : revoked) {
            channel.write(new Frame.Detach(h.clientId(), h.epoch(), Frame.DetachReason.REVOKED));
        }
        if (!revoked.isEmpty()) {
            log.info("Instance {} announced {} clients pinned elsewhere; revoked them", record.id(), revoked.size());
            channel.flush();
        }
    }

    private boolean toClient(Frame frame, String clientId, long epoch) {
        ClientConnection client = cluster.client(clientId);
        if (client == null) {
            return false;
        }
        client.deliver(frame, epoch);
        return true;
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (ctx.channel().isWritable() && record != null) {
            Channel c;
            while ((c = record.pausedClients.poll()) != null) {
                ClientConnection client = c.pipeline().get(ClientConnection.class);
                if (client != null) {
                    client.resumeFromInstance();
                }
            }
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (handshakeTimer != null) {
            handshakeTimer.cancel(false);
        }
        if (record != null) {
            cluster.connectionLost(record, channel);
            Channel c;
            while ((c = record.pausedClients.poll()) != null) {
                ClientConnection client = c.pipeline().get(ClientConnection.class);
                if (client != null) {
                    client.resumeFromInstance();
                }
            }
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ConnectionErrors.caught(ctx, cause, log, "instance connection " + ctx.channel().remoteAddress()
                + (record == null ? "" : " (" + record.id() + ")"), this::fail);
    }

    private void fail(ErrorCode code, String message) {
        if (failed) {
            return;
        }
        failed = true;
        log.warn("Closing instance connection {} ({}): {} {}", channel.remoteAddress(),
                record == null ? "not registered" : record.id(), code, message);
        channel.config().setAutoRead(false);
        channel.writeAndFlush(new Frame.Error(0, code, message)).addListener(ChannelFutureListener.CLOSE);
    }
}
