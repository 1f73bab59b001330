package io.reploid.examples;

import io.reploid.gateway.internal.dashboard.DashboardSource;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The dashboard's view of the simulated cluster: one simulated gateway, the instances of the latest step,
 * the strategy scores, and the cluster's events, flows and moves. Thread-safe: reads what the simulation
 * publishes.
 */
final class LiveSnapshots implements DashboardSource {
    private final LiveCluster cluster;
    private final StrategyScores scores;

    LiveSnapshots(LiveCluster cluster, StrategyScores scores) {
        this.cluster = cluster;
        this.scores = scores;
    }

    @Override
    public long run() {
        return cluster.startedAtMillis();
    }

    @Override
    public Map<String, Object> state() {
        List<Map<String, Object>> instances = cluster.instancesJson();
        int clients = instances.stream().mapToInt(m -> (int) m.get("clients")).sum();
        Map<String, Object> gateway = new LinkedHashMap<>();
        gateway.put("id", "sim-gateway");
        gateway.put("balancer", cluster.balancerName());
        gateway.put("transport", "simulated");
        gateway.put("startedAt", Instant.ofEpochMilli(cluster.startedAtMillis()).toString());
        gateway.put("connectedClients", clients);
        gateway.put("pins", clients);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("source", "simulation");
        m.put("workload", cluster.workloadName());
        m.put("gateways", List.of(gateway));
        m.put("instances", instances);
        m.put("strategies", scores.json());
        return m;
    }

    @Override
    public Recent events(long after, int max) {
        return cluster.events.since(after, max);
    }

    @Override
    public Recent flows(long after, int max) {
        return cluster.flows.since(after, max);
    }

    @Override
    public Recent moves(long after, int max) {
        return cluster.moves.since(after, max);
    }
}
