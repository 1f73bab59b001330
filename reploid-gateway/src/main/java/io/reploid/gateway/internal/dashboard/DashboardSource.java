package io.reploid.gateway.internal.dashboard;

import java.util.List;
import java.util.Map;

/**
 * What the dashboard shows: a gateway's cluster or a simulated one. The {@link EventStream} asks for the
 * state once per tick on its own thread and sends it to every browser; events, flows and moves are read
 * after a cursor (a sequence number), so each is sent once. The JSON shapes are in
 * {@code docs/dashboard.md}.
 *
 * <p>Implementations are thread-safe and never block: they answer from memory.
 */
public interface DashboardSource {

    /** Items recorded after a cursor, oldest first, and the cursor to pass next time. */
    record Recent(List<Map<String, Object>> items, long last) {
        public Recent {
            items = List.copyOf(items);
        }
    }

    /** Identifies this run of the source (a gateway's start time); a restarted source has a new one. */
    long run();

    /**
     * The cluster now, as JSON-ready values: {@code source} ({@code gateway} or {@code simulation}),
     * {@code gateways} (a list), {@code instances} (a list) and any source-specific keys.
     */
    Map<String, Object> state();

    /** Cluster events with a {@code seq} above {@code after}: the latest {@code max} of them at most. */
    Recent events(long after, int max);

    /** Sampled requests (client, gateway, instance, latency) recorded after {@code after}. */
    Recent flows(long after, int max);

    /** Clients re-pinned (client, from, to) after {@code after}. */
    Recent moves(long after, int max);
}
