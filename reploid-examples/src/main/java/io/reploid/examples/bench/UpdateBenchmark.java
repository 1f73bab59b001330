package io.reploid.examples.bench;

import io.reploid.balance.ClusterView;
import io.reploid.balance.Instance;
import io.reploid.balance.LoadBalancer;
import io.reploid.balance.Picker;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The cost of building a picker for {@code instances} instances, in three situations:
 *
 * <ul>
 *   <li>{@code first}: a new balancer's first view (everything built from scratch);
 *   <li>{@code change}: one instance left or came back since the last view (the common membership change);
 *   <li>{@code refresh}: the same instances again (the periodic update as load reports arrive).
 * </ul>
 *
 * <pre>
 * java -cp reploid-examples/target/reploid-examples.jar org.openjdk.jmh.Main UpdateBenchmark -f 1 -wi 3 -i 5
 * </pre>
 *
 * <p>Thread-safety: JMH thread-scoped state, one instance per benchmark thread.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class UpdateBenchmark {

    @Param({"round-robin", "random", "least-clients", "least-loaded", "p2c", "weighted", "ring-hash", "rendezvous",
            "maglev", "bounded-load", "resource-aware", "affinity:key=region;then=least-clients",
            "slow-start:window=30s;then=least-clients"})
    public String strategy;

    @Param({"1000"})
    public int instances;

    @Param({"first", "change", "refresh"})
    public String situation;

    private Supplier<LoadBalancer> factory;
    private LoadBalancer balancer;
    private ClusterView full;
    private ClusterView oneLess;
    private boolean toggle;

    @Setup
    public void setUp() {
        factory = Balancers.factory(strategy);
        List<Instance> all = BenchInstance.many(instances, "i", 1);
        List<Instance> fewer = new ArrayList<>(all);
        fewer.remove(instances / 2);
        full = BenchInstance.view(all, 1);
        oneLess = BenchInstance.view(fewer, 2);
        balancer = factory.get();
        balancer.update(full);
    }

    @Benchmark
    public Picker update() {
        switch (situation) {
            case "first" -> {
                LoadBalancer fresh = factory.get();
                return fresh.update(full);
            }
            case "change" -> {
                toggle = !toggle;
                return balancer.update(toggle ? oneLess : full);
            }
            default -> {
                return balancer.update(full);
            }
        }
    }
}
