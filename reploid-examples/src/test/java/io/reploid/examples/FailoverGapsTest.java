package io.reploid.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The load tool's failover figures: percentiles over clients, and which instance answered. */
class FailoverGapsTest {
    private static final long MS = 1_000_000;

    @Test
    void summarisesTheLongestGapOfEveryClientAndOfTheClientsThatMoved() {
        long[] gaps = new long[100];
        boolean[] moved = new boolean[100];
        for (int i = 0; i < 100; i++) {
            gaps[i] = (i + 1) * MS; // 1..100 ms
        }
        moved[97] = true; // 98 ms
        moved[98] = true; // 99 ms
        moved[99] = true; // 100 ms

        FailoverGaps g = FailoverGaps.of(gaps, moved);

        assertThat(g.p50Millis()).isEqualTo(50.0);
        assertThat(g.p99Millis()).isEqualTo(99.0);
        assertThat(g.maxMillis()).isEqualTo(100.0);
        assertThat(g.moved()).isEqualTo(3);
        assertThat(g.movedP50Millis()).isEqualTo(99.0);
        assertThat(g.movedP99Millis()).isEqualTo(100.0);
    }

    @Test
    void withoutClientsOrMovesTheFiguresAreZero() {
        FailoverGaps none = FailoverGaps.of(new long[0], new boolean[0]);
        assertThat(none).isEqualTo(new FailoverGaps(0, 0, 0, 0, 0, 0));

        FailoverGaps still = FailoverGaps.of(new long[] {3 * MS}, new boolean[] {false});
        assertThat(still.maxMillis()).isEqualTo(3.0);
        assertThat(still.moved()).isZero();
        assertThat(still.movedP99Millis()).isZero();
    }

    @Test
    void findsTheInstanceIdAtTheEndOfAnAnswer() {
        assertThat(id("{\"ok\":true,\"value\":1,\"instance\":\"svc-1\"}")).isEqualTo("svc-1");
        assertThat(id("{\"ok\":true,\"value\":12,\"instance\":\"\"}")).isEmpty();
        assertThat(id("{\"ok\":true,\"value\":42}")).isNull();
        assertThat(id("{\"ok\":true,\"name\":\"x\"}")).isNull();
        assertThat(id("\"}")).isNull();
        assertThat(id("")).isNull();
    }

    private static String id(String answer) {
        byte[] bytes = answer.getBytes(StandardCharsets.UTF_8);
        int start = LoadClient.instanceIdStart(bytes);
        return start < 0 ? null : new String(bytes, start, bytes.length - 2 - start, StandardCharsets.UTF_8);
    }
}
