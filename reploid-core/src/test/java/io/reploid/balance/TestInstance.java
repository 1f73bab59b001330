package io.reploid.balance;

import io.reploid.LoadReport;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/** An instance with settable load, for balancer tests. Thread-safe. */
final class TestInstance implements Instance {
    private final String id;
    private final int capacity;
    private final int weight;
    private final Map<String, String> labels;
    private final AtomicInteger clients = new AtomicInteger();
    private final long readySinceNanos;
    private volatile LoadReport load = LoadReport.EMPTY;

    TestInstance(String id, int capacity, int weight, Map<String, String> labels, long readySinceNanos) {
        this.id = id;
        this.capacity = capacity;
        this.weight = weight;
        this.labels = labels;
        this.readySinceNanos = readySinceNanos;
    }

    TestInstance(String id, int capacity) {
        this(id, capacity, 1, Map.of(), 0);
    }

    /** {@code count} instances {@code i-000, i-001, ...} of one capacity. */
    static List<TestInstance> many(int count, int capacity) {
        List<TestInstance> list = new ArrayList<>();
        for (int k = 0; k < count; k++) {
            list.add(new TestInstance(String.format("i-%03d", k), capacity));
        }
        return list;
    }

    static ClusterView view(List<? extends Instance> instances) {
        return new ClusterView(List.copyOf(instances), 1, 0);
    }

    TestInstance clients(int n) {
        clients.set(n);
        return this;
    }

    void pin() {
        clients.incrementAndGet();
    }

    TestInstance load(LoadReport report) {
        load = report;
        return this;
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public String address() {
        return "127.0.0.1:1";
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
        return clients.get();
    }

    @Override
    public LoadReport load() {
        return load;
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
        return id + "(" + clients() + "/" + capacity + ")";
    }
}
