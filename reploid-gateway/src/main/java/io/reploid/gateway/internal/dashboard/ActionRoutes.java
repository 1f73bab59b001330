package io.reploid.gateway.internal.dashboard;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.reploid.balance.LoadBalancerRegistry;
import io.reploid.gateway.AdminActions;
import io.reploid.gateway.AdminActions.Action;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.NoSuchElementException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /api/actions} and {@code POST /api/actions/{action}} ({@code docs/dashboard.md}).
 *
 * <p>Requests are checked on the event loop (enabled, from loopback unless remote actions are allowed,
 * same origin, JSON body); the action itself runs on this object's single thread, never on the event
 * loop. While it runs the connection reads nothing more, so answers keep the order of requests. Thread-safe.
 */
final class ActionRoutes implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ActionRoutes.class);
    static final long TIMEOUT_SECONDS = 30;
    private static final int MAX_COUNT = 100_000;

    private final AdminActions actions;
    /** Read once: {@link AdminActions#available()} and {@code workloads()} are user code, kept off the event loop. */
    private final Set<Action> available;
    private final List<String> workloads;
    private final boolean remote;
    private final String disabledReason;
    private final ExecutorService executor;

    ActionRoutes(AdminActions actions, boolean remote, String disabledReason, String threadName) {
        this.actions = actions;
        this.available = actions == null ? Set.of() : Set.copyOf(actions.available());
        this.workloads = actions == null ? List.of() : List.copyOf(actions.workloads());
        this.remote = remote;
        this.disabledReason = disabledReason;
        this.executor = actions == null ? null : Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, threadName);
            t.setDaemon(true);
            return t;
        });
    }

    /** {@code GET /api/actions}: what the page may offer. Cheap, on the event loop. */
    FullHttpResponse list(ChannelHandlerContext ctx) {
        Map<String, Object> m = new LinkedHashMap<>();
        String refusal = refusal(ctx.channel().remoteAddress());
        m.put("enabled", refusal == null);
        m.put("actions", refusal == null ? available() : List.of());
        m.put("workloads", refusal == null ? workloads : List.of());
        m.put("balancers", refusal == null ? new ArrayList<>(new TreeSet<>(
                LoadBalancerRegistry.getDefault().providers().keySet())) : List.of());
        m.put("reason", refusal);
        return Responses.json(HttpResponseStatus.OK, m);
    }

    private String refusal(SocketAddress from) {
        if (actions == null) {
            return disabledReason;
        }
        if (!remote && !(from instanceof InetSocketAddress a && a.getAddress() != null
                && a.getAddress().isLoopbackAddress())) {
            return "admin actions are accepted from loopback only (this request came from " + from + ")";
        }
        return null;
    }

    /**
     * {@code POST /api/actions/{name}}: validates on the event loop, runs the action on the actions thread
     * and answers when it is done. The request's content is read before this returns.
     */
    void perform(ChannelHandlerContext ctx, FullHttpRequest request, String name) {
        boolean keepAlive = HttpUtil.isKeepAlive(request);
        String refusal = refusal(ctx.channel().remoteAddress());
        if (refusal != null) {
            Responses.send(ctx, keepAlive, false, Responses.error(actions == null
                    ? HttpResponseStatus.NOT_FOUND : HttpResponseStatus.FORBIDDEN, refusal));
            return;
        }
        String origin = request.headers().get(HttpHeaderNames.ORIGIN);
        String host = request.headers().get(HttpHeaderNames.HOST);
        if (origin != null && !sameOrigin(origin, host)) {
            Responses.send(ctx, keepAlive, false, Responses.error(HttpResponseStatus.FORBIDDEN,
                    "cross-origin action refused (Origin " + origin + ", Host " + host + ")"));
            return;
        }
        Action action = Arrays.stream(Action.values()).filter(a -> a.wireName().equals(name)).findFirst().orElse(null);
        if (action == null || !available.contains(action)) {
            Responses.send(ctx, keepAlive, false, Responses.error(HttpResponseStatus.NOT_FOUND, (action == null
                    ? "no action '" + name + "'" : "action '" + name + "' is not available here")
                    + " (available: " + String.join(", ", available()) + ")"));
            return;
        }
        String type = request.headers().get(HttpHeaderNames.CONTENT_TYPE);
        if (type == null || !type.toLowerCase(Locale.ROOT).startsWith("application/json")) {
            Responses.send(ctx, keepAlive, false, Responses.error(HttpResponseStatus.UNSUPPORTED_MEDIA_TYPE,
                    "actions take a JSON body (Content-Type: application/json), got " + type));
            return;
        }
        Supplier<String> task;
        try {
            task = task(action, body(request));
        } catch (IllegalArgumentException e) {
            Responses.send(ctx, keepAlive, false, Responses.error(HttpResponseStatus.BAD_REQUEST, e.getMessage()));
            return;
        }
        SocketAddress from = ctx.channel().remoteAddress();
        ctx.channel().config().setAutoRead(false);
        CompletableFuture<String> result;
        try {
            result = CompletableFuture.supplyAsync(task, executor).orTimeout(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (RejectedExecutionException e) {
            result = CompletableFuture.failedFuture(new IllegalStateException("the server is stopping"));
        }
        result.whenComplete((message, failure) -> {
            FullHttpResponse response = failure == null ? done(action, message) : failed(action, failure);
            log.info("Admin action {} from {}: {}", name, from, failure == null ? message : failure.toString());
            try {
                ctx.executor().execute(() -> {
                    Responses.send(ctx, keepAlive, false, response);
                    ctx.channel().config().setAutoRead(true);
                });
            } catch (RejectedExecutionException e) {
                response.release(); // the server is stopping; the connection goes with it
            }
        });
    }

    private List<String> available() {
        List<String> names = new ArrayList<>();
        for (Action a : Action.values()) {
            if (available.contains(a)) {
                names.add(a.wireName());
            }
        }
        return names;
    }

    private static boolean sameOrigin(String origin, String host) {
        try {
            URI uri = URI.create(origin);
            String hostPort = uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort());
            return host != null && hostPort.equalsIgnoreCase(host.strip());
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static JsonNode body(FullHttpRequest request) {
        String text = request.content().toString(StandardCharsets.UTF_8).strip();
        if (text.isEmpty()) {
            text = "{}";
        }
        JsonNode node;
        try {
            node = Responses.JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("the body is not JSON: " + e.getOriginalMessage());
        }
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException("the body must be a JSON object");
        }
        return node;
    }

    private Supplier<String> task(Action action, JsonNode body) {
        return switch (action) {
            case ADD_INSTANCE -> actions::addInstance;
            case CRASH_INSTANCE -> {
                String id = text(body, "instance");
                yield () -> actions.crashInstance(id);
            }
            case DRAIN_INSTANCE -> {
                String id = text(body, "instance");
                yield () -> actions.drainInstance(id);
            }
            case ADD_CLIENTS -> {
                int n = count(body);
                yield () -> actions.addClients(n);
            }
            case REMOVE_CLIENTS -> {
                int n = count(body);
                yield () -> actions.removeClients(n);
            }
            case SWITCH_BALANCER -> {
                String spec = text(body, "balancer");
                yield () -> actions.switchBalancer(spec);
            }
            case CHANGE_WORKLOAD -> {
                String workload = text(body, "workload");
                yield () -> actions.changeWorkload(workload);
            }
        };
    }

    private static String text(JsonNode body, String field) {
        JsonNode v = body.get(field);
        if (v == null || !v.isTextual() || v.asText().isBlank()) {
            throw new IllegalArgumentException("\"" + field + "\" is required (a non-empty string)");
        }
        return v.asText().strip();
    }

    private static int count(JsonNode body) {
        JsonNode v = body.get("count");
        if (v == null || !v.canConvertToInt() || !v.isIntegralNumber()) {
            throw new IllegalArgumentException("\"count\" is required (a whole number from 1 to " + MAX_COUNT + ")");
        }
        int n = v.asInt();
        if (n < 1 || n > MAX_COUNT) {
            throw new IllegalArgumentException("count: " + n + " (expected: 1 to " + MAX_COUNT + ")");
        }
        return n;
    }

    private static FullHttpResponse done(Action action, String message) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("action", action.wireName());
        m.put("message", message == null ? "done" : message);
        return Responses.json(HttpResponseStatus.OK, m);
    }

    private static FullHttpResponse failed(Action action, Throwable failure) {
        Throwable e = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        HttpResponseStatus status;
        String message = e.getMessage() == null ? e.toString() : e.getMessage();
        if (e instanceof IllegalArgumentException) {
            status = HttpResponseStatus.BAD_REQUEST;
        } else if (e instanceof NoSuchElementException || e instanceof UnsupportedOperationException) {
            status = HttpResponseStatus.NOT_FOUND;
        } else if (e instanceof IllegalStateException) {
            status = HttpResponseStatus.CONFLICT;
        } else if (e instanceof TimeoutException) {
            status = HttpResponseStatus.GATEWAY_TIMEOUT;
            message = action.wireName() + " did not finish within " + TIMEOUT_SECONDS + " s; it may still complete";
        } else {
            log.warn("Admin action {} failed", action.wireName(), e);
            status = HttpResponseStatus.INTERNAL_SERVER_ERROR;
            message = action.wireName() + " failed: " + message;
        }
        return Responses.error(status, message);
    }

    @Override
    public void close() {
        if (executor != null) {
            executor.shutdownNow();
        }
    }
}
