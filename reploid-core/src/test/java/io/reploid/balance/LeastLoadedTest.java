package io.reploid.balance;

import static org.assertj.core.api.Assertions.assertThat;

import io.reploid.LoadReport;
import java.util.List;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

class LeastLoadedTest {
    private static final Offset<Double> ULP = Offset.offset(1e-12);

    private static LoadReport report(int clients, double cpu, long heapUsed, long heapMax) {
        return new LoadReport(0, clients, 0, cpu, heapUsed, heapMax, 0, true);
    }

    @Test
    void utilisationIsTheScarcestResourceProjectedToLiveClients() {
        assertThat(LoadScore.utilisation(10, 100, LoadReport.EMPTY)).isCloseTo(0.1, ULP);
        assertThat(LoadScore.utilisation(10, 100, report(10, 0.5, 0, -1))).isCloseTo(0.5, ULP);
        assertThat(LoadScore.utilisation(10, 100, report(10, 0.2, 70, 100))).isCloseTo(0.7, ULP);
        // 20 clients pinned since a report of 0.5 cpu at 10 clients: 0.5 + 10/100
        assertThat(LoadScore.utilisation(20, 100, report(10, 0.5, 0, -1))).isCloseTo(0.6, ULP);
        // a report that arrives after the view was built is read live
        TestInstance i = new TestInstance("a", 100).clients(20);
        LoadScore scores = new LoadScore(new Instance[] {i});
        assertThat(scores.utilisation(0)).isCloseTo(0.2, ULP);
        i.load(report(20, 0.9, 0, -1));
        assertThat(scores.utilisation(0)).isCloseTo(0.9, ULP);
    }

    @Test
    void picksTheInstanceWithTheLowestReportedLoad() {
        TestInstance busy = new TestInstance("a", 100).clients(10).load(report(10, 0.9, 0, -1));
        TestInstance idle = new TestInstance("b", 100).clients(40).load(report(40, 0.3, 0, -1));
        Picker p = LoadBalancers.leastLoaded().update(TestInstance.view(List.of(busy, idle)));
        assertThat(p.pick(new TestRequest("x"))).isEqualTo(idle);
        idle.clients(100); // full: reported load no longer matters
        assertThat(p.pick(new TestRequest("x"))).isEqualTo(busy);
    }
}
