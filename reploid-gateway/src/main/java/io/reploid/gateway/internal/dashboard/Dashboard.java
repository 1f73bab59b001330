package io.reploid.gateway.internal.dashboard;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.util.AttributeKey;
import io.reploid.gateway.AdminActions;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The live cluster dashboard over HTTP, for any {@link DashboardSource}: the page ({@code /}, {@code
 * /dashboard/*}), the event stream ({@code /api/stream}), a one-off snapshot ({@code /api/snapshot}) and
 * the actions ({@code /api/actions}). The gateway's admin handler and {@link DashboardServer} both route
 * requests here first. See {@code docs/dashboard.md}.
 *
 * <p>Thread-safe; {@link #handle} runs on event loops and never blocks. Owns two threads, started when
 * first needed: the stream's ticker and the actions' executor; {@link #close()} stops them.
 */
public final class Dashboard implements AutoCloseable {
    /** Set on a channel that carries an event stream: it takes no further requests. */
    static final AttributeKey<Boolean> STREAMING = AttributeKey.valueOf(Dashboard.class, "streaming");

    private final DashboardSource source;
    private final StaticAssets assets = new StaticAssets();
    private final EventStream stream;
    private final ActionRoutes actions;

    /**
     * @param source         what to show
     * @param actions        the actions to offer, or {@code null} for none
     * @param remoteActions  whether actions are accepted from addresses other than loopback
     * @param disabledReason what {@code /api/actions} says when {@code actions} is {@code null}
     * @param tick           how often the stream sends a snapshot
     * @param threadPrefix   prefix of the two threads' names
     */
    public Dashboard(DashboardSource source, AdminActions actions, boolean remoteActions, String disabledReason,
            Duration tick, String threadPrefix) {
        this.source = Objects.requireNonNull(source, "source");
        this.stream = new EventStream(source, tick, threadPrefix + "-dashboard");
        this.actions = new ActionRoutes(actions, remoteActions, disabledReason, threadPrefix + "-actions");
    }

    /**
     * Answers a request if it is the dashboard's. The caller keeps ownership of {@code request} (the
     * body of an action is read before this returns).
     *
     * @return whether the request was the dashboard's (and is answered or being answered)
     */
    public boolean handle(ChannelHandlerContext ctx, FullHttpRequest request) {
        if (Boolean.TRUE.equals(ctx.channel().attr(STREAMING).get())) {
            return true; // an event stream is a one-way street: anything more the client sends is dropped
        }
        String path = new QueryStringDecoder(request.uri()).path();
        HttpMethod method = request.method();
        boolean get = method.equals(HttpMethod.GET) || method.equals(HttpMethod.HEAD);
        boolean head = method.equals(HttpMethod.HEAD);
        boolean keepAlive = HttpUtil.isKeepAlive(request);
        if (!request.decoderResult().isSuccess()) {
            return false;
        }
        if (path.equals("/") || path.equals("/index.html") || path.startsWith("/dashboard/")) {
            if (!get) {
                Responses.send(ctx, keepAlive, false, notAllowed(method, path, "GET, HEAD"));
                return true;
            }
            String name = path.startsWith("/dashboard/") ? path.substring("/dashboard/".length()) : "index.html";
            FullHttpResponse r = assets.response(name, request.headers().get(HttpHeaderNames.IF_NONE_MATCH));
            Responses.send(ctx, keepAlive, head, r != null ? r
                    : Responses.error(HttpResponseStatus.NOT_FOUND, "no such resource: " + path));
            return true;
        }
        switch (path) {
            case "/api/stream" -> {
                if (method.equals(HttpMethod.GET)) {
                    stream.subscribe(ctx, request);
                } else {
                    Responses.send(ctx, keepAlive, false, notAllowed(method, path, "GET"));
                }
                return true;
            }
            case "/api/snapshot" -> {
                Responses.send(ctx, keepAlive, head, get ? Responses.json(HttpResponseStatus.OK, snapshot())
                        : notAllowed(method, path, "GET, HEAD"));
                return true;
            }
            case "/api/actions" -> {
                Responses.send(ctx, keepAlive, head, get ? actions.list(ctx) : notAllowed(method, path, "GET, HEAD"));
                return true;
            }
            default -> {
                if (path.startsWith("/api/actions/")) {
                    if (method.equals(HttpMethod.POST)) {
                        actions.perform(ctx, request, path.substring("/api/actions/".length()));
                    } else {
                        Responses.send(ctx, keepAlive, false, notAllowed(method, path, "POST"));
                    }
                    return true;
                }
                return false;
            }
        }
    }

    private Map<String, Object> snapshot() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("run", Long.toString(source.run()));
        m.put("time", System.currentTimeMillis());
        m.put("events", source.events(0, 200).items());
        m.put("cluster", source.state());
        return m;
    }

    private static FullHttpResponse notAllowed(HttpMethod method, String path, String allow) {
        FullHttpResponse r = Responses.error(HttpResponseStatus.METHOD_NOT_ALLOWED,
                method + " " + path + " is not supported (allowed: " + allow + ")");
        r.headers().set(HttpHeaderNames.ALLOW, allow);
        return r;
    }

    /** How many browsers are subscribed to the stream. */
    public int subscribers() {
        return stream.subscribers();
    }

    /** Stops the threads and closes the event streams. */
    @Override
    public void close() {
        stream.close();
        actions.close();
    }
}
