package io.reploid.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.reploid.service.ScriptedGateway.Response;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

/** The examples of the Javadoc of {@link ServiceHandler} and {@link ReploidService}, run. */
class ServiceHandlerExampleTest {

    static final class Counter implements ServiceHandler<int[]> {
        public int[] newState(ClientSession<int[]> session) {
            return new int[1];
        }

        public byte[] onRequest(ClientSession<int[]> session, byte[] request) {
            int count = ++session.state()[0];
            return Integer.toString(count).getBytes(StandardCharsets.UTF_8);
        }
    }

    @Test
    void countsEachClientsRequests() {
        ExecutorService executor = Executors.newFixedThreadPool(2); // a caller's executor: not shut down by close
        try (ScriptedGateway gateway = new ScriptedGateway()) {
            ReploidService service = ReploidService.builder(new Counter())
                    .gateways(gateway.address())
                    .instanceId("counter-1")
                    .executor(executor)
                    .build();
            service.start();
            ScriptedGateway.Peer peer = gateway.acceptRegistered(60_000);
            peer.request("ann", 1, 1, "");
            peer.request("ann", 1, 2, "");
            peer.request("bob", 2, 3, "");
            assertThat(List.of(peer.next(Response.class), peer.next(Response.class), peer.next(Response.class)))
                    .containsExactlyInAnyOrder(new Response("ann", 1, 1, "1"), new Response("ann", 1, 2, "2"),
                            new Response("bob", 2, 3, "1"));
            service.close();
            assertThat(executor.isShutdown()).isFalse();
        } finally {
            executor.shutdownNow();
        }
    }
}
