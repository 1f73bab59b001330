package io.reploid.balance;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class RingHashTest {

    @Test
    void removingAnInstanceMovesOnlyItsClients() {
        List<TestInstance> instances = TestInstance.many(100, 1_000_000);
        LoadBalancer ring = LoadBalancers.ringHash();
        List<String> before = Mapping.of(ring, instances, 20_000);
        List<TestInstance> fewer = new ArrayList<>(instances);
        TestInstance gone = fewer.remove(42);
        List<String> after = Mapping.of(ring, fewer, 20_000);
        assertThat(Mapping.stray(before, after, gone.id())).isZero();
        assertThat(Mapping.moved(before, after)).isEqualTo((int) before.stream().filter(gone.id()::equals).count());
        assertThat(Mapping.of(ring, instances, 20_000)).isEqualTo(before); // and back
    }

    @Test
    void anIncrementalRingEqualsAFreshOne() {
        List<TestInstance> instances = new ArrayList<>();
        for (int k = 0; k < 60; k++) {
            instances.add(new TestInstance(String.format("i-%03d", k), 10, 1 + k % 3, Map.of(), 0));
        }
        HashRing first = HashRing.of(instances.toArray(new Instance[0]), 50, null);
        assertThat(HashRing.of(instances.toArray(new Instance[0]), 50, first)).isSameAs(first);
        List<TestInstance> changed = new ArrayList<>(instances);
        changed.remove(7);
        changed.remove(30);
        changed.add(new TestInstance("j-1", 10, 2, Map.of(), 0));
        Instance[] next = changed.toArray(new Instance[0]);
        HashRing incremental = HashRing.of(next, 50, first);
        HashRing fresh = HashRing.of(next, 50, null);
        assertThat(incremental.size()).isEqualTo(fresh.size());
        SplittableRandom random = new SplittableRandom(1);
        for (int k = 0; k < 10_000; k++) {
            long h = random.nextLong();
            assertThat(next[incremental.owner(incremental.start(h))]).isEqualTo(next[fresh.owner(fresh.start(h))]);
        }
    }

    @Test
    void walksOnPastFullInstances() {
        List<TestInstance> instances = TestInstance.many(5, 1);
        Picker p = LoadBalancers.ringHash(10).update(TestInstance.view(instances));
        Instance home = p.pick(new TestRequest("c"));
        ((TestInstance) home).pin();
        Instance next = p.pick(new TestRequest("c"));
        assertThat(next).isNotNull().isNotEqualTo(home);
    }
}
