package io.reploid.balance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class BoundedLoadTest {

    @Test
    void noInstanceExceedsTheFactorTimesTheMean() {
        List<TestInstance> instances = TestInstance.many(100, 1_000_000);
        Picker p = LoadBalancers.boundedLoad(1.25).update(TestInstance.view(instances));
        for (int c = 1; c <= 10_000; c++) {
            ((TestInstance) p.pick(new TestRequest("c" + c))).pin();
            if (c % 100 == 0) {
                int max = instances.stream().mapToInt(TestInstance::clients).max().orElseThrow();
                assertThat(max / (c / 100.0)).as("after %d clients", c).isLessThanOrEqualTo(1.25);
            }
        }
    }

    @Test
    void aClientGoesToItsRingPositionWhileThatIsUnderItsBound() {
        List<TestInstance> instances = TestInstance.many(10, 1_000_000);
        Instance home = LoadBalancers.ringHash().update(TestInstance.view(instances)).pick(new TestRequest("c"));
        Picker p = LoadBalancers.boundedLoad().update(TestInstance.view(instances));
        assertThat(p.pick(new TestRequest("c"))).isEqualTo(home);
        instances.forEach(i -> i.clients(10));
        ((TestInstance) home).clients(13); // 103 pinned, so the bound is max(ceil(10.4), floor(1.25 x 10.4)) = 13
        assertThat(p.pick(new TestRequest("c"))).isNotEqualTo(home);
    }

    @Test
    void rejectsAFactorBelowOne() {
        assertThatThrownBy(() -> LoadBalancers.boundedLoad(0.9))
                .hasMessage("factor: 0.9 (expected: >= 1)");
    }
}
