package io.reploid.gateway.internal.dashboard;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.reploid.gateway.internal.dashboard.DashboardSource.Recent;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /api/stream}: Server-Sent Events with the cluster's state, new events, sampled flows and
 * moves, once per tick, to every subscribed browser ({@code docs/dashboard.md}).
 *
 * <p>Threading: {@link #subscribe} runs on the channel's event loop and only writes the headers; the
 * messages are built and serialised once per tick on this stream's own thread, never on an event loop,
 * and handed to Netty with {@code writeAndFlush}, which is thread-safe.
 *
 * <p>Flow control: a subscriber whose channel is not writable (its write buffer is over the high water
 * mark) misses the tick: snapshots are dropped, never queued, so a slow browser costs at most the high
 * water mark plus one message. Events are not lost by a drop: each subscriber keeps its own cursor, and
 * the next message carries what it missed.
 *
 * <p>Buffer ownership: each message is a new unpooled buffer handed to {@code writeAndFlush}; the HTTP
 * encoder releases it (or Netty does when the write fails).
 */
final class EventStream implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EventStream.class);
    private static final int RETRY_MILLIS = 2000;
    private static final long KEEP_ALIVE_NANOS = TimeUnit.SECONDS.toNanos(15);
    private static final int MAX_FLOWS = 64;
    private static final int MAX_MOVES = 256;
    private static final int MAX_EVENTS_FIRST = 200;
    private static final int MAX_EVENTS = 1000;
    private static final WriteBufferWaterMark WATER_MARK = new WriteBufferWaterMark(256 * 1024, 1024 * 1024);

    private final DashboardSource source;
    private final long tickMillis;
    private final String threadName;
    private final Set<Subscriber> subscribers = ConcurrentHashMap.newKeySet();
    private ScheduledExecutorService ticker;
    private volatile boolean closed;
    // Touched by the ticker thread only.
    private long flowCursor;
    private long moveCursor;
    private long lastKeepAliveNanos = System.nanoTime();

    /** One browser. The cursor and flags are touched by the ticker thread only. */
    private static final class Subscriber {
        final Channel channel;
        long eventCursor;
        boolean first = true;
        boolean reset;
        long dropped;

        Subscriber(Channel channel) {
            this.channel = channel;
        }
    }

    EventStream(DashboardSource source, Duration tick, String threadName) {
        this.source = source;
        this.tickMillis = Math.max(10, tick.toMillis());
        this.threadName = threadName;
    }

    int subscribers() {
        return subscribers.size();
    }

    /**
     * Answers {@code GET /api/stream} with the event-stream headers and subscribes the channel. The
     * {@code Last-Event-ID} header (or the {@code lastEventId} query parameter) written as
     * {@code run-seq} resumes the event log after {@code seq} when {@code run} is this source's run.
     */
    void subscribe(ChannelHandlerContext ctx, FullHttpRequest request) {
        Channel ch = ctx.channel();
        Subscriber sub = new Subscriber(ch);
        String lastId = request.headers().get("Last-Event-ID");
        if (lastId == null) {
            List<String> q = new QueryStringDecoder(request.uri()).parameters().get("lastEventId");
            lastId = q == null || q.isEmpty() ? null : q.get(0);
        }
        resume(sub, lastId);
        HttpResponse response = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        response.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, "text/event-stream; charset=utf-8")
                .set(HttpHeaderNames.CACHE_CONTROL, "no-store")
                .set("X-Accel-Buffering", "no");
        HttpUtil.setTransferEncodingChunked(response, true);
        HttpUtil.setKeepAlive(response, true);
        ch.config().setWriteBufferWaterMark(WATER_MARK);
        ch.attr(Dashboard.STREAMING).set(Boolean.TRUE);
        ctx.write(response);
        ctx.writeAndFlush(chunk("retry: " + RETRY_MILLIS + "\n\n")).addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
        if (closed) {
            ch.close();
            return;
        }
        subscribers.add(sub);
        ch.closeFuture().addListener(f -> subscribers.remove(sub));
        try {
            ticker().execute(() -> first(sub));
        } catch (RejectedExecutionException e) {
            ch.close();
        }
    }

    private void resume(Subscriber sub, String lastId) {
        if (lastId == null || lastId.isBlank()) {
            return;
        }
        int dash = lastId.lastIndexOf('-');
        try {
            long run = Long.parseLong(lastId.substring(0, Math.max(0, dash)).strip());
            long seq = Long.parseLong(lastId.substring(dash + 1).strip());
            if (run == source.run() && seq >= 0) {
                sub.eventCursor = seq;
                sub.first = false;
                return;
            }
        } catch (NumberFormatException | IndexOutOfBoundsException e) {
            log.debug("Ignoring Last-Event-ID '{}': {}", lastId, e.toString());
        }
        sub.reset = true; // another run (the gateway restarted): the page starts its log again
    }

    private synchronized ScheduledExecutorService ticker() {
        if (ticker == null) {
            if (closed) {
                throw new RejectedExecutionException("stream closed");
            }
            ticker = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, threadName);
                t.setDaemon(true);
                return t;
            });
            ticker.scheduleWithFixedDelay(this::tick, tickMillis, tickMillis, TimeUnit.MILLISECONDS);
        }
        return ticker;
    }

    /** The first message of a new subscriber, at once rather than at the next tick. */
    private void first(Subscriber sub) {
        try {
            if (sub.channel.isActive()) {
                send(sub, Responses.json(source.state()), "[]", "[]", System.currentTimeMillis());
            }
        } catch (RuntimeException e) {
            log.warn("Dashboard stream failed to send its first message", e);
        }
    }

    private void tick() {
        try {
            Recent flows = source.flows(flowCursor, subscribers.isEmpty() ? 0 : MAX_FLOWS);
            Recent moves = source.moves(moveCursor, subscribers.isEmpty() ? 0 : MAX_MOVES);
            flowCursor = flows.last();
            moveCursor = moves.last();
            if (subscribers.isEmpty()) {
                return;
            }
            byte[] state = Responses.json(source.state());
            String flowJson = new String(Responses.json(flows.items()), StandardCharsets.UTF_8);
            String moveJson = new String(Responses.json(moves.items()), StandardCharsets.UTF_8);
            long now = System.currentTimeMillis();
            boolean keepAlive = System.nanoTime() - lastKeepAliveNanos >= KEEP_ALIVE_NANOS;
            if (keepAlive) {
                lastKeepAliveNanos = System.nanoTime();
            }
            for (Subscriber sub : subscribers) {
                if (!sub.channel.isActive()) {
                    subscribers.remove(sub);
                } else if (!sub.channel.isWritable()) {
                    if (sub.dropped++ % 100 == 0) {
                        log.debug("Dashboard client {} is not reading; dropped {} snapshots",
                                sub.channel.remoteAddress(), sub.dropped);
                    }
                } else {
                    if (keepAlive) {
                        sub.channel.write(chunk(": keep-alive\n\n"));
                    }
                    send(sub, state, flowJson, moveJson, now);
                }
            }
        } catch (RuntimeException e) {
            log.warn("Dashboard stream tick failed", e);
        }
    }

    private void send(Subscriber sub, byte[] state, String flows, String moves, long now) {
        Recent events = source.events(sub.eventCursor, sub.first ? MAX_EVENTS_FIRST : MAX_EVENTS);
        Map<String, Object> head = new LinkedHashMap<>();
        head.put("run", Long.toString(source.run()));
        head.put("time", now);
        head.put("reset", sub.reset);
        head.put("events", events.items());
        sub.eventCursor = Math.max(sub.eventCursor, events.last());
        sub.first = false;
        sub.reset = false;
        byte[] headJson = Responses.json(head);
        ByteBuf buf = Unpooled.buffer(headJson.length + state.length + flows.length() + moves.length() + 96);
        buf.writeCharSequence("id: " + source.run() + "-" + sub.eventCursor + "\nevent: snapshot\ndata: ",
                StandardCharsets.UTF_8);
        buf.writeBytes(headJson, 0, headJson.length - 1); // without its closing brace
        buf.writeCharSequence(",\"flows\":" + flows + ",\"moves\":" + moves + ",\"cluster\":", StandardCharsets.UTF_8);
        buf.writeBytes(state);
        buf.writeCharSequence("}\n\n", StandardCharsets.UTF_8);
        sub.channel.writeAndFlush(new DefaultHttpContent(buf)).addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
    }

    private static DefaultHttpContent chunk(String text) {
        return new DefaultHttpContent(Unpooled.copiedBuffer(text, StandardCharsets.UTF_8));
    }

    @Override
    public void close() {
        closed = true;
        synchronized (this) {
            if (ticker != null) {
                ticker.shutdownNow();
            }
        }
        for (Subscriber sub : subscribers) {
            sub.channel.close();
        }
        subscribers.clear();
    }
}
