package io.reploid.balance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.reploid.LoadReport;
import java.util.List;
import java.util.SplittableRandom;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

class ResourceAwareTest {

    private static LoadReport report(int clients, double cpu, long heapUsed, double gauge) {
        return new LoadReport(0, clients, 0, cpu, heapUsed, 100, gauge, true);
    }

    @Test
    void scoresAreTheWeightedSumOfNormalisedResources() {
        ResourceAware.Weights w = new ResourceAware.Weights(4, 3, 2, 1, 0); // divided by 10
        TestInstance i = new TestInstance("a", 100).clients(20).load(report(20, 0.5, 40, 5));
        assertThat(ResourceAware.score(i, w, 1 / 10.0))
                .isCloseTo(0.4 * 0.5 + 0.3 * 0.4 + 0.2 * 0.2 + 0.1 * 0.5, Offset.offset(1e-12));
    }

    @Test
    void prefersTheInstanceWithTheMostHeadroomWhenScoringAll() {
        TestInstance hot = new TestInstance("a", 100).clients(10).load(report(10, 0.9, 80, 0));
        TestInstance cool = new TestInstance("b", 100).clients(30).load(report(30, 0.2, 20, 0));
        TestInstance warm = new TestInstance("c", 100).clients(10).load(report(10, 0.6, 50, 0));
        Picker all = new ResourceAware(new ResourceAware.Weights(0.4, 0.3, 0.2, 0.1, 3))
                .update(TestInstance.view(List.of(hot, cool, warm)));
        Picker sampled = LoadBalancers.resourceAware().update(TestInstance.view(List.of(hot, cool, warm)));
        SplittableRandom random = new SplittableRandom(2);
        for (int k = 0; k < 20; k++) {
            assertThat(all.pick(new TestRequest("x" + k, random))).isEqualTo(cool);
            assertThat(sampled.pick(new TestRequest("x" + k, random))).isNotEqualTo(hot); // 2 of 3: never the worst
        }
        cool.load(report(30, 1.0, 90, 0)); // a report that arrives after the view: read live
        assertThat(all.pick(new TestRequest("y", random))).isEqualTo(warm);
    }

    @Test
    void rejectsNegativeOrZeroWeights() {
        assertThatThrownBy(() -> LoadBalancers.resourceAware(0, 0, 0, 0)).hasMessageContaining("not all 0");
    }
}
