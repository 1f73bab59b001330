package io.reploid.balance.simulation;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The balancing targets, checked on a seeded simulation (the figures are deterministic): 100 instances,
 * 10,000 clients arriving evenly over 100 steps, one instance crashing half-way. The same run as
 * {@code simulate --workload uniform --events crash:1@50% --seed 42} in docs/balancing.md.
 */
class SimulationTargetsTest {
    private static Report report;

    @BeforeAll
    static void simulate() {
        report = Simulation.builder()
                .instances(100).clients(10_000).steps(100)
                .workload(Workload.uniform())
                .events("crash:1@50%")
                .strategies("bounded-load:factor=1.25,p2c,ring-hash,rendezvous,maglev")
                .seed(42)
                .build()
                .run();
    }

    @Test
    void boundedLoadKeepsPeakToAverageWithinItsFactorAtEveryStep() {
        assertThat(report.steps("bounded-load:factor=1.25")).hasSize(100)
                .allSatisfy(s -> assertThat(s.peakToAverage()).as("step %d", s.step()).isLessThanOrEqualTo(1.25));
    }

    @Test
    void powerOfTwoChoicesEndsWithinTenPercentOfTheMean() {
        assertThat(report.row("p2c").peakToAverageFinal()).isLessThanOrEqualTo(1.1);
    }

    @Test
    void hashStrategiesMoveLittleWhenOneOfAHundredInstancesCrashes() {
        for (String ring : new String[] {"ring-hash", "rendezvous"}) {
            assertThat(report.row(ring).strayFraction()).as(ring).isLessThanOrEqualTo(0.002);
        }
        Report.Movement maglev = report.movements().stream().filter(m -> m.strategy().equals("maglev")).findFirst()
                .orElseThrow();
        assertThat((double) maglev.moved() / maglev.clients()).isLessThanOrEqualTo(0.02);
        assertThat(report.rows()).allSatisfy(r -> {
            assertThat(r.badPicks()).as(r.strategy()).isZero();
            assertThat(r.unplaced()).as(r.strategy()).isZero();
            assertThat(r.refused()).as(r.strategy()).isZero();
        });
    }
}
