package io.reploid.gateway.internal;

import io.reploid.gateway.internal.dashboard.DashboardSource;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The dashboard's view of this gateway: the admin API's cluster JSON reshaped as a list of gateways
 * (one, for now) and the instances, the events log, and the sampled flows and moves that
 * {@link ClientConnection} records. Thread-safe: reads the cluster's concurrent structures.
 */
final class GatewaySnapshots implements DashboardSource {
    private final GatewayServer gateway;

    GatewaySnapshots(GatewayServer gateway) {
        this.gateway = gateway;
    }

    @Override
    public long run() {
        return gateway.startedAtMillis();
    }

    @Override
    public Map<String, Object> state() {
        Map<String, Object> cluster = ClusterJson.cluster(gateway);
        @SuppressWarnings("unchecked")
        Map<String, Object> gw = (Map<String, Object>) cluster.get("gateway");
        gw.put("pins", cluster.get("pins"));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("source", "gateway");
        m.put("gateways", List.of(gw));
        m.put("instances", cluster.get("instances"));
        return m;
    }

    @Override
    public Recent events(long after, int max) {
        Events events = gateway.cluster().events;
        long last = events.lastSeq();
        List<Events.Event> all = events.since(Math.max(after, last - max));
        List<Map<String, Object>> out = new ArrayList<>(all.size());
        for (Events.Event e : all) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("seq", e.seq());
            m.put("time", Instant.ofEpochMilli(e.timeMillis()).toString());
            m.put("type", e.type());
            m.put("instance", e.instance());
            m.put("message", e.message());
            out.add(m);
        }
        return new Recent(out, all.isEmpty() ? after : all.get(all.size() - 1).seq());
    }

    @Override
    public Recent flows(long after, int max) {
        Ring<Flow> ring = gateway.cluster().flows;
        long last = ring.last();
        List<Map<String, Object>> out = new ArrayList<>();
        for (Flow f : ring.since(after, max)) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("client", f.client());
            m.put("gateway", gateway.gatewayId());
            m.put("instance", f.instance());
            m.put("latencyMs", f.latencyMicros() / 1000.0);
            out.add(m);
        }
        return new Recent(out, last);
    }

    @Override
    public Recent moves(long after, int max) {
        Ring<Move> ring = gateway.cluster().moves;
        long last = ring.last();
        List<Map<String, Object>> out = new ArrayList<>();
        for (Move mv : ring.since(after, max)) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("client", mv.client());
            m.put("from", mv.from());
            m.put("to", mv.to());
            m.put("time", Instant.ofEpochMilli(mv.timeMillis()).toString());
            out.add(m);
        }
        return new Recent(out, last);
    }
}
