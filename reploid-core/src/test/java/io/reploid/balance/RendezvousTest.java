package io.reploid.balance;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RendezvousTest {

    @Test
    void removingAnInstanceMovesOnlyItsClientsAndSharesAreEven() {
        List<TestInstance> instances = TestInstance.many(100, 1_000_000);
        LoadBalancer hrw = LoadBalancers.rendezvous();
        List<String> before = Mapping.of(hrw, instances, 20_000);
        for (TestInstance i : instances) {
            long share = before.stream().filter(i.id()::equals).count();
            assertThat(share).isBetween(140L, 260L); // 200 each, binomial spread
        }
        List<TestInstance> fewer = new ArrayList<>(instances);
        TestInstance gone = fewer.remove(10);
        assertThat(Mapping.stray(before, Mapping.of(hrw, fewer, 20_000), gone.id())).isZero();
    }

    @Test
    void sharesFollowWeights() {
        List<TestInstance> instances = List.of(new TestInstance("a", 1_000_000, 1, Map.of(), 0),
                new TestInstance("b", 1_000_000, 2, Map.of(), 0), new TestInstance("c", 1_000_000, 3, Map.of(), 0));
        List<String> mapping = Mapping.of(LoadBalancers.rendezvous(), instances, 60_000);
        assertThat(mapping.stream().filter("a"::equals).count()).isBetween(9_400L, 10_600L);
        assertThat(mapping.stream().filter("c"::equals).count()).isBetween(29_400L, 30_600L);
    }
}
