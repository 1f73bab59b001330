package io.reploid.gateway.internal.dashboard;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * Building and sending the dashboard's HTTP responses. Stateless.
 *
 * <p>Buffer ownership: a response passed to {@link #send} belongs to the channel from then on (the HTTP
 * encoder releases its content).
 */
final class Responses {
    static final ObjectMapper JSON = JsonMapper.builder().build();

    private Responses() {
    }

    static byte[] json(Object value) {
        try {
            return JSON.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    static FullHttpResponse json(HttpResponseStatus status, Object body) {
        ByteBuf content = Unpooled.wrappedBuffer(json(body));
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, content);
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON + "; charset=utf-8");
        r.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, content.readableBytes());
        r.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-store");
        return r;
    }

    static FullHttpResponse error(HttpResponseStatus status, String message) {
        return json(status, Map.of("error", message));
    }

    /** Sends a response, keeping the connection open if the request asked for it; a HEAD gets no body. */
    static void send(ChannelHandlerContext ctx, boolean keepAlive, boolean head, FullHttpResponse response) {
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
}
