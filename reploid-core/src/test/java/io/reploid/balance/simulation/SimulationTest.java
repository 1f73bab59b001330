package io.reploid.balance.simulation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

class SimulationTest {
    private static final String EVERY_STRATEGY = "round-robin,random,least-clients,least-loaded,p2c,weighted,"
            + "ring-hash,rendezvous,maglev,bounded-load,resource-aware,affinity:key=region,then=p2c,"
            + "slow-start:window=5s,then=least-clients";

    private static Simulation.Builder small(Workload workload) {
        return Simulation.builder().instances(20).clients(1_000).steps(20).workload(workload)
                .events("crash:2@30%,leave:2@50%,join:3@70%").seed(7);
    }

    /** Every built-in strategy on every workload: no bad pick, nobody left out, every pin within capacity. */
    @TestFactory
    Stream<DynamicTest> everyStrategyOnEveryWorkloadKeepsTheGatewayGuarantees() {
        return Stream.of("uniform", "zipf", "churn", "heterogeneous", "scale-out").map(name -> DynamicTest.dynamicTest(
                name, () -> {
                    Report r = small(Workload.named(name)).strategies(EVERY_STRATEGY).build().run();
                    assertThat(r.rows()).hasSize(14).allSatisfy(row -> {
                        assertThat(row.badPicks()).as(row.strategy()).isZero();
                        assertThat(row.unplaced()).as(row.strategy()).isZero();
                        assertThat(row.refused()).as(row.strategy()).isZero();
                    });
                    assertThat(r.movements()).hasSize(14 * (name.equals("scale-out") ? 4 : 3));
                }));
    }

    @Test
    void sameSeedSameFigures() {
        Report a = small(Workload.zipf()).strategies("p2c,maglev").build().run();
        Report b = small(Workload.zipf()).strategies("p2c,maglev").build().run();
        assertThat(a.stepsCsv()).isEqualTo(b.stepsCsv());
        assertThat(a.movementsCsv()).isEqualTo(b.movementsCsv());
        assertThat(withoutTiming(a)).isEqualTo(withoutTiming(b));
        Report c = small(Workload.zipf()).seed(8).strategies("p2c,maglev").build().run();
        assertThat(c.stepsCsv()).isNotEqualTo(a.stepsCsv());
    }

    private static List<Report.Row> withoutTiming(Report r) {
        return r.rows().stream().map(x -> new Report.Row(x.strategy(), x.peakToAverageMax(), x.peakToAverageMean(),
                x.peakToAverageFinal(), x.cvFinal(), x.moved(), x.minimumMoves(), x.strayMoves(), x.strayBase(),
                x.repinned(), x.badPicks(), x.unplaced(), x.refused(), x.picks(), 0)).toList();
    }

    @Test
    void theIdealBaselineBalancesWeightedClientsBest() {
        Report r = Simulation.builder().instances(50).clients(5_000).steps(50).workload(Workload.zipf())
                .strategies("least-clients,least-loaded,p2c,resource-aware").seed(3).build().run();
        double ideal = r.row("ideal").peakToAverageFinal();
        assertThat(r.rows()).allSatisfy(row -> assertThat(row.peakToAverageFinal()).isGreaterThanOrEqualTo(ideal));
        assertThat(r.row("least-loaded").peakToAverageFinal()).isLessThan(r.row("least-clients").peakToAverageFinal());
    }

    @Test
    void reportsAsTableAndCsv() {
        Report r = small(Workload.uniform()).strategies("ring-hash").ideal(false).build().run();
        assertThat(r.description()).isEqualTo("workload=uniform instances=20 clients=1000 steps=20 capacity=100 "
                + "events=crash:2@30%,leave:2@50%,join:3@70% seed=7");
        assertThat(r.table()).contains("ring-hash", "p2a max", "crash:2@30%");
        assertThat(r.csv().lines()).hasSize(2).first().asString().startsWith("strategy,p2a_max,");
        assertThat(r.stepsCsv().lines()).hasSize(21);
        assertThat(r.movementsCsv().lines()).hasSize(4);
    }

    @Test
    void validatesEagerly() {
        assertThatThrownBy(() -> Simulation.builder().instances(0)).hasMessage("instances: 0 (expected: > 0)");
        assertThatThrownBy(() -> Simulation.builder().strategy("nope"))
                .hasMessageStartingWith("unknown balancer 'nope'");
        assertThatThrownBy(() -> Simulation.builder().strategy("p2c").strategy("p2c"))
                .hasMessage("strategy 'p2c' is already added");
        assertThatThrownBy(() -> Simulation.builder().ideal(false).build()).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> Simulation.builder().instances(3).events("crash:4@10%").build().run())
                .hasMessage("event crash:4@10%: only 3 instances at step 10");
        assertThatThrownBy(() -> Workload.named("bursty")).hasMessageContaining("expected: uniform, zipf");
    }

    @Test
    void parsesEventsAndStrategyLists() {
        assertThat(MembershipEvent.parseList("join:10@50%, crash:3@70%,leave:1@12.5%")).containsExactly(
                new MembershipEvent(MembershipEvent.Kind.JOIN, 10, 0.5),
                new MembershipEvent(MembershipEvent.Kind.CRASH, 3, 0.7),
                new MembershipEvent(MembershipEvent.Kind.LEAVE, 1, 0.125));
        assertThat(new MembershipEvent(MembershipEvent.Kind.LEAVE, 1, 0.125)).hasToString("leave:1@12.5%");
        assertThatThrownBy(() -> MembershipEvent.parse("crash:3")).hasMessageContaining("expected: join|leave|crash");
        assertThatThrownBy(() -> MembershipEvent.parse("join:0@5%")).hasMessage("event 'join:0@5%': count: 0 (expected: > 0)");
        assertThat(Simulation.splitSpecs("least-clients,bounded-load:factor=1.5,vnodes=50,affinity:key=r,then=ring-hash"
                + ":vnodes=9,p2c")).containsExactly("least-clients", "bounded-load:factor=1.5,vnodes=50",
                "affinity:key=r,then=ring-hash:vnodes=9", "p2c");
    }
}
