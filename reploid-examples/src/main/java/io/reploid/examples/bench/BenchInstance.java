package io.reploid.examples.bench;

import io.reploid.LoadReport;
import io.reploid.balance.ClusterView;
import io.reploid.balance.Instance;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/** An instance with a fixed load, for the balancer benchmarks. Thread-safe (nothing changes). */
final class BenchInstance implements Instance {
    private static final String[] REGIONS = {"eu", "us", "ap"};

    private final String id;
    private final Map<String, String> labels;
    private final int clients;
    private final LoadReport load;

    private BenchInstance(String id, Map<String, String> labels, int clients, LoadReport load) {
        this.id = id;
        this.labels = labels;
        this.clients = clients;
        this.load = load;
    }

    /** {@code count} instances with capacity 1,000,000, up to 1,000 clients and a random report each. */
    static List<Instance> many(int count, String prefix, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<Instance> instances = new ArrayList<>(count);
        for (int k = 0; k < count; k++) {
            int clients = random.nextInt(1_000);
            LoadReport report = new LoadReport(0, clients, 0, random.nextDouble(), random.nextLong(1L << 30), 1L << 30,
                    random.nextDouble(100), true);
            instances.add(new BenchInstance(String.format("%s-%05d", prefix, k),
                    Map.of("region", REGIONS[k % REGIONS.length]), clients, report));
        }
        return instances;
    }

    static ClusterView view(List<Instance> instances, long version) {
        return new ClusterView(instances, version, System.nanoTime());
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
        return 1_000_000;
    }

    @Override
    public int weight() {
        return 1;
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
        return load;
    }

    @Override
    public long readySinceNanos() {
        return Long.MIN_VALUE / 2; // long ready: slow start has nothing to ramp
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Instance i && i.id().equals(id);
    }

    @Override
    public int hashCode() {
        return id.hashCode();
    }
}
