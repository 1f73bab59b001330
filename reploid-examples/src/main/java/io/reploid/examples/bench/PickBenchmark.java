package io.reploid.examples.bench;

import io.reploid.balance.Instance;
import io.reploid.balance.Picker;
import java.util.concurrent.TimeUnit;
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
 * The cost of one pick, per strategy, on a view of {@code instances} instances with live load (nobody is
 * full, nothing is excluded). Each call places a different client id of 1,024.
 *
 * <pre>
 * java -cp reploid-examples/target/reploid-examples.jar org.openjdk.jmh.Main PickBenchmark -f 1 -wi 3 -i 5
 * java -cp reploid-examples/target/reploid-examples.jar org.openjdk.jmh.Main PickBenchmark -p instances=1000
 * </pre>
 *
 * <p>Thread-safety: JMH benchmark-scoped state, set up once before measurement; pickers are thread-safe.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class PickBenchmark {

    @Param({"round-robin", "random", "least-clients", "least-loaded", "p2c", "weighted", "ring-hash", "rendezvous",
            "maglev", "bounded-load", "resource-aware", "affinity:key=region;then=least-clients",
            "slow-start:window=30s;then=least-clients"})
    public String strategy;

    @Param({"100", "1000"})
    public int instances;

    private Picker picker;

    /** One request per thread. */
    @State(Scope.Thread)
    public static class Client {
        BenchRequest request;

        @Setup
        public void setUp() {
            request = new BenchRequest(1024, Thread.currentThread().getId());
        }
    }

    @Setup
    public void setUp() {
        picker = Balancers.factory(strategy).get().update(BenchInstance.view(BenchInstance.many(instances, "i", 1), 1));
    }

    @Benchmark
    public Instance pick(Client client) {
        return picker.pick(client.request.next());
    }
}
