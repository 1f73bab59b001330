package io.reploid.gateway.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin HTTP API ({@code docs/admin-api.md}). Answers from the in-memory cluster view without
 * blocking, so it runs on the event loop. Not sharable: one per connection (cheap).
 *
 * <p>Buffer ownership: the request is released by {@link SimpleChannelInboundHandler}; the response
 * buffer is released by the HTTP encoder.
 */
final class AdminHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
    private static final Logger log = LoggerFactory.getLogger(AdminHandler.class);
    static final ObjectMapper JSON = JsonMapper.builder().build();

    private final GatewayServer gateway;

    AdminHandler(GatewayServer gateway) {
        this.gateway = gateway;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        if (gateway.dashboard().handle(ctx, request)) {
            return; // the page, its event stream and the actions (docs/dashboard.md)
        }
        QueryStringDecoder uri = new QueryStringDecoder(request.uri());
        String path = uri.path();
        boolean get = request.method().equals(HttpMethod.GET) || request.method().equals(HttpMethod.HEAD);
        FullHttpResponse response;
        try {
            if (!request.decoderResult().isSuccess()) {
                response = json(HttpResponseStatus.BAD_REQUEST, Map.of("error", "malformed HTTP request"));
            } else if (path.startsWith("/api/instances/") && path.endsWith("/drain")) {
                response = drain(ctx, request, path);
            } else if (!get) {
                response = json(HttpResponseStatus.METHOD_NOT_ALLOWED,
                        Map.of("error", request.method() + " " + path + " is not supported"));
                response.headers().set(HttpHeaderNames.ALLOW, "GET, HEAD");
            } else if (path.equals("/health")) {
                boolean serving = gateway.isServing();
                response = json(serving ? HttpResponseStatus.OK : HttpResponseStatus.SERVICE_UNAVAILABLE,
                        Map.of("status", serving ? "serving" : "not serving", "gateway", gateway.gatewayId()));
            } else if (path.equals("/api/cluster")) {
                response = json(HttpResponseStatus.OK, ClusterJson.cluster(gateway));
            } else if (path.equals("/api/autoscaler")) {
                response = json(HttpResponseStatus.OK, AutoscalerStatus.json(gateway.autoscaler(), gateway.isLeader()));
            } else if (path.equals("/api/events")) {
                long after = 0;
                var param = uri.parameters().get("after");
                if (param != null && !param.isEmpty()) {
                    try {
                        after = Long.parseLong(param.get(0));
                    } catch (NumberFormatException e) {
                        after = -1;
                    }
                }
                response = after < 0
                        ? json(HttpResponseStatus.BAD_REQUEST, Map.of("error", "after must be a number"))
                        : json(HttpResponseStatus.OK, ClusterJson.events(gateway, after));
            } else if (path.startsWith("/api/clients/") && path.length() > "/api/clients/".length()) {
                String clientId = path.substring("/api/clients/".length());
                Map<String, Object> pin = ClusterJson.client(gateway, clientId);
                if (!(gateway.cluster().directory instanceof GatewayMesh)) {
                    // The shared directory is the truth (another gateway may have made or moved the pin).
                    boolean keepAlive = HttpUtil.isKeepAlive(request);
                    boolean head = request.method().equals(HttpMethod.HEAD);
                    gateway.cluster().directory.lookup(clientId).whenComplete((found, error) ->
                            ctx.executor().execute(() -> respond(ctx, keepAlive, head, lookedUp(clientId, found, error))));
                    return;
                }
                response = pin != null ? json(HttpResponseStatus.OK, pin)
                        : json(HttpResponseStatus.NOT_FOUND, Map.of("error", "no pin for client '" + clientId + "'"));
            } else {
                response = json(HttpResponseStatus.NOT_FOUND, Map.of("error", "no such resource: " + path));
            }
        } catch (RuntimeException | JsonProcessingException e) {
            log.warn("Admin request {} failed", path, e);
            response = text(HttpResponseStatus.INTERNAL_SERVER_ERROR, "internal error");
        }
        respond(ctx, HttpUtil.isKeepAlive(request), request.method().equals(HttpMethod.HEAD), response);
    }

    private static void respond(ChannelHandlerContext ctx, boolean keepAlive, boolean head, FullHttpResponse response) {
        HttpUtil.setKeepAlive(response, keepAlive);
        if (head) {
            response.content().clear();
        }
        if (keepAlive) {
            ctx.writeAndFlush(response);
        } else {
            ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
        }
    }

    /** The answer for a client this gateway has no pin for, from the shared directory. */
    private FullHttpResponse lookedUp(String clientId, java.util.Optional<io.reploid.directory.DirectoryPin> found,
            Throwable error) {
        try {
            if (error != null) {
                return json(HttpResponseStatus.SERVICE_UNAVAILABLE, Map.of("error", "the pin directory "
                        + gateway.cluster().directory.describe() + " cannot be read: " + error.getMessage()));
            }
            if (found.isEmpty()) {
                return json(HttpResponseStatus.NOT_FOUND, Map.of("error", "no pin for client '" + clientId + "'"));
            }
            io.reploid.directory.DirectoryPin d = found.get();
            Pin local = gateway.cluster().pin(clientId);
            if (local != null && local.epoch == d.epoch()) {
                return json(HttpResponseStatus.OK, ClusterJson.client(gateway, clientId));
            }
            InstanceRecord r = gateway.cluster().instance(d.instanceId());
            Map<String, Object> m = new java.util.LinkedHashMap<>();
            m.put("clientId", clientId);
            m.put("instance", d.instanceId());
            m.put("instanceState", r == null ? "unknown" : r.effectiveState().wireName());
            m.put("epoch", d.epoch());
            m.put("connected", false);
            return json(HttpResponseStatus.OK, m);
        } catch (JsonProcessingException e) {
            return text(HttpResponseStatus.INTERNAL_SERVER_ERROR, "internal error");
        }
    }

    /** {@code POST /api/instances/{id}/drain}: from loopback only, unless remote admin actions are allowed. */
    private FullHttpResponse drain(ChannelHandlerContext ctx, FullHttpRequest request, String path)
            throws JsonProcessingException {
        String id = QueryStringDecoder.decodeComponent(
                path.substring("/api/instances/".length(), path.length() - "/drain".length()));
        if (!request.method().equals(HttpMethod.POST)) {
            FullHttpResponse r = json(HttpResponseStatus.METHOD_NOT_ALLOWED,
                    Map.of("error", request.method() + " " + path + " is not supported; use POST"));
            r.headers().set(HttpHeaderNames.ALLOW, "POST");
            return r;
        }
        boolean loopback = ctx.channel().remoteAddress() instanceof java.net.InetSocketAddress a
                && a.getAddress() != null && a.getAddress().isLoopbackAddress();
        if (!loopback && !gateway.config().remoteAdminActions()) {
            return json(HttpResponseStatus.FORBIDDEN, Map.of("error", "drain is accepted from loopback only (this "
                    + "request came from " + ctx.channel().remoteAddress() + "); see remoteAdminActions"));
        }
        if (id.isEmpty()) {
            return json(HttpResponseStatus.BAD_REQUEST, Map.of("error", "no instance id in " + path));
        }
        try {
            boolean started = gateway.drain(id);
            return json(HttpResponseStatus.ACCEPTED, Map.of("instance", id, "draining", true,
                    "alreadyDraining", !started));
        } catch (java.util.NoSuchElementException e) {
            return json(HttpResponseStatus.NOT_FOUND, Map.of("error", e.getMessage()));
        }
    }

    private static FullHttpResponse json(HttpResponseStatus status, Object body) throws JsonProcessingException {
        ByteBuf content = Unpooled.wrappedBuffer(JSON.writeValueAsBytes(body));
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, content);
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON + "; charset=utf-8");
        r.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, content.readableBytes());
        r.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-store");
        return r;
    }

    private static FullHttpResponse text(HttpResponseStatus status, String body) {
        ByteBuf content = Unpooled.copiedBuffer(body, java.nio.charset.StandardCharsets.UTF_8);
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, content);
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8");
        r.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, content.readableBytes());
        return r;
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("Admin connection {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
        ctx.close();
    }
}
