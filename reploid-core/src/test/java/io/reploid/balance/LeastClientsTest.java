package io.reploid.balance;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class LeastClientsTest {

    @Test
    void picksTheLowestFillRatioFirstInIdOrderOnTies() {
        TestInstance a = new TestInstance("a", 10).clients(5); // 0.5
        TestInstance b = new TestInstance("b", 100).clients(30); // 0.3
        TestInstance c = new TestInstance("c", 10).clients(3); // 0.3
        Picker p = LoadBalancers.leastClients().update(TestInstance.view(List.of(a, b, c)));
        assertThat(p.pick(new TestRequest("x"))).isEqualTo(b);
        assertThat(p.pick(new TestRequest("x").exclude(b))).isEqualTo(c);
        b.clients(100);
        assertThat(p.pick(new TestRequest("x"))).isEqualTo(c); // live counts, no update needed
    }
}
