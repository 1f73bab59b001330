package io.reploid.service;

import static io.reploid.service.RecordingHandler.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.reploid.ErrorCode;
import io.reploid.internal.protocol.Frame;
import io.reploid.service.ScriptedGateway.Peer;
import io.reploid.service.ScriptedGateway.Pushed;
import io.reploid.service.ScriptedGateway.Response;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Attach, detach, requests and pushes, against a scripted gateway. */
class ServiceRequestTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    private final RecordingHandler handler = new RecordingHandler();
    private final ScriptedGateway gateway = new ScriptedGateway();
    private ReploidService service;
    private Peer peer;

    @BeforeEach
    void start() {
        service = ReploidService.builder(handler)
                .gateway(gateway.address())
                .instanceId("svc-1")
                .handlerThreads(4)
                .maxInFlight(3)
                .build();
        service.start();
        peer = gateway.acceptRegistered(60_000);
    }

    @AfterEach
    void tearDown() {
        service.close();
        gateway.close();
        assertThat(handler.eventLoopThreads).as("handler calls on event loops").isEmpty();
        assertThat(handler.threads).allMatch(t -> t.startsWith("reploid-svc-1-handler-")
                || t.startsWith("reploid-svc-1-timer-"));
    }

    @Test
    void attachCreatesTheStateAndCallsOnAttach() {
        peer.send(new Frame.Attach("c1", 5, Map.of("user", "ann")));
        assertThat(handler.nextEvent()).isEqualTo("newState:c1");
        assertThat(handler.nextEvent()).isEqualTo("attach:c1");
        ClientSession<?> session = handler.sessions.get("c1");
        assertThat(session.clientId()).isEqualTo("c1");
        assertThat(session.metadata()).containsExactly(Map.entry("user", "ann"));
        assertThat(session.epoch()).isEqualTo(5);
        assertThat(session.isAttached()).isTrue();
        assertThat(service.clientCount()).isEqualTo(1);

        peer.send(new Frame.Attach("c1", 8, Map.of()));
        assertThat(handler.nextEvent()).isEqualTo("attach:c1"); // same state, higher epoch
        assertThat(session.epoch()).isEqualTo(8);
    }

    @Test
    void answersRequestsWithTheirIds() {
        peer.request("c1", 4, 42, "echo:hello");
        assertThat(peer.next(Response.class)).isEqualTo(new Response("c1", 4, 42, "hello"));
        peer.request("c1", 4, 43, "null");
        assertThat(peer.next(Response.class)).isEqualTo(new Response("c1", 4, 43, ""));
        peer.request("c1", 4, 44, "count");
        assertThat(peer.next(Response.class).payload()).isEqualTo("3");
        assertThat(handler.nextEvent()).isEqualTo("newState:c1"); // created by the first request
        assertThat(handler.sessions.get("c1").epoch()).isEqualTo(4);
    }

    @Test
    void reportsHandlerFailuresAsClientErrors() {
        peer.request("c1", 1, 1, "fail");
        Frame.ClientError error = peer.next(Frame.ClientError.class);
        assertThat(error.requestId()).isEqualTo(1);
        assertThat(error.code()).isEqualTo(ErrorCode.HANDLER_ERROR);
        assertThat(error.message()).contains("IllegalStateException", "boom");

        peer.request("c1", 1, 2, "failAsync");
        error = peer.next(Frame.ClientError.class);
        assertThat(error.code()).isEqualTo(ErrorCode.HANDLER_ERROR);
        assertThat(error.message()).contains("IllegalArgumentException", "async boom");

        peer.request("c1", 1, 3, "overloaded");
        error = peer.next(Frame.ClientError.class);
        assertThat(error.code()).isEqualTo(ErrorCode.OVERLOADED);
        assertThat(error.message()).contains("too busy");

        peer.request("c1", 1, 4, "count"); // the client's queue goes on after failures
        assertThat(peer.next(Response.class).payload()).isEqualTo("4");
    }

    @Test
    void pushesThroughTheConnectionTheClientIsAttachedThrough() {
        peer.send(new Frame.Attach("c1", 6, Map.of()));
        handler.nextEvent();
        handler.nextEvent();
        ClientSession<?> session = handler.sessions.get("c1");
        assertThat(session.push(bytes("news"))).isTrue();
        assertThat(peer.next(Pushed.class)).isEqualTo(new Pushed("c1", 6, "news"));

        peer.send(new Frame.Detach("c1", 6, Frame.DetachReason.DISCONNECTED));
        assertThat(handler.nextEvent()).isEqualTo("detach:c1");
        assertThat(session.isAttached()).isFalse();
        assertThat(session.push(bytes("lost"))).isFalse();
        assertThat(service.clientCount()).isEqualTo(1);

        peer.send(new Frame.Attach("c1", 6, Map.of()));
        assertThat(handler.nextEvent()).isEqualTo("attach:c1"); // no newState: the state was kept
        assertThat(session.push(bytes("back"))).isTrue();
        assertThat(peer.next(Pushed.class).payload()).isEqualTo("back");
    }

    @Test
    void revokedClientsAreDropped() {
        peer.request("c1", 2, 1, "echo:x");
        peer.next(Response.class);
        peer.send(new Frame.Detach("c1", 2, Frame.DetachReason.REVOKED));
        await().atMost(WAIT).until(() -> service.clientCount() == 0);

        peer.request("c1", 3, 2, "count"); // a new visit starts over
        assertThat(peer.next(Response.class).payload()).isEqualTo("1");
    }

    @Test
    void staleRevocationKeepsANewerPin() {
        peer.send(new Frame.Attach("c1", 7, Map.of()));
        peer.send(new Frame.Detach("c1", 6, Frame.DetachReason.REVOKED));
        peer.request("c1", 7, 1, "echo:x");
        peer.next(Response.class);
        assertThat(service.clientCount()).isEqualTo(1);
    }

    @Test
    void runsOneClientsRequestsInOrderAndOtherClientsMeanwhile() {
        peer.request("c1", 1, 1, "hold:first");
        assertThat(handler.nextEvent()).isEqualTo("newState:c1");
        assertThat(handler.nextEvent()).isEqualTo("request:c1:hold:first");
        peer.request("c1", 1, 2, "echo:second");
        peer.request("c2", 1, 3, "echo:other");

        // c2 is answered while c1's first request is pending, and c1's second has not started.
        assertThat(peer.next(Response.class).payload()).isEqualTo("other");
        assertThat(handler.sessions.get("c1").state()).containsExactly("hold:first");

        handler.held("first").complete(bytes("one"));
        assertThat(peer.next(Response.class)).isEqualTo(new Response("c1", 1, 1, "one"));
        assertThat(peer.next(Response.class)).isEqualTo(new Response("c1", 1, 2, "second"));
    }

    @Test
    void readsAgainAfterTooManyRequestsDrain() {
        int requests = 20; // well above maxInFlight (3): the instance stops reading, then reads again
        for (int i = 1; i <= requests; i++) {
            peer.request("c" + (i % 5), 1, i, "hold:all");
        }
        await().atMost(WAIT).until(() -> handler.events.stream().anyMatch(e -> e.startsWith("request:")));
        handler.held("all").complete(bytes("done"));
        for (int i = 1; i <= requests; i++) {
            assertThat(peer.next(Response.class).payload()).isEqualTo("done");
        }
        peer.send(new Frame.Ping(9));
        assertThat(peer.next(Frame.Pong.class).nonce()).isEqualTo(9);
    }
}
