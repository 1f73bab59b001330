package io.reploid.balance.simulation;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The end of the tutorial in docs/balancing.md: scoring a custom balancer against the built-in ones. */
class MostFreeSlotsTest {

    @Test
    void scoreItInTheSimulator() {
        Report report = Simulation.builder()
                .instances(30).clients(3_000).steps(30)
                .workload(Workload.heterogeneous())
                .events("crash:3@50%")
                .strategy("most-free-slots", MostFreeSlots::new)
                .strategies("least-clients,weighted")
                .seed(42)
                .build()
                .run();
        System.out.print(report.table());

        Report.Row mine = report.row("most-free-slots");
        assertThat(mine.badPicks()).isZero();
        // Free slots favour big instances until they are as empty as the small ones in absolute terms,
        // so they end up fuller relative to capacity than with least-clients.
        assertThat(mine.peakToAverageFinal()).isGreaterThan(report.row("least-clients").peakToAverageFinal());
    }
}
