package io.reploid.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.reploid.internal.HostAndPort;
import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class LoadRunTest {
    private static final List<InetSocketAddress> THREE = HostAndPort.parseList("a:1,b:2,c:3");

    private static List<String> order(int first) {
        return LoadRun.rotated(THREE, first).stream().map(HostAndPort::format).toList();
    }

    @Test
    void clientIStartsOnGatewayIModNThenTriesTheNextOnesInTurn() {
        assertThat(order(0)).containsExactly("a:1", "b:2", "c:3");
        assertThat(order(1)).containsExactly("b:2", "c:3", "a:1");
        assertThat(order(2)).containsExactly("c:3", "a:1", "b:2");
        assertThat(order(3)).containsExactly("a:1", "b:2", "c:3");
        assertThat(order(200)).containsExactly("c:3", "a:1", "b:2");
        assertThat(LoadRun.rotated(THREE, 1)).hasSize(3);
        assertThat(THREE).extracting(HostAndPort::format).containsExactly("a:1", "b:2", "c:3");
    }
}
