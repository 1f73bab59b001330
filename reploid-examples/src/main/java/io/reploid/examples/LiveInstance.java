package io.reploid.examples;

import io.reploid.LoadReport;
import io.reploid.balance.Instance;
import java.util.Map;

/**
 * An instance of the simulated cluster the {@code app} command shows: what a balancer sees (capacity,
 * clients, load report) and what the dashboard shows (state, request rate, latency). Written by the
 * simulation thread only; the balancer's pickers run on that thread too. Fields read by other threads
 * are volatile.
 */
final class LiveInstance implements Instance {
    private final String id;
    private final int capacity;
    private final int weight;
    private final Map<String, String> labels;
    private volatile long readySinceNanos;
    private volatile int clients;
    private volatile LoadReport report = LoadReport.EMPTY;
    /** joining, healthy, suspect, dead (draining and full are derived). */
    volatile String state = "joining";
    volatile boolean draining;
    /** Simulation time of the last state change, in milliseconds. */
    long stateSinceMillis;
    double load;
    long requests;
    long errors;
    double ratePerSecond;
    double p50Ms;
    double p99Ms;

    LiveInstance(String id, int capacity, int weight, Map<String, String> labels, long nowMillis) {
        this.id = id;
        this.capacity = capacity;
        this.weight = weight;
        this.labels = Map.copyOf(labels);
        this.stateSinceMillis = nowMillis;
    }

    void state(String state, long nowMillis) {
        this.state = state;
        this.stateSinceMillis = nowMillis;
        if (state.equals("healthy")) {
            readySinceNanos = nowMillis * 1_000_000;
        }
    }

    /** Healthy, not draining: the balancer may be given it. */
    boolean eligible() {
        return state.equals("healthy") && !draining;
    }

    /** What the dashboard shows: full and draining are derived like the gateway does. */
    String shownState() {
        if (state.equals("healthy") && draining) {
            return "draining";
        }
        if (state.equals("healthy") && clients >= capacity) {
            return "full";
        }
        return state;
    }

    void add(double clientWeight) {
        clients++;
        load += clientWeight;
    }

    void remove(double clientWeight) {
        clients--;
        load = clients == 0 ? 0 : load - clientWeight;
    }

    void report(LoadReport report) {
        this.report = report;
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public String address() {
        return "simulated:" + id;
    }

    @Override
    public int capacity() {
        return capacity;
    }

    @Override
    public int weight() {
        return weight;
    }

    @Override
    public Map<String, String> labels() {
        return labels;
    }

    @Override
    public int clients() {
        return clients;
    }

    @Override
    public LoadReport load() {
        return report;
    }

    @Override
    public long readySinceNanos() {
        return readySinceNanos;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Instance i && i.id().equals(id);
    }

    @Override
    public int hashCode() {
        return id.hashCode();
    }

    @Override
    public String toString() {
        return id;
    }
}
