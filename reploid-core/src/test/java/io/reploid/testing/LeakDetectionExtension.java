package io.reploid.testing;

import static org.assertj.core.api.Assertions.fail;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails a test when Netty reported a leaked buffer during it. Registered for every test through JUnit's
 * extension auto-detection ({@code META-INF/services/org.junit.jupiter.api.extension.Extension}).
 *
 * <p>Leaks are found when a leaked buffer is garbage-collected and a later allocation polls the queue,
 * so after each test class this runs the collector and allocates a few buffers; after each test it
 * checks what was reported so far. A leak found late fails the test (or class) during which it was
 * found, which still fails the build.
 */
public final class LeakDetectionExtension implements AfterEachCallback, AfterAllCallback {

    @Override
    public void afterEach(ExtensionContext context) {
        check(false);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        check(true);
    }

    private static void check(boolean collect) {
        if (!RecordingLeakDetector.installed()) {
            return;
        }
        for (int round = 0; collect && round < 3; round++) {
            System.gc();
            System.runFinalization();
            List<ByteBuf> bufs = new ArrayList<>();
            for (int i = 0; i < 64; i++) {
                bufs.add(PooledByteBufAllocator.DEFAULT.directBuffer(16));
                bufs.add(PooledByteBufAllocator.DEFAULT.heapBuffer(16));
                bufs.add(UnpooledByteBufAllocator.DEFAULT.buffer(16));
            }
            bufs.forEach(ByteBuf::release);
        }
        if (!RecordingLeakDetector.LEAKS.isEmpty()) {
            List<String> leaks = new ArrayList<>(RecordingLeakDetector.LEAKS);
            RecordingLeakDetector.LEAKS.clear();
            fail(leaks.size() + " Netty buffer leak(s) reported:\n" + String.join("\n\n", leaks));
        }
    }
}
