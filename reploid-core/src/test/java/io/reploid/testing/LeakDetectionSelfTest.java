package io.reploid.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Proves that the leak check is live: a buffer dropped without release is reported to
 * {@link RecordingLeakDetector}, which is what makes {@link LeakDetectionExtension} fail a test.
 */
class LeakDetectionSelfTest {

    @Test
    void aDroppedBufferIsReported() {
        Assumptions.assumeTrue(RecordingLeakDetector.installed(),
                "run through Maven: the parent pom installs the recording leak detector");
        leak();
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            System.gc();
            List<ByteBuf> bufs = new ArrayList<>();
            for (int i = 0; i < 64; i++) {
                bufs.add(PooledByteBufAllocator.DEFAULT.directBuffer(16));
            }
            bufs.forEach(ByteBuf::release);
            return RecordingLeakDetector.LEAKS.stream().anyMatch(l -> l.contains("LEAK"));
        });
        // The leak was planted on purpose: clear it so that the extension does not fail this test.
        RecordingLeakDetector.LEAKS.clear();
    }

    private static void leak() {
        ByteBuf leaked = PooledByteBufAllocator.DEFAULT.directBuffer(64);
        leaked.writeLong(42);
        assertThat(leaked.readableBytes()).isEqualTo(8);
    }
}
