package io.reploid.balance;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class RoundRobinTest {

    @Test
    void takesInstancesInTurnSkippingFullOnesAndKeepsItsPlaceAcrossUpdates() {
        List<TestInstance> instances = TestInstance.many(3, 10);
        LoadBalancer rr = LoadBalancers.roundRobin();
        Picker p = rr.update(TestInstance.view(instances));
        assertThat(List.of(p.pick(new TestRequest("a")), p.pick(new TestRequest("b")), p.pick(new TestRequest("c"))))
                .containsExactlyElementsOf(instances);
        instances.get(1).clients(10);
        assertThat(p.pick(new TestRequest("d"))).isEqualTo(instances.get(0));
        assertThat(p.pick(new TestRequest("e"))).isEqualTo(instances.get(2));
        p = rr.update(TestInstance.view(instances));
        assertThat(p.pick(new TestRequest("f"))).isEqualTo(instances.get(2)); // cursor 5 -> index 2
    }
}
