package io.reploid.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.reploid.ErrorCode;
import io.reploid.internal.protocol.Frame;
import io.reploid.internal.protocol.Protocol;
import io.reploid.service.ScriptedGateway.Closed;
import io.reploid.service.ScriptedGateway.Peer;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What an instance does with PINGs and with frames that break the protocol. */
class ServiceProtocolErrorTest {
    private final ScriptedGateway gateway = new ScriptedGateway();
    private ReploidService service;
    private Peer peer;

    @BeforeEach
    void start() {
        service = ReploidService.builder(new RecordingHandler())
                .gateway(gateway.address())
                .instanceId("svc-1")
                .maxFrameSize(4096)
                .reconnectBackoff(Duration.ofMillis(10), Duration.ofMillis(50))
                .build();
        service.start();
        peer = gateway.acceptRegistered(60_000);
    }

    @AfterEach
    void tearDown() {
        service.close();
        gateway.close();
    }

    @Test
    void answersPing() {
        peer.send(new Frame.Ping(77));
        assertThat(peer.next(Frame.Pong.class)).isEqualTo(new Frame.Pong(77));
    }

    @Test
    void rejectsClientPortFrames() {
        peer.send(new Frame.Hello(Protocol.VERSION, "c1", Map.of()));
        assertClosedWith(ErrorCode.UNEXPECTED_FRAME, "HELLO");
    }

    @Test
    void rejectsClientPortPayloadFrames() {
        peer.send(new Frame.Request(1, Unpooled.copiedBuffer(new byte[] {1, 2, 3})));
        assertClosedWith(ErrorCode.UNEXPECTED_FRAME, "REQUEST");
    }

    @Test
    void rejectsUnknownFrameTypes() {
        peer.sendRaw(new byte[] {0, 0, 0, 1, 0x7F});
        assertClosedWith(ErrorCode.PROTOCOL_ERROR, "0x7F");
    }

    @Test
    void rejectsFramesOverTheMaximumSize() {
        peer.sendRaw(new byte[] {0, 0x10, 0, 0, 0x06});
        assertClosedWith(ErrorCode.FRAME_TOO_LARGE, "");
    }

    private void assertClosedWith(ErrorCode code, String inMessage) {
        Frame.Error error = peer.next(Frame.Error.class);
        assertThat(error.requestId()).isZero();
        assertThat(error.code()).isEqualTo(code);
        assertThat(error.message()).contains(inMessage);
        assertThat(peer.next(Closed.class)).isEqualTo(Closed.CLOSED);
        gateway.acceptRegistered(60_000); // and reconnects
    }
}
