package io.reploid.balance;

import static org.assertj.core.api.Assertions.assertThat;

import io.reploid.testing.FakeClock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class SlowStartTest {

    @Test
    void aNewInstanceShareRampsUpOverTheWindow() {
        FakeClock clock = new FakeClock();
        long now = clock.nanoTime();
        TestInstance old = new TestInstance("a", 1_000_000, 1, Map.of(), now - TimeUnit.HOURS.toNanos(1))
                .clients(500_000); // least-clients always prefers the new instance
        TestInstance fresh = new TestInstance("b", 1_000_000, 1, Map.of(), now);
        LoadBalancer balancer = LoadBalancers.slowStart(LoadBalancers.leastClients(), Duration.ofSeconds(100), 0.1,
                1.0, clock);
        Picker p = balancer.update(new ClusterView(List.of(old, fresh), 1, now));
        SplittableRandom random = new SplittableRandom(3);
        assertThat(shareOfFresh(p, fresh, random)).isBetween(0.07, 0.13); // min 10%
        clock.advance(50, TimeUnit.SECONDS); // the ramp goes on between updates
        assertThat(shareOfFresh(p, fresh, random)).isBetween(0.45, 0.55);
        clock.advance(50, TimeUnit.SECONDS);
        assertThat(shareOfFresh(p, fresh, random)).isEqualTo(1.0); // least-clients: always the empty one
    }

    private static double shareOfFresh(Picker p, TestInstance fresh, SplittableRandom random) {
        int toFresh = 0;
        for (int c = 0; c < 4_000; c++) {
            TestInstance i = (TestInstance) p.pick(new TestRequest("c" + c, random));
            i.pin();
            toFresh += i == fresh ? 1 : 0;
        }
        return toFresh / 4_000.0;
    }

    @Test
    void neverRefusesAClientWhenOnlyYoungInstancesHaveRoom() {
        FakeClock clock = new FakeClock();
        TestInstance fresh = new TestInstance("b", 10, 1, Map.of(), clock.nanoTime());
        Picker p = LoadBalancers.slowStart(LoadBalancers.roundRobin(), Duration.ofMinutes(1), 0.01, 1.0, clock)
                .update(new ClusterView(List.of(fresh), 1, clock.nanoTime()));
        for (int c = 0; c < 100; c++) {
            assertThat(p.pick(new TestRequest("c" + c))).isEqualTo(fresh);
        }
    }

    @Test
    void factorFollowsTheAggression() {
        SlowStart s = new SlowStart(LoadBalancers.roundRobin(), Duration.ofSeconds(100), 0.1, 2.0, System::nanoTime);
        assertThat(s.factor(TimeUnit.SECONDS.toNanos(25))).isEqualTo(0.5); // sqrt(0.25)
        assertThat(s.factor(0)).isEqualTo(0.1);
        assertThat(s.factor(TimeUnit.SECONDS.toNanos(100))).isEqualTo(1.0);
    }
}
