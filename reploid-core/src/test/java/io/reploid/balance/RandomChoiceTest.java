package io.reploid.balance;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class RandomChoiceTest {

    @Test
    void spreadsClientsEvenlyUsingTheRequestsRandomness() {
        List<TestInstance> instances = TestInstance.many(10, 100_000);
        Picker p = LoadBalancers.random().update(TestInstance.view(instances));
        SplittableRandom random = new SplittableRandom(5);
        for (int c = 0; c < 100_000; c++) {
            ((TestInstance) p.pick(new TestRequest("c" + c, random))).pin();
        }
        assertThat(instances).allSatisfy(i -> assertThat(i.clients()).isBetween(9_500, 10_500));
    }
}
