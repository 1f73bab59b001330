package io.reploid.scaling;

import static org.assertj.core.api.Assertions.assertThat;

import io.reploid.scaling.ScalingSnapshot.InstanceLoad;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TargetUtilizationPolicyTest {
    private static final long START = TimeUnit.HOURS.toNanos(1);

    /** The clock reading {@code seconds} after the start. */
    private static long at(double seconds) {
        return START + (long) (seconds * 1e9);
    }

    private static InstanceLoad instance(int i, int clients) {
        return new InstanceLoad("i" + i, clients, 100, -1, -1, 0, false);
    }

    /** {@code count} instances of capacity 100 with {@code clientsEach} clients each. */
    private static ScalingSnapshot clients(double seconds, int count, int clientsEach, int pending) {
        List<InstanceLoad> list = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            list.add(instance(i, clientsEach));
        }
        return new ScalingSnapshot(at(seconds), list, pending);
    }

    private static ScalingSnapshot clients(double seconds, int count, int clientsEach) {
        return clients(seconds, count, clientsEach, 0);
    }

    /** No windows, no cooldown, no step limits: every decision is the bare HPA formula. */
    private static TargetUtilizationBuilder unlimited() {
        return ScalingPolicies.targetUtilization()
                .scaleDownStabilization(Duration.ZERO)
                .cooldown(Duration.ZERO)
                .maxScaleUpStep(1000)
                .maxScaleDownStep(1000)
                .maxInstances(1000);
    }

    @Test
    void reasonSaysTheNumbers() {
        ScalingDecision d = ScalingPolicies.targetUtilization().build().decide(clients(0, 3, 92));

        assertThat(d).isEqualTo(new ScalingDecision(4, "clients/capacity 0.92 over target 0.70 (tolerance 0.10): 3 -> 4"));
    }

    @Test
    void withinToleranceHolds() {
        ScalingDecision d = ScalingPolicies.targetUtilization().build().decide(clients(0, 3, 75));

        assertThat(d).isEqualTo(new ScalingDecision(3,
                "clients/capacity 0.75 within tolerance 0.10 of target 0.70: holding at 3"));
    }

    @Test
    void toleranceBoundaryIsInclusive() {
        // 10 instances at 0.77: ratio 1.1 exactly, on the boundary; one client more is over it.
        assertThat(unlimited().build().decide(clients(0, 10, 77)).desired()).isEqualTo(10);
        List<InstanceLoad> list = new ArrayList<>(clients(0, 10, 77).instances());
        list.set(0, instance(0, 78));
        assertThat(unlimited().build().decide(new ScalingSnapshot(at(0), list, 0)).desired()).isEqualTo(12);
        assertThat(unlimited().build().decide(clients(0, 10, 63)).desired()).isEqualTo(10);
    }

    @ParameterizedTest(name = "{0} instances with {1} clients each -> {2}")
    @CsvSource({
        "3, 92, 4",     // ceil(3 * 0.92 / 0.7) = ceil(3.94)
        "4, 90, 6",     // ceil(5.14)
        "10, 80, 12",   // ceil(11.43)
        "1, 100, 2",    // ceil(1.43)
        "7, 100, 10",   // ceil(10.0): exactly 10, not 11
        "10, 30, 5",    // ceil(4.29)
        "10, 35, 5",    // ceil(5.0)
        "20, 10, 3",    // ceil(2.86)
        "5, 0, 1",      // no load: min
    })
    void desiredIsCeilOfCurrentTimesUtilisationOverTarget(int instances, int clientsEach, int expected) {
        assertThat(unlimited().build().decide(clients(0, instances, clientsEach)).desired()).isEqualTo(expected);
    }

    @Test
    void scaleUpStepIsFourInstancesOrDoubling() {
        ScalingPolicy p = unlimited().maxScaleUpStep(4).maxInstances(40).build();

        assertThat(p.decide(clients(0, 2, 300))).isEqualTo(new ScalingDecision(6,
                "clients/capacity 3.00 over target 0.70 (tolerance 0.10): 2 -> 6 (wants 9; max step up 4)"));
        assertThat(p.decide(clients(15, 10, 210))).isEqualTo(new ScalingDecision(20,
                "clients/capacity 2.10 over target 0.70 (tolerance 0.10): 10 -> 20 (wants 30; max step up 10)"));
    }

    @Test
    void scaleDownStepIsOneByDefault() {
        ScalingPolicy one = ScalingPolicies.targetUtilization().scaleDownStabilization(Duration.ZERO).build();
        ScalingPolicy three = ScalingPolicies.targetUtilization().scaleDownStabilization(Duration.ZERO)
                .maxScaleDownStep(3).build();

        assertThat(one.decide(clients(0, 10, 20))).isEqualTo(new ScalingDecision(9,
                "clients/capacity 0.20 under target 0.70 (tolerance 0.10): 10 -> 9 (wants 3; max step down 1)"));
        assertThat(three.decide(clients(0, 10, 20)).desired()).isEqualTo(7);
    }

    @Test
    void cooldownHoldsTheNextChange() {
        ScalingPolicy p = ScalingPolicies.targetUtilization().cooldown(Duration.ofSeconds(15)).build();

        assertThat(p.decide(clients(0, 3, 92)).desired()).isEqualTo(4);
        ScalingDecision held = p.decide(clients(5, 4, 95));
        assertThat(held).isEqualTo(new ScalingDecision(4, "clients/capacity 0.95 over target 0.70 (tolerance 0.10): "
                + "holding at 4 (wants 6; cooldown 15s, last change 5s ago)"));
        assertThat(p.decide(clients(14.999, 4, 95)).desired()).isEqualTo(4);
        assertThat(p.decide(clients(15, 4, 95)).desired()).isEqualTo(6);
    }

    @Test
    void boundsOverrideTheCooldown() {
        ScalingPolicy p = ScalingPolicies.targetUtilization().build();
        assertThat(p.decide(clients(0, 3, 92)).desired()).isEqualTo(4);

        // A moment later 12 instances registered (started by hand, say): back to the maximum at once.
        assertThat(p.decide(clients(1, 12, 70))).isEqualTo(new ScalingDecision(10,
                "clients/capacity 0.70 within tolerance 0.10 of target 0.70: 12 -> 10 (max 10)"));
    }

    @Test
    void clampsToMax() {
        ScalingPolicy p = ScalingPolicies.targetUtilization().maxInstances(10).build();

        assertThat(p.decide(clients(0, 10, 100))).isEqualTo(new ScalingDecision(10,
                "clients/capacity 1.00 over target 0.70 (tolerance 0.10): holding at 10 (wants 15; max 10)"));
    }

    @Test
    void clampsToMin() {
        ScalingPolicy p = unlimited().minInstances(3).build();

        assertThat(p.decide(clients(0, 3, 0))).isEqualTo(new ScalingDecision(3,
                "clients/capacity 0.00 under target 0.70 (tolerance 0.10): holding at 3 (wants 0; min 3)"));
        assertThat(p.decide(clients(15, 8, 0)).desired()).isEqualTo(3);
        assertThat(p.decide(clients(30, 2, 80))).isEqualTo(new ScalingDecision(3,
                "clients/capacity 0.80 over target 0.70 (tolerance 0.10): 2 -> 3 (min 3)"));
    }

    @Test
    void noInstancesScaleToMin() {
        ScalingPolicy p = ScalingPolicies.targetUtilization().minInstances(2).build();

        assertThat(p.decide(new ScalingSnapshot(at(0), List.of(), 0)))
                .isEqualTo(new ScalingDecision(2, "no instances: 0 -> 2 (min 2)"));
    }

    @Test
    void allInstancesDrainingScaleToMin() {
        List<InstanceLoad> draining = List.of(
                new InstanceLoad("a", 50, 100, 0.5, -1, 0, true),
                new InstanceLoad("b", 50, 100, 0.5, -1, 0, true),
                new InstanceLoad("c", 50, 100, 0.5, -1, 0, true));
        ScalingPolicy p = ScalingPolicies.targetUtilization().build();

        assertThat(p.decide(new ScalingSnapshot(at(0), draining, 0)))
                .isEqualTo(new ScalingDecision(1, "all 3 instances draining: 0 -> 1 (min 1)"));
        assertThat(p.decide(new ScalingSnapshot(at(1), draining, 2)))
                .isEqualTo(new ScalingDecision(2, "all 3 instances draining, 2 starting: holding at 2"));
    }

    @Test
    void onlyPendingStartsHold() {
        ScalingDecision d = ScalingPolicies.targetUtilization().build().decide(new ScalingSnapshot(at(0), List.of(), 2));

        assertThat(d).isEqualTo(new ScalingDecision(2, "no instance registered yet, 2 starting: holding at 2"));
    }

    @Test
    void pendingStartsCountAsCapacityComing() {
        ScalingPolicy p = ScalingPolicies.targetUtilization().build();
        assertThat(p.decide(clients(0, 3, 92)).desired()).isEqualTo(4);

        // The fourth has not registered 15 s and 30 s later: the same load asks for nothing more.
        for (int s = 15; s <= 30; s += 15) {
            assertThat(p.decide(clients(s, 3, 92, 1))).isEqualTo(new ScalingDecision(4,
                    "clients/capacity 0.69 (with 1 starting) within tolerance 0.10 of target 0.70: holding at 4"));
        }
    }

    @Test
    void pendingStartsDoNotStopGrowthTheLoadNeeds() {
        ScalingPolicy p = ScalingPolicies.targetUtilization().build();

        // 450 clients want ceil(450 / 70) = 7 instances, whichever of them are still starting.
        assertThat(p.decide(clients(0, 3, 150, 1))).isEqualTo(new ScalingDecision(7,
                "clients/capacity 1.13 (with 1 starting) over target 0.70 (tolerance 0.10): 4 -> 7"));
    }

    @Test
    void drainingClientsCountAsDemandForTheRest() {
        List<InstanceLoad> list = new ArrayList<>(clients(0, 3, 50).instances());
        list.add(new InstanceLoad("leaving", 60, 100, -1, -1, 0, true));

        ScalingDecision d = ScalingPolicies.targetUtilization().build().decide(new ScalingSnapshot(at(0), list, 0));

        assertThat(d).isEqualTo(new ScalingDecision(3,
                "clients/capacity 0.70 within tolerance 0.10 of target 0.70: holding at 3"));
    }

    @Test
    void zeroCapacityHolds() {
        List<InstanceLoad> list = List.of(new InstanceLoad("a", 0, 0, -1, -1, 0, false));

        assertThat(ScalingPolicies.targetUtilization().build().decide(new ScalingSnapshot(at(0), list, 0)))
                .isEqualTo(new ScalingDecision(1, "capacity 0 on all 1 instances: holding at 1"));
    }

    @Test
    void cpuIgnoresInstancesThatDoNotKnowTheirs() {
        List<InstanceLoad> list = List.of(
                new InstanceLoad("a", 0, 100, 0.9, -1, 0, false),
                new InstanceLoad("b", 0, 100, 0.9, -1, 0, false),
                new InstanceLoad("c", 0, 100, -1, -1, 0, false));

        ScalingDecision d = ScalingPolicies.targetUtilization().metric(ScalingMetric.CPU).build()
                .decide(new ScalingSnapshot(at(0), list, 0));

        assertThat(d).isEqualTo(new ScalingDecision(4, "mean cpu 0.90 over target 0.70 (tolerance 0.10): 3 -> 4"));
    }

    @Test
    void cpuUnknownEverywhereHolds() {
        List<InstanceLoad> list = List.of(
                new InstanceLoad("a", 90, 100, -1, -1, 0, false),
                new InstanceLoad("b", 90, 100, Double.NaN, -1, 0, false),
                new InstanceLoad("c", 90, 100, -1, -1, 0, false));

        ScalingDecision d = ScalingPolicies.targetUtilization().metric(ScalingMetric.CPU).build()
                .decide(new ScalingSnapshot(at(0), list, 0));

        assertThat(d).isEqualTo(new ScalingDecision(3, "cpu unknown on all 3 instances: holding at 3"));
    }

    @Test
    void gaugeIsInTheServicesUnits() {
        List<InstanceLoad> list = List.of(
                new InstanceLoad("a", 0, 100, -1, -1, 14, false),
                new InstanceLoad("b", 0, 100, -1, -1, 15, false),
                new InstanceLoad("c", 0, 100, -1, -1, 16, false));

        ScalingDecision d = ScalingPolicies.targetUtilization().metric(ScalingMetric.GAUGE).target(10).build()
                .decide(new ScalingSnapshot(at(0), list, 0));

        assertThat(d).isEqualTo(new ScalingDecision(5,
                "mean gauge 15.00 over target 10.00 (tolerance 0.10): 3 -> 5"));
    }

    @Test
    void scaleUpWindowWaitsOutShortSpikes() {
        ScalingPolicy p = ScalingPolicies.targetUtilization().scaleUpStabilization(Duration.ofSeconds(60)).build();
        assertThat(p.decide(clients(0, 3, 70)).desired()).isEqualTo(3);

        assertThat(p.decide(clients(15, 3, 150))).isEqualTo(new ScalingDecision(3,
                "clients/capacity 1.50 over target 0.70 (tolerance 0.10): holding at 3 "
                        + "(wants 7; lowest in the 60s scale-up window 3)"));
        assertThat(p.decide(clients(30, 3, 70)).desired()).isEqualTo(3);

        // A spike that lasts the whole window is real load.
        for (int s = 45; s <= 90; s += 15) {
            assertThat(p.decide(clients(s, 3, 150)).desired()).as("at %ds", s).isEqualTo(3);
        }
        assertThat(p.decide(clients(105, 3, 150)).desired()).isEqualTo(7);
    }

    @Test
    void scaleDownWindowSaysWhatItWaitsFor() {
        ScalingPolicy p = ScalingPolicies.targetUtilization().build();
        assertThat(p.decide(clients(0, 10, 70)).desired()).isEqualTo(10);

        assertThat(p.decide(clients(15, 10, 28))).isEqualTo(new ScalingDecision(10,
                "clients/capacity 0.28 under target 0.70 (tolerance 0.10): holding at 10 "
                        + "(wants 4; highest in the 300s scale-down window 10)"));
    }

    @Test
    void everyBuildHasItsOwnHistory() {
        TargetUtilizationBuilder b = ScalingPolicies.targetUtilization();
        ScalingPolicy first = b.build();
        assertThat(first.decide(clients(0, 3, 92)).desired()).isEqualTo(4);

        ScalingPolicy second = b.build();
        assertThat(second.decide(clients(1, 4, 95)).desired()).isEqualTo(6);
        assertThat(first.decide(clients(1, 4, 95)).desired()).isEqualTo(4);
    }
}
