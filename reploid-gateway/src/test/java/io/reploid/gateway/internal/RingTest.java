package io.reploid.gateway.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class RingTest {

    @Test
    void keepsTheLatestItemsAfterACursor() {
        Ring<Integer> ring = new Ring<>(8);
        assertThat(ring.since(0, 10)).isEmpty();
        for (int i = 1; i <= 5; i++) {
            ring.record(i);
        }
        assertThat(ring.last()).isEqualTo(5);
        assertThat(ring.since(0, 10)).containsExactly(1, 2, 3, 4, 5);
        assertThat(ring.since(3, 10)).containsExactly(4, 5);
        assertThat(ring.since(0, 2)).containsExactly(4, 5);
        assertThat(ring.since(5, 10)).isEmpty();
        assertThat(ring.since(0, 0)).isEmpty();
        for (int i = 6; i <= 20; i++) {
            ring.record(i);
        }
        assertThat(ring.since(0, 100)).containsExactly(13, 14, 15, 16, 17, 18, 19, 20);
    }

    @Test
    void concurrentWritersNeverBreakReaders() throws Exception {
        Ring<Long> ring = new Ring<>(64);
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> writers = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            Thread w = new Thread(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (long i = 0; i < 20_000; i++) {
                    ring.record(i);
                }
            });
            w.start();
            writers.add(w);
        }
        start.countDown();
        long cursor = 0;
        while (writers.stream().anyMatch(Thread::isAlive)) {
            assertThat(ring.since(cursor, 32)).hasSizeLessThanOrEqualTo(32).doesNotContainNull();
            cursor = ring.last();
        }
        for (Thread w : writers) {
            w.join();
        }
        assertThat(ring.last()).isEqualTo(80_000);
        assertThat(ring.since(0, 1000)).hasSize(64);
    }

    @Test
    void capacityIsAPowerOfTwo() {
        assertThatThrownBy(() -> new Ring<>(100)).hasMessage("capacity: 100 (expected: a power of two)");
    }
}
