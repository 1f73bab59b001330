package io.reploid.client;

import static io.reploid.client.Outcomes.failureOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.reploid.ErrorCode;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReploidClientBuilderTest {

    private static ReploidClient.Builder valid() {
        return ReploidClient.builder().clientId("c").gateway("127.0.0.1:7400");
    }

    @Test
    void requiresClientIdAndGateways() {
        assertThatThrownBy(() -> ReploidClient.builder().gateway("127.0.0.1:7400").build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("clientId is missing");
        assertThatThrownBy(() -> ReploidClient.builder().clientId("c").build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("gateways are missing");
    }

    @Test
    void rejectsBadClientIds() {
        assertThatThrownBy(() -> ReploidClient.builder().clientId(""))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("clientId is empty");
        assertThatThrownBy(() -> ReploidClient.builder().clientId("a\nb"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("control character");
        assertThatThrownBy(() -> ReploidClient.builder().clientId("x".repeat(256)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("256 bytes");
    }

    @Test
    void rejectsBadGateways() {
        assertThatThrownBy(() -> ReploidClient.builder().gateway("localhost"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'localhost'");
        assertThatThrownBy(() -> ReploidClient.builder().gateways(" , "))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no address");
        assertThatThrownBy(() -> ReploidClient.builder().gateways(List.<InetSocketAddress>of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least one");
        assertThatThrownBy(() -> ReploidClient.builder().gateway("h:0"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("port 0");
    }

    @Test
    void rejectsOutOfRangeNumbersAndDurationsWithTheSettingInTheMessage() {
        assertThatThrownBy(() -> valid().maxInFlight(0)).hasMessage("maxInFlight: 0 (expected: > 0)");
        assertThatThrownBy(() -> valid().maxPending(-1)).hasMessage("maxPending: -1 (expected: >= 0)");
        assertThatThrownBy(() -> valid().requestTimeout(Duration.ZERO)).hasMessage("requestTimeout: PT0S (expected: > 0)");
        assertThatThrownBy(() -> valid().connectTimeout(Duration.ofSeconds(-1)))
                .hasMessage("connectTimeout: PT-1S (expected: > 0)");
        assertThatThrownBy(() -> valid().pingInterval(Duration.ZERO)).hasMessageStartingWith("pingInterval: PT0S");
        assertThatThrownBy(() -> valid().maxFrameSize(100)).hasMessage("maxFrameSize: 100 (expected: >= 1024)");
        assertThatThrownBy(() -> valid().reconnectBackoff(Duration.ofSeconds(2), Duration.ofSeconds(1)))
                .hasMessageContaining("expected: min <= max");
        assertThatThrownBy(() -> valid().reconnectBackoff(Duration.ofNanos(10), Duration.ofSeconds(1)))
                .hasMessageContaining("expected: >= 1 ms");
        assertThatThrownBy(() -> valid().retryBackoff(Duration.ofMillis(20), Duration.ofMillis(10)))
                .hasMessage("retryBackoff: PT0.02S..PT0.01S (expected: min <= max)");
        assertThatThrownBy(() -> valid().retryBackoff(Duration.ofNanos(10), Duration.ofSeconds(1)))
                .hasMessage("retryBackoff min: PT0.00000001S (expected: >= 1 ms)");
        assertThatThrownBy(() -> valid().retryBackoff(Duration.ZERO, Duration.ofSeconds(1)))
                .hasMessage("retryBackoff min: PT0S (expected: > 0)");
        assertThatThrownBy(() -> valid().retryBackoff(Duration.ofMillis(1), null))
                .isInstanceOf(NullPointerException.class).hasMessage("retryBackoff max");
        assertThatThrownBy(() -> valid().onPush(null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void checksMetadataAgainstTheProtocolLimits() {
        Map<String, String> many = new HashMap<>();
        for (int i = 0; i < 65; i++) {
            many.put("k" + i, "v");
        }
        assertThatThrownBy(() -> valid().metadata(many).build())
                .isInstanceOf(IllegalStateException.class).hasMessage("metadata: 65 entries (expected: at most 64)");
        assertThatThrownBy(() -> valid().metadata("k", "v".repeat(70_000)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at most 65535");
        assertThatThrownBy(() -> valid().maxFrameSize(1024).metadata("k", "v".repeat(2000)).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("maxFrameSize 1024");
    }

    @Test
    void requestChecksItsArguments() {
        try (ReploidClient client = valid().build()) {
            assertThatThrownBy(() -> client.request(null)).isInstanceOf(NullPointerException.class);
            assertThatThrownBy(() -> client.request(new byte[1], Duration.ZERO))
                    .isInstanceOf(IllegalArgumentException.class).hasMessage("timeout: PT0S (expected: > 0)");
            assertThat(failureOf(client.request(new byte[2_000_000])).code()).isEqualTo(ErrorCode.FRAME_TOO_LARGE);
        }
    }
}
