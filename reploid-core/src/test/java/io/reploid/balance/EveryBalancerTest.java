package io.reploid.balance;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.function.ThrowingConsumer;

/**
 * The contract every built-in balancer keeps, checked against each one. Dynamic tests, one per spec, so
 * the per-test hooks run once per property rather than once per balancer.
 */
class EveryBalancerTest {

    private static Stream<DynamicTest> forEachSpec(ThrowingConsumer<String> check) {
        return DynamicTest.stream(specs(), spec -> spec, check);
    }

    static Stream<String> specs() {
        return Stream.of("round-robin", "random", "least-clients", "least-loaded", "p2c", "weighted", "ring-hash",
                "rendezvous", "maglev", "bounded-load", "resource-aware", "affinity:key=region,then=least-clients",
                "slow-start:window=30s,then=ring-hash:vnodes=20");
    }

    @SuppressWarnings("unchecked")
    static LoadBalancer balancer(String spec) {
        ConfigOrError c = LoadBalancerRegistry.getDefault().resolve(spec);
        assertThat(c.isError()).as(c.toString()).isFalse();
        return ((Supplier<LoadBalancer>) c.config()).get();
    }

    @Test
    void everyBuiltInIsRegistered() {
        assertThat(LoadBalancerRegistry.getDefault().providers().keySet()).containsExactlyInAnyOrder(
                "round-robin", "random", "least-clients", "least-loaded", "p2c", "weighted", "ring-hash",
                "rendezvous", "maglev", "bounded-load", "resource-aware", "affinity", "slow-start");
    }

    @TestFactory
    Stream<DynamicTest> emptyViewPicksNothing() {
        return forEachSpec(this::emptyViewPicksNothingFor);
    }

    private void emptyViewPicksNothingFor(String spec) {
        Picker p = balancer(spec).update(ClusterView.empty());
        assertThat(p.pick(new TestRequest("c"))).isNull();
    }

    @TestFactory
    Stream<DynamicTest> fillsEveryFreeSlotAndNoMore() {
        return forEachSpec(this::fillsEveryFreeSlotAndNoMoreFor);
    }

    private void fillsEveryFreeSlotAndNoMoreFor(String spec) {
        List<TestInstance> instances = new ArrayList<>();
        int total = 0;
        for (int k = 0; k < 12; k++) {
            int capacity = 1 + k % 5;
            instances.add(new TestInstance("i-" + k, capacity, 1 + k % 3, Map.of("region", k % 2 == 0 ? "eu" : "us"), 0));
            total += capacity;
        }
        Picker p = balancer(spec).update(TestInstance.view(instances));
        SplittableRandom random = new SplittableRandom(7);
        for (int c = 0; c < total; c++) {
            Map<String, String> metadata = c % 3 == 0 ? Map.of() : Map.of("region", c % 3 == 1 ? "eu" : "us");
            Instance i = p.pick(new TestRequest("client-" + c, metadata, random));
            assertThat(i).as("pick %d of %d", c, total).isNotNull();
            assertThat(i.hasRoom()).isTrue();
            ((TestInstance) i).pin();
        }
        assertThat(p.pick(new TestRequest("one-more", Map.of("region", "eu"), random))).isNull();
        assertThat(instances).allSatisfy(i -> assertThat(i.clients()).isEqualTo(i.capacity()));
    }

    @TestFactory
    Stream<DynamicTest> neverPicksFullOrExcludedInstances() {
        return forEachSpec(this::neverPicksFullOrExcludedInstancesFor);
    }

    private void neverPicksFullOrExcludedInstancesFor(String spec) {
        List<TestInstance> instances = TestInstance.many(20, 10);
        for (int k = 0; k < 20; k += 3) {
            instances.get(k).clients(10);
        }
        Picker p = balancer(spec).update(TestInstance.view(instances));
        SplittableRandom random = new SplittableRandom(3);
        for (int c = 0; c < 300; c++) {
            TestRequest request = new TestRequest("c-" + c, random);
            for (int k = 1; k < 20; k += 4) {
                request.exclude(instances.get(k));
            }
            Instance i = p.pick(request);
            assertThat(i).isNotNull();
            assertThat(i.hasRoom()).isTrue();
            assertThat(request.isExcluded(i)).isFalse();
        }
        TestRequest all = new TestRequest("c", random);
        instances.forEach(all::exclude);
        assertThat(p.pick(all)).isNull();
    }

    @TestFactory
    Stream<DynamicTest> picksAreAFunctionOfViewClientAndRandomness() {
        return forEachSpec(this::picksAreAFunctionOfViewClientAndRandomnessFor);
    }

    private void picksAreAFunctionOfViewClientAndRandomnessFor(String spec) {
        List<TestInstance> instances = TestInstance.many(30, 100);
        Picker a = balancer(spec).update(TestInstance.view(instances));
        Picker b = balancer(spec).update(TestInstance.view(instances));
        SplittableRandom ra = new SplittableRandom(11);
        SplittableRandom rb = new SplittableRandom(11);
        for (int c = 0; c < 200; c++) {
            assertThat(a.pick(new TestRequest("c" + c, ra))).isEqualTo(b.pick(new TestRequest("c" + c, rb)));
        }
    }

    @TestFactory
    Stream<DynamicTest> picksConcurrently() {
        return forEachSpec(this::picksConcurrentlyFor);
    }

    private void picksConcurrentlyFor(String spec) throws Exception {
        List<TestInstance> instances = TestInstance.many(50, 1_000_000);
        Picker p = balancer(spec).update(TestInstance.view(instances));
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<CompletableFuture<Integer>> runs = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int thread = t;
                runs.add(CompletableFuture.supplyAsync(() -> {
                    SplittableRandom random = new SplittableRandom(thread);
                    int picked = 0;
                    for (int c = 0; c < 5_000; c++) {
                        TestInstance i = (TestInstance) p.pick(new TestRequest(thread + "-" + c, random));
                        i.pin();
                        picked++;
                    }
                    return picked;
                }, pool));
            }
            int picked = 0;
            for (CompletableFuture<Integer> run : runs) {
                picked += run.get();
            }
            assertThat(picked).isEqualTo(20_000);
            assertThat(instances.stream().mapToInt(TestInstance::clients).sum()).isEqualTo(20_000);
        } finally {
            pool.shutdownNow();
        }
    }
}
