package io.reploid.gateway;

import static io.reploid.gateway.TestCluster.call;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netty.buffer.Unpooled;
import io.reploid.client.ReploidClient;
import io.reploid.internal.protocol.Frame;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * A client that sends requests but never reads the answers stops being read by the gateway (write
 * watermarks and autoRead), so the gateway's memory for it stays bounded, and other clients are served.
 */
class SlowReaderTest {

    @Test
    void aClientThatNeverReadsIsThrottledNotBuffered() throws Exception {
        try (TestCluster cluster = new TestCluster(b -> b.maxInFlightPerClient(100_000))) {
            cluster.addInstance("svc-1", 10);
            CounterHandler handler = cluster.handlers.get("svc-1");
            String payload = "echo:" + "x".repeat(4000);
            int attempts = 200_000; // 800 MB of answers if the gateway buffered them all
            AtomicLong sent = new AtomicLong();
            try (RawPeer peer = new RawPeer(cluster.gateway.clientPort())) {
                peer.socket().setReceiveBufferSize(4096);
                peer.send(new Frame.Hello(1, "never-reads", Map.of()));
                Thread writer = new Thread(() -> {
                    try {
                        for (int i = 1; i <= attempts; i++) {
                            peer.send(new Frame.Request(i, Unpooled.copiedBuffer(payload, StandardCharsets.UTF_8)));
                            sent.incrementAndGet();
                        }
                    } catch (Exception e) {
                        // closed at the end of the test
                    }
                }, "slow-reader-writer");
                writer.setDaemon(true);
                writer.start();

                // The writer blocks: the gateway stopped reading, so TCP pushes back.
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() -> {
                    long before = sent.get();
                    long handledBefore = handler.handled.get();
                    Thread.onSpinWait();
                    return before > 0 && before == lastSent.getAndSet(before) && handledBefore == lastHandled.getAndSet(handledBefore);
                });
                assertThat(sent.get()).isLessThan(attempts);
                assertThat(handler.handled.get()).isLessThan(attempts / 4);

                // Everyone else is still served.
                ReploidClient other = cluster.client("other");
                assertThat(call(other, "incr")).isEqualTo("svc-1:1");
            }
        }
    }

    private final AtomicLong lastSent = new AtomicLong(-1);
    private final AtomicLong lastHandled = new AtomicLong(-1);
}
