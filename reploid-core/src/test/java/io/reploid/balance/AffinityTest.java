package io.reploid.balance;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class AffinityTest {
    private final TestInstance eu1 = new TestInstance("eu-1", 2, 1, Map.of("region", "eu"), 0);
    private final TestInstance eu2 = new TestInstance("eu-2", 2, 1, Map.of("region", "eu"), 0);
    private final TestInstance us1 = new TestInstance("us-1", 2, 1, Map.of("region", "us"), 0);
    private final List<TestInstance> all = List.of(eu1, eu2, us1);

    private static TestRequest from(String region) {
        return new TestRequest("c", region == null ? Map.of() : Map.of("region", region), new SplittableRandom(1));
    }

    @Test
    void placesClientsAmongInstancesWithTheirLabelAndFallsBackToAll() {
        Picker p = LoadBalancers.affinity("region", LoadBalancers::leastClients).update(TestInstance.view(all));
        for (int k = 0; k < 4; k++) {
            TestInstance i = (TestInstance) p.pick(from("eu"));
            assertThat(i.labels()).containsEntry("region", "eu");
            i.pin();
        }
        assertThat(p.pick(from("eu"))).isEqualTo(us1); // the eu group is full
        assertThat(p.pick(from("ap"))).isEqualTo(us1); // nobody carries ap
        assertThat(p.pick(from(null))).isEqualTo(us1); // no value: all instances
    }

    @Test
    void strictAffinityRefusesInsteadOfFallingBack() {
        LoadBalancer strict = LoadBalancers.strictAffinity("region", LoadBalancers::roundRobin);
        Picker p = strict.update(TestInstance.view(all));
        assertThat(p.pick(from("ap"))).isNull();
        assertThat(p.pick(from("us"))).isEqualTo(us1);
        p = strict.update(TestInstance.view(List.of(eu1)));
        assertThat(p.pick(from("us"))).isNull();
        assertThat(p.pick(from(null))).isEqualTo(eu1);
        strict.close();
    }
}
