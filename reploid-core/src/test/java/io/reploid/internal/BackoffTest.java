package io.reploid.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BackoffTest {

    @Test
    void theFirstDelayIsTheMinimum() {
        assertThat(new Backoff(100, 5000).nextDelayMillis()).isEqualTo(100);
    }

    @Test
    void theCeilingDoublesUntilTheMaximum() {
        for (int run = 0; run < 200; run++) {
            Backoff b = new Backoff(100, 5000);
            for (int attempt = 0; attempt < 12; attempt++) {
                long ceiling = Math.min(5000, 100L << attempt);
                assertThat(b.nextDelayMillis()).as("attempt %d", attempt).isBetween(100L, ceiling);
                assertThat(b.attempts()).isEqualTo(attempt + 1);
            }
        }
    }

    @Test
    void delaysAreJitteredAcrossTheWholeRange() {
        Backoff b = new Backoff(100, 5000);
        for (int i = 0; i < 10; i++) {
            b.nextDelayMillis();
        }
        Set<Long> seen = new HashSet<>();
        long min = Long.MAX_VALUE;
        long max = 0;
        for (int i = 0; i < 2000; i++) {
            long d = b.nextDelayMillis();
            assertThat(d).isBetween(100L, 5000L);
            seen.add(d);
            min = Math.min(min, d);
            max = Math.max(max, d);
        }
        assertThat(seen).as("distinct delays").hasSizeGreaterThan(500);
        assertThat(min).isLessThan(1000);
        assertThat(max).isGreaterThan(4000);
    }

    @Test
    void resetStartsOver() {
        Backoff b = new Backoff(100, 5000);
        for (int i = 0; i < 5; i++) {
            b.nextDelayMillis();
        }
        b.reset();
        assertThat(b.attempts()).isZero();
        assertThat(b.nextDelayMillis()).isEqualTo(100);
    }

    @Test
    void aFixedDelayWhenMinimumEqualsMaximum() {
        Backoff b = new Backoff(250, 250);
        for (int i = 0; i < 50; i++) {
            assertThat(b.nextDelayMillis()).isEqualTo(250);
        }
    }

    @Test
    void manyAttemptsNeitherOverflowNorExceedTheMaximum() {
        Backoff b = new Backoff(1, Long.MAX_VALUE / 2);
        for (int i = 0; i < 200; i++) {
            assertThat(b.nextDelayMillis()).isBetween(1L, Long.MAX_VALUE / 2);
        }
        Backoff big = new Backoff(1L << 40, 1L << 62); // a minimum of 35 years still doubles safely
        for (int i = 0; i < 50; i++) {
            assertThat(big.nextDelayMillis()).isBetween(1L << 40, 1L << 62);
        }
    }

    @ParameterizedTest
    @CsvSource({"0, 10", "-1, 10", "10, 9", "1, 0"})
    void rejectsABadRange(long min, long max) {
        assertThatThrownBy(() -> new Backoff(min, max))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("backoff: " + min + ".." + max + " (expected: 0 < min <= max)");
    }
}
