package io.reploid.balance.simulation;

import io.reploid.LoadReport;
import io.reploid.balance.Instance;
import java.util.Map;

/**
 * A simulated instance: its clients, their total weight (its true load) and the load report a balancer
 * sees, refreshed once per step like a heartbeat. Used by the simulation thread only; the simulation
 * has one thread, so plain fields are enough.
 */
final class SimInstance implements Instance {
    private static final long HEAP_MAX = 1L << 30;

    private final String id;
    private final int capacity;
    private final int weight;
    private final Map<String, String> labels;
    private final long readySinceNanos;
    private int clients;
    private double load;
    private LoadReport report = LoadReport.EMPTY;

    SimInstance(String id, int capacity, int weight, Map<String, String> labels, long readySinceNanos) {
        this.id = id;
        this.capacity = capacity;
        this.weight = weight;
        this.labels = labels;
        this.readySinceNanos = readySinceNanos;
    }

    /** A copy with no clients, for replays. */
    SimInstance fresh() {
        return new SimInstance(id, capacity, weight, labels, readySinceNanos);
    }

    void add(SimClient c) {
        clients++;
        load += c.weight();
    }

    void remove(SimClient c) {
        clients--;
        load -= c.weight();
        if (clients == 0) {
            load = 0; // no drift from rounding
        }
    }

    /** The sum of the weights of the instance's clients. */
    double trueLoad() {
        return load;
    }

    /**
     * Refreshes the report: cpu grows with load, reaching 1 when the instance holds {@code capacity}
     * clients of the mean weight; heap is 10% plus 60% of that; the gauge is the load itself.
     */
    void report(long timeMillis, double meanWeight) {
        double used = Math.min(1, load / (capacity * meanWeight));
        report = new LoadReport(timeMillis, clients, 0, used, (long) ((0.1 + 0.6 * used) * HEAP_MAX), HEAP_MAX,
                load, true);
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
        return id + "(" + clients + "/" + capacity + ")";
    }
}
