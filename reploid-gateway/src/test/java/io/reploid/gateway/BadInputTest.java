package io.reploid.gateway;

import static io.reploid.gateway.TestCluster.call;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.reploid.ErrorCode;
import io.reploid.client.ReploidClient;
import io.reploid.internal.protocol.Frame;
import io.reploid.internal.protocol.Protocol;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every kind of bad input gets an error frame that says what was wrong, the connection is closed, and a
 * well-behaved client on the same gateway keeps being served.
 */
class BadInputTest {
    private static TestCluster cluster;
    private static ReploidClient bystander;
    private static int bystanderCalls;

    @BeforeAll
    static void start() {
        cluster = new TestCluster(b -> b.maxFrameSize(64 * 1024));
        cluster.addInstance("svc-1", 100);
        bystander = cluster.client("bystander");
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    @BeforeEach
    void bystanderIsServed() {
        assertThat(call(bystander, "incr")).isEqualTo("svc-1:" + (++bystanderCalls));
    }

    private static byte[] frame(int type, byte[] body) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeInt(body.length + 1);
        out.writeByte(type);
        out.write(body);
        return bytes.toByteArray();
    }

    private static byte[] hello(int version, byte[] clientId) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeInt(Protocol.MAGIC);
        out.writeShort(version);
        out.writeShort(clientId.length);
        out.write(clientId);
        out.writeShort(0);
        return frame(0x01, bytes.toByteArray());
    }

    private static void expectError(int port, byte[] input, ErrorCode code, String messagePart) throws IOException {
        try (RawPeer peer = new RawPeer(port)) {
            peer.sendRaw(input);
            Frame.Error error = peer.readError();
            assertThat(error.code()).isEqualTo(code);
            assertThat(error.requestId()).isZero();
            assertThat(error.message()).contains(messagePart);
            assertThat(peer.closedByPeer()).as("connection closed").isTrue();
        }
    }

    private int clientPort() {
        return cluster.gateway.clientPort();
    }

    private int servicePort() {
        return cluster.gateway.servicePort();
    }

    @Test
    void truncatedFrame() throws IOException {
        // A HELLO whose body stops in the middle of the client id.
        byte[] full = hello(1, "abcdef".getBytes(StandardCharsets.UTF_8));
        byte[] cut = new byte[full.length - 5];
        System.arraycopy(full, 0, cut, 0, cut.length);
        cut[3] = (byte) (cut.length - 4);
        expectError(clientPort(), cut, ErrorCode.PROTOCOL_ERROR, "truncated HELLO frame");
    }

    @Test
    void garbageBytes() throws IOException {
        expectError(clientPort(), "GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII),
                ErrorCode.FRAME_TOO_LARGE, "over the limit of 65536 bytes");
        expectError(servicePort(), new byte[] {0, 0, 0, 5, (byte) 0xEE, 1, 2, 3, 4}, ErrorCode.PROTOCOL_ERROR,
                "unknown frame type 0xEE");
    }

    @Test
    void unknownFrameType() throws IOException {
        expectError(clientPort(), frame(0x7F, new byte[3]), ErrorCode.PROTOCOL_ERROR, "unknown frame type 0x7F");
    }

    @Test
    void wrongProtocolVersion() throws IOException {
        expectError(clientPort(), hello(7, "v".getBytes(StandardCharsets.UTF_8)), ErrorCode.UNSUPPORTED_VERSION,
                "protocol version 7 is not supported");
    }

    @Test
    void lengthOverTheMaximumIsRejectedBeforeTheBodyArrives() throws IOException {
        try (RawPeer peer = new RawPeer(clientPort())) {
            peer.sendRaw(new byte[] {0x00, 0x10, 0x00, 0x00}); // 1 MiB declared, limit 64 KiB, no body sent
            Frame.Error error = peer.readError();
            assertThat(error.code()).isEqualTo(ErrorCode.FRAME_TOO_LARGE);
            assertThat(error.message()).isEqualTo("frame of 1048576 bytes is over the limit of 65536 bytes");
            assertThat(peer.closedByPeer()).isTrue();
        }
    }

    @Test
    void badClientIds() throws IOException {
        expectError(clientPort(), hello(1, new byte[0]), ErrorCode.INVALID_ID, "clientId is empty");
        expectError(clientPort(), hello(1, "x".repeat(256).getBytes(StandardCharsets.UTF_8)), ErrorCode.INVALID_ID,
                "256 bytes long");
        expectError(clientPort(), hello(1, new byte[] {'a', (byte) 0xC3, (byte) 0x28}), ErrorCode.INVALID_ID,
                "clientId is not valid UTF-8");
        expectError(clientPort(), hello(1, "a\u0001b".getBytes(StandardCharsets.UTF_8)), ErrorCode.INVALID_ID,
                "control character");
    }

    @Test
    void requestBeforeHello() throws IOException {
        try (RawPeer peer = new RawPeer(clientPort())) {
            peer.send(new Frame.Request(1, Unpooled.copiedBuffer("incr", StandardCharsets.UTF_8)));
            Frame.Error error = peer.readError();
            assertThat(error.code()).isEqualTo(ErrorCode.HANDSHAKE_REQUIRED);
            assertThat(error.message()).contains("REQUEST before HELLO");
            assertThat(peer.closedByPeer()).isTrue();
        }
    }

    @Test
    void secondHello() throws IOException {
        try (RawPeer peer = new RawPeer(clientPort())) {
            peer.send(new Frame.Hello(1, "twice", Map.of()));
            assertThat(peer.read()).isInstanceOf(Frame.Welcome.class);
            peer.send(new Frame.Hello(1, "twice", Map.of()));
            Frame.Error error = peer.readError();
            assertThat(error.code()).isEqualTo(ErrorCode.ALREADY_HANDSHAKEN);
            assertThat(peer.closedByPeer()).isTrue();
        }
    }

    @Test
    void duplicateInstanceId() throws IOException {
        try (RawPeer peer = new RawPeer(servicePort())) {
            peer.send(new Frame.Register(1, "svc-1", "", 10, 1, Map.of()));
            Frame.Error error = peer.readError();
            assertThat(error.code()).isEqualTo(ErrorCode.DUPLICATE_INSTANCE);
            assertThat(error.message()).contains("'svc-1' is already registered");
            assertThat(peer.closedByPeer()).isTrue();
        }
    }

    @Test
    void serviceFramesOnTheClientPortAndClientFramesOnTheServicePort() throws IOException {
        try (RawPeer peer = new RawPeer(clientPort())) {
            peer.send(new Frame.Register(1, "sneaky", "", 10, 1, Map.of()));
            Frame.Error error = peer.readError();
            assertThat(error.code()).isEqualTo(ErrorCode.UNEXPECTED_FRAME);
            assertThat(error.message()).contains("REGISTER is a service frame");
            assertThat(peer.closedByPeer()).isTrue();
        }
        try (RawPeer peer = new RawPeer(servicePort())) {
            peer.send(new Frame.Hello(1, "sneaky", Map.of()));
            Frame.Error error = peer.readError();
            assertThat(error.code()).isEqualTo(ErrorCode.UNEXPECTED_FRAME);
            assertThat(error.message()).contains("HELLO is a client frame");
            assertThat(peer.closedByPeer()).isTrue();
        }
        try (RawPeer peer = new RawPeer(servicePort())) {
            peer.send(new Frame.Register(1, "svc-raw", "", 10, 1, Map.of()));
            assertThat(peer.read()).isInstanceOf(Frame.Registered.class);
            peer.send(new Frame.Welcome(1, "gw", "svc-raw", 1, true));
            Frame.Error error = peer.readError();
            assertThat(error.code()).isEqualTo(ErrorCode.UNEXPECTED_FRAME);
            assertThat(peer.closedByPeer()).isTrue();
        }
    }

    @Test
    void serviceFrameBeforeRegister() throws IOException {
        try (RawPeer peer = new RawPeer(servicePort())) {
            peer.send(new Frame.Release("someone", 1));
            Frame.Error error = peer.readError();
            assertThat(error.code()).isEqualTo(ErrorCode.HANDSHAKE_REQUIRED);
            assertThat(error.message()).contains("RELEASE before REGISTER");
        }
    }
}
