package io.reploid.service.internal;

import static java.util.Objects.requireNonNull;

import io.netty.channel.Channel;
import io.reploid.LoadReport;
import io.reploid.internal.protocol.Frame;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends LOAD to every registered gateway connection: once right after registration, then at the
 * shortest heartbeat interval any of the gateways asked for. Each tick samples the load once, on the
 * timer thread, and sends the same report to all connections. A connection that is not writable (its
 * gateway does not read) skips the tick, so unread reports never pile up.
 *
 * <p>Thread-safe; the ticker itself is changed only on the timer thread.
 */
final class LoadReporter {
    private static final Logger log = LoggerFactory.getLogger(LoadReporter.class);
    private static final int DEFAULT_HEARTBEAT_MILLIS = 500;

    private final ScheduledExecutorService timer;
    private final LoadSampler sampler;
    private final Map<Channel, Integer> heartbeats = new ConcurrentHashMap<>();
    private ScheduledFuture<?> ticker;
    private int periodMillis;
    private volatile boolean draining;

    LoadReporter(ScheduledExecutorService timer, LoadSampler sampler) {
        this.timer = requireNonNull(timer, "timer");
        this.sampler = requireNonNull(sampler, "sampler");
    }

    /** A connection registered and asked for LOAD every {@code heartbeatMillis}. */
    void add(Channel channel, int heartbeatMillis) {
        int millis = heartbeatMillis;
        if (millis <= 0) {
            log.warn("Gateway at {} asked for heartbeats every {} ms; sending every {} ms",
                    channel.remoteAddress(), millis, DEFAULT_HEARTBEAT_MILLIS);
            millis = DEFAULT_HEARTBEAT_MILLIS;
        }
        heartbeats.put(channel, millis);
        onTimer(() -> {
            send(channel, sampler.sample());
            reschedule();
        });
    }

    /** Reports draining (or not) from now on, and at once to every gateway. */
    void draining(boolean draining) {
        this.draining = draining;
        onTimer(this::tick);
    }

    boolean draining() {
        return draining;
    }

    /** A connection closed. */
    void remove(Channel channel) {
        if (heartbeats.remove(channel) != null) {
            onTimer(this::reschedule);
        }
    }

    private void tick() {
        if (heartbeats.isEmpty()) {
            return;
        }
        try {
            LoadReport report = sampler.sample();
            for (Channel channel : heartbeats.keySet()) {
                send(channel, report);
            }
        } catch (RuntimeException e) {
            log.warn("Could not report load", e); // and keep ticking: a thrown exception would stop the timer
        }
    }

    private void send(Channel channel, LoadReport report) {
        if (channel.isActive() && channel.isWritable()) {
            channel.writeAndFlush(new Frame.Load(report, draining));
        }
    }

    /** Runs on the timer thread: ticks at the shortest interval asked for, or not at all. */
    private void reschedule() {
        int period = heartbeats.values().stream().mapToInt(Integer::intValue).min().orElse(0);
        if (period == periodMillis) {
            return;
        }
        if (ticker != null) {
            ticker.cancel(false);
            ticker = null;
        }
        periodMillis = period;
        if (period > 0) {
            ticker = timer.scheduleAtFixedRate(this::tick, period, period, TimeUnit.MILLISECONDS);
        }
    }

    private void onTimer(Runnable task) {
        try {
            timer.execute(task);
        } catch (RejectedExecutionException e) {
            // closing
        }
    }
}
