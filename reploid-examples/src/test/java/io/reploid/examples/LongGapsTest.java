package io.reploid.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class LongGapsTest {
    private static final long MS = 1_000_000;
    private static final long S = 1_000 * MS;

    @Test
    void gapsAreGroupedByTheSecondTheyBeganInWithTheirCountAndTheLongest() {
        LongGaps gaps = new LongGaps("gaps >= 250 ms", 250 * MS);
        long start = 7 * S; // any nanoTime origin
        gaps.start(start);
        gaps.record(start + 8 * S + 100 * MS, 900 * MS);
        gaps.record(start + 8 * S + 300 * MS, 1_234_500_000L);
        gaps.record(start + 16 * S, 400 * MS);
        gaps.record(start + 3 * S, 249 * MS); // shorter than the threshold: ignored

        assertThat(gaps.report()).containsExactly(
                "load: gaps >= 250 ms that began in second 8: 2, longest 1234.5 ms",
                "load: gaps >= 250 ms that began in second 16: 1, longest 400.0 ms");
    }

    @Test
    void gapsOfAKindAreNamedAsTheyAreTold() {
        LongGaps gaps = new LongGaps("gaps ending on another gateway", 1);
        gaps.start(0);
        gaps.record(2 * S, 30 * MS);
        assertThat(gaps.report()).containsExactly("load: gaps ending on another gateway that began in second 2: 1, "
                + "longest 30.0 ms");
    }

    @Test
    void noLongGapsNoLines() {
        LongGaps gaps = new LongGaps("gaps >= 250 ms", 250 * MS);
        gaps.start(0);
        assertThat(gaps.report()).isEmpty();
        assertThatThrownBy(() -> new LongGaps("gaps", 0)).hasMessage("thresholdNanos: 0 (expected: > 0)");
    }
}
