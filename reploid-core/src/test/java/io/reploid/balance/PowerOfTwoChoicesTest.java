package io.reploid.balance;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class PowerOfTwoChoicesTest {

    @Test
    void keepsTheMaximumCloseToTheMean() {
        List<TestInstance> instances = TestInstance.many(100, 1_000);
        Picker p = LoadBalancers.powerOfTwoChoices().update(TestInstance.view(instances));
        SplittableRandom random = new SplittableRandom(9);
        for (int c = 0; c < 10_000; c++) {
            ((TestInstance) p.pick(new TestRequest("c" + c, random))).pin();
        }
        int max = instances.stream().mapToInt(TestInstance::clients).max().orElseThrow();
        assertThat(max).isLessThanOrEqualTo(105); // mean 100; one random choice gives about 125
    }

    @Test
    void takesTheOnlyInstanceThatFits() {
        List<TestInstance> instances = TestInstance.many(2, 1);
        instances.get(0).clients(1);
        Picker p = LoadBalancers.powerOfTwoChoices().update(TestInstance.view(instances));
        assertThat(p.pick(new TestRequest("c"))).isEqualTo(instances.get(1));
    }
}
