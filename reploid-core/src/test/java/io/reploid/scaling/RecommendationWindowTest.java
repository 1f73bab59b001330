package io.reploid.scaling;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RecommendationWindowTest {

    @ParameterizedTest(name = "window {0}s, highest {1}")
    @CsvSource({"0, true", "0, false", "60, true", "60, false", "300, true", "300, false"})
    void agreesWithScanningEveryRecommendation(long windowSeconds, boolean highest) {
        long window = TimeUnit.SECONDS.toNanos(windowSeconds);
        RecommendationWindow w = new RecommendationWindow(window, highest);
        List<long[]> all = new ArrayList<>();
        Random random = new Random(42);
        long now = TimeUnit.HOURS.toNanos(1);
        for (int i = 0; i < 20_000; i++) {
            now += TimeUnit.MILLISECONDS.toNanos(random.nextInt(30_000));
            int rec = 1 + random.nextInt(20);
            all.add(new long[] {now, rec});

            long expected = highest ? Long.MIN_VALUE : Long.MAX_VALUE;
            for (long[] r : all) {
                if (now - r[0] <= window) {
                    expected = highest ? Math.max(expected, r[1]) : Math.min(expected, r[1]);
                }
            }
            assertThat(w.add(now, rec)).as("step %d", i).isEqualTo(expected);
            assertThat(w.size()).isLessThanOrEqualTo(20);
            if (all.size() > 100) {
                all.remove(0); // older than any window here
            }
        }
    }

    @ParameterizedTest(name = "highest {0}")
    @CsvSource({"true", "false"})
    void holdsOneEntryPerDistinctValueHoweverOftenCalled(boolean highest) {
        RecommendationWindow w = new RecommendationWindow(TimeUnit.SECONDS.toNanos(300), highest);
        for (int ms = 0; ms < 300_000; ms++) {
            w.add(TimeUnit.MILLISECONDS.toNanos(ms), 5 + (ms / 1000) % 3);
        }
        assertThat(w.size()).isLessThanOrEqualTo(3);
    }
}
