package io.reploid.service.internal;

import io.netty.channel.Channel;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts the requests queued or running and applies backpressure to the gateway connections: above
 * {@code max} requests it turns {@code autoRead} off on every connection, and on again when they fall
 * below half of {@code max}. A connection whose outbound buffer is over its high water mark (it is not
 * writable) stops reading too, so a gateway that does not read its responses makes this instance stop
 * reading its requests instead of buffering without bound.
 *
 * <p>Thread-safe: requests are counted on event loops and released on handler threads.
 */
final class InFlightLimit {
    private static final Logger log = LoggerFactory.getLogger(InFlightLimit.class);

    private final int max;
    private final AtomicInteger count = new AtomicInteger();
    private final Set<Channel> channels = ConcurrentHashMap.newKeySet();
    private volatile boolean paused;

    InFlightLimit(int max) {
        if (max <= 0) {
            throw new IllegalArgumentException("maxInFlight: " + max + " (expected: > 0)");
        }
        this.max = max;
    }

    /** A request arrived. */
    void acquire() {
        if (count.incrementAndGet() > max && !paused) {
            update();
        }
    }

    /** A request was answered. */
    void release() {
        if (2 * count.decrementAndGet() < max && paused) {
            update();
        }
    }

    /** Requests queued or running. */
    int count() {
        return count.get();
    }

    /** Whether reading is off because of too many requests. */
    boolean paused() {
        return paused;
    }

    /** Starts managing a new connection. */
    void add(Channel channel) {
        channels.add(channel);
        refresh(channel);
    }

    /** Stops managing a closed connection. */
    void remove(Channel channel) {
        channels.remove(channel);
    }

    /** Sets a connection's {@code autoRead} after its writability changed. */
    synchronized void refresh(Channel channel) {
        channel.config().setAutoRead(!paused && channel.isWritable());
    }

    // Re-reads the count after every change of `paused`: a thread that changed the count while `paused`
    // was being flipped either sees the new value and calls update() itself, or is seen by the loop.
    private synchronized void update() {
        while (true) {
            int n = count.get();
            boolean pause = paused ? 2 * n >= max : n > max;
            if (pause == paused) {
                return;
            }
            paused = pause;
            log.debug("{} requests in flight (max {}): reading {}", n, max, pause ? "paused" : "resumed");
            for (Channel ch : channels) {
                ch.config().setAutoRead(!pause && ch.isWritable());
            }
        }
    }
}
