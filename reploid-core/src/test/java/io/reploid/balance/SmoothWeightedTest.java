package io.reploid.balance;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SmoothWeightedTest {

    @Test
    void interleavesTurnsInProportionToWeight() {
        List<TestInstance> instances = List.of(new TestInstance("a", 100, 5, Map.of(), 0),
                new TestInstance("b", 100, 1, Map.of(), 0), new TestInstance("c", 100, 1, Map.of(), 0));
        Picker p = LoadBalancers.weighted().update(TestInstance.view(instances));
        List<String> order = new ArrayList<>();
        for (int k = 0; k < 14; k++) {
            order.add(p.pick(new TestRequest("x")).id());
        }
        assertThat(String.join("", order)).isEqualTo("aaabcaa" + "aaabcaa");
    }

    @Test
    void reducesAndCapsWeights() {
        Instance[] instances = {new TestInstance("a", 1, 300, Map.of(), 0), new TestInstance("b", 1, 200, Map.of(), 0)};
        assertThat(SmoothWeighted.weights(instances)).containsExactly(3, 2);
        Instance[] heavy = {new TestInstance("a", 1, 1_000_000, Map.of(), 0), new TestInstance("b", 1, 1, Map.of(), 0)};
        assertThat(SmoothWeighted.weights(heavy)).containsExactly(4096, 1);
    }
}
