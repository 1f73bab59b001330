package io.reploid.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.reploid.client.ReploidClient;
import io.reploid.service.ClientSession;
import io.reploid.service.ReploidService;
import io.reploid.service.ServiceHandler;
import io.reploid.state.StateCodec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The README's tutorial, kept here so that it compiles and runs. */
class TutorialTest {

    // --- README: a ServiceHandler -------------------------------------------------------------
    /** Per-client state: must be serialisable by the codec so it can be persisted and moved. */
    public static final class Cart {
        public int items;
    }

    /** Each client has a cart; "add" puts an item in it and answers the count. */
    static final class CartService implements ServiceHandler<Cart> {
        @Override
        public Cart newState(ClientSession<Cart> session) {
            return new Cart();
        }

        @Override
        public byte[] onRequest(ClientSession<Cart> session, byte[] request) {
            // Calls for one client run one at a time, so the state needs no locking.
            Cart cart = session.state();
            cart.items++;
            return ("items=" + cart.items).getBytes(StandardCharsets.UTF_8);
        }

        @Override
        public StateCodec<Cart> stateCodec() {
            return StateCodec.json(Cart.class);
        }
    }
    // ------------------------------------------------------------------------------------------

    @Test
    void tutorialRuns() {
        // --- README: start a gateway, a service and a client ----------------------------------
        try (ReploidGateway gateway = ReploidGateway.builder()
                     .clientPort(0).servicePort(0).adminPort(0)   // 0: any free port
                     .pinRecoveryWindow(Duration.ZERO)             // a fresh cluster: no pins to recover
                     .build()
                     .start();
             ReploidService service = ReploidService.builder(new CartService())
                     .gateway("127.0.0.1:" + gateway.servicePort())
                     .instanceId("cart-1")
                     .capacity(10_000)
                     .build();
             ReploidClient client = ReploidClient.builder()
                     .clientId("alice")
                     .gateway("127.0.0.1:" + gateway.clientPort())
                     .build()) {
            service.start().join();
            client.connect().join();
            byte[] answer = client.request("add".getBytes(StandardCharsets.UTF_8)).join();
            System.out.println(new String(answer, StandardCharsets.UTF_8) + " from " + client.instanceId());
            // --------------------------------------------------------------------------------------
            assertThat(new String(answer, StandardCharsets.UTF_8)).isEqualTo("items=1");
            assertThat(client.instanceId()).isEqualTo("cart-1");
        }
    }
}
