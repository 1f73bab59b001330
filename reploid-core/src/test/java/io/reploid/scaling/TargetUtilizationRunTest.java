package io.reploid.scaling;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Long runs of the target-utilisation policy against a {@link SimulatedCluster} on a fake clock, every one
 * under each metric (the cluster makes them read alike, so the sizes must not depend on the metric).
 */
class TargetUtilizationRunTest {
    private static final Duration SYNC = Duration.ofSeconds(15);
    private static final Duration START_DELAY = Duration.ofSeconds(20);

    private static TargetUtilizationBuilder policy(ScalingMetric metric) {
        return ScalingPolicies.targetUtilization().metric(metric).maxInstances(30);
    }

    @ParameterizedTest
    @EnumSource(ScalingMetric.class)
    void loadStepScalesOutByFourOrDoublingToTheExactSize(ScalingMetric metric) {
        SimulatedCluster c = new SimulatedCluster(policy(metric).build(), 2, START_DELAY);
        List<Integer> sizes = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            c.tick(SYNC, 1400); // wants ceil(1400 / 70) = 20
            sizes.add(c.size());
        }
        // +4, then +100% (6), then the rest; the instances still starting count as capacity coming.
        assertThat(sizes).containsExactly(6, 12, 20, 20, 20, 20, 20, 20);
        assertThat(c.registered()).isEqualTo(20);
    }

    @ParameterizedTest
    @EnumSource(ScalingMetric.class)
    void rampUpScalesOutWithoutOvershootingOrShrinking(ScalingMetric metric) {
        SimulatedCluster c = new SimulatedCluster(policy(metric).build(), 2, START_DELAY);
        int last = c.size();
        for (int i = 0; i <= 80; i++) {
            int demand = 140 + (1400 - 140) * Math.min(i, 40) / 40; // ten minutes up, then ten flat
            c.tick(SYNC, demand);
            assertThat(c.size()).as("tick %d", i).isGreaterThanOrEqualTo(last).isLessThanOrEqualTo(20);
            last = c.size();
        }
        // 1400 clients on 100-client instances within 10% of 0.7: 19 or 20 (18 would be at 0.78).
        assertThat(c.registered()).isBetween(19, 20);
        double ratio = 1400.0 / (SimulatedCluster.CAPACITY * c.registered()) / 0.7;
        assertThat(Math.abs(ratio - 1)).isLessThanOrEqualTo(0.1);
    }

    @ParameterizedTest
    @EnumSource(ScalingMetric.class)
    void rampDownWaitsOutTheWindowThenRemovesOneAtATime(ScalingMetric metric) {
        SimulatedCluster c = new SimulatedCluster(policy(metric).build(), 20, START_DELAY);
        for (int i = 0; i < 40; i++) {
            c.tick(SYNC, 1400);
        }
        assertThat(c.changes()).isZero();

        long drop = c.nanoTime() + SYNC.toNanos(); // the first decision that sees 280 clients (4 instances)
        List<Integer> sizes = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            c.tick(SYNC, 280);
            sizes.add(c.size());
        }
        List<Long> secondsAfterDrop = c.changeTimes().stream()
                .map(t -> TimeUnit.NANOSECONDS.toSeconds(t - drop))
                .toList();
        List<Long> expected = new ArrayList<>();
        for (long s = 300; expected.size() < 16; s += 15) {
            expected.add(s);
        }
        assertThat(secondsAfterDrop).isEqualTo(expected);
        assertThat(sizes.subList(0, 20)).containsOnly(20);
        for (int i = 20; i < 36; i++) {
            assertThat(sizes.get(i)).isEqualTo(sizes.get(i - 1) - 1);
        }
        assertThat(c.size()).isEqualTo(4);
    }

    /** Demand that swings across a tolerance boundary every three minutes, with noise, for a simulated day. */
    private static int changesOverADay(ScalingPolicy policy, int center) {
        SimulatedCluster c = new SimulatedCluster(policy, 10, START_DELAY);
        Random random = new Random(7);
        int ticks = (int) (Duration.ofDays(1).toSeconds() / SYNC.toSeconds());
        for (int i = 0; i < ticks; i++) {
            double phase = 2 * Math.PI * i * SYNC.toSeconds() / 180.0;
            int demand = (int) Math.round(center + 30 * Math.sin(phase) + random.nextInt(21) - 10);
            c.tick(SYNC, demand);
        }
        return c.changes();
    }

    @ParameterizedTest(name = "around {0} clients on 10 instances")
    @ValueSource(ints = {770, 630}) // ratio 1.1 and 0.9: the upper and lower tolerance boundaries
    void oscillationAtTheToleranceBoundaryDoesNotFlap(int center) {
        for (ScalingMetric metric : ScalingMetric.values()) {
            assertThat(changesOverADay(policy(metric).build(), center)).as("%s", metric).isLessThanOrEqualTo(2);
        }
        // Without tolerance, window and cooldown the same load flaps all day: the run can tell.
        ScalingPolicy jumpy = ScalingPolicies.targetUtilization().tolerance(0).scaleDownStabilization(Duration.ZERO)
                .cooldown(Duration.ZERO).maxInstances(30).build();
        assertThat(changesOverADay(jumpy, center)).isGreaterThan(500);
    }

    @Test
    void theScaleDownWindowStopsFlappingThatToleranceAloneLetsThrough() {
        // 560 to 640 clients. 9 instances are within tolerance from 567 to 693 clients, so the deepest troughs
        // ask for 8, and 8 are over tolerance (from 616) at the next peak: tolerance alone goes 9 -> 8 -> 9.
        ScalingPolicy toleranceOnly = ScalingPolicies.targetUtilization().scaleDownStabilization(Duration.ZERO)
                .maxInstances(30).build();
        assertThat(changesOverADay(toleranceOnly, 600)).isGreaterThan(20);
        assertThat(changesOverADay(policy(ScalingMetric.CLIENTS).build(), 600)).isLessThanOrEqualTo(2);
    }

    @Test
    void cooldownMakesStepsRatesWhateverTheSyncPeriod() {
        ScalingPolicy p = ScalingPolicies.targetUtilization().scaleDownStabilization(Duration.ZERO)
                .maxInstances(30).build();
        SimulatedCluster c = new SimulatedCluster(p, 20, START_DELAY);
        for (int i = 0; i < 60; i++) {
            c.tick(Duration.ofSeconds(1), 280);
        }
        // One removal every 15 s over a minute, although the policy was asked every second.
        assertThat(c.changes()).isEqualTo(4);
        assertThat(c.size()).isEqualTo(16);
    }

    @ParameterizedTest
    @EnumSource(ScalingMetric.class)
    void randomRunsKeepEveryLimit(ScalingMetric metric) {
        Random random = new Random(metric.ordinal() * 31L + 1);
        for (int run = 0; run < 50; run++) {
            int min = 1 + random.nextInt(4);
            int max = min + random.nextInt(30);
            int stepUp = 1 + random.nextInt(6);
            int stepDown = 1 + random.nextInt(3);
            Duration cooldown = Duration.ofSeconds(random.nextInt(60));
            ScalingPolicy p = ScalingPolicies.targetUtilization().metric(metric)
                    .minInstances(min).maxInstances(max).maxScaleUpStep(stepUp).maxScaleDownStep(stepDown)
                    .cooldown(cooldown).scaleDownStabilization(Duration.ofSeconds(random.nextInt(600)))
                    .scaleUpStabilization(Duration.ofSeconds(random.nextInt(60)))
                    .tolerance(random.nextDouble() * 0.3).build();
            SimulatedCluster c = new SimulatedCluster(p, random.nextInt(max + 5),
                    Duration.ofSeconds(random.nextInt(90)));
            int demand = random.nextInt(2000);
            long lastChange = Long.MIN_VALUE;
            for (int i = 0; i < 500; i++) {
                demand = Math.max(0, demand + random.nextInt(201) - 100);
                int before = c.size();
                ScalingDecision d = c.tick(Duration.ofSeconds(1 + random.nextInt(30)), demand);
                int desired = d.desired();
                assertThat(desired).as(d.reason()).isBetween(min, max);
                if (before < min || before > max) {
                    assertThat(desired).as(d.reason()).isEqualTo(before < min ? min : max);
                } else if (desired != before) {
                    assertThat(desired - before).as(d.reason()).isBetween(-stepDown, Math.max(stepUp, before));
                    if (lastChange != Long.MIN_VALUE) {
                        assertThat(c.nanoTime() - lastChange).as(d.reason()).isGreaterThanOrEqualTo(cooldown.toNanos());
                    }
                }
                if (desired != before) {
                    lastChange = c.nanoTime();
                }
            }
        }
    }
}
