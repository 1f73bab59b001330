package io.reploid.service;

import static io.reploid.service.ScriptedCluster.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netty.buffer.Unpooled;
import io.reploid.ErrorCode;
import io.reploid.internal.protocol.Frame;
import io.reploid.service.ScriptedCluster.Mode;
import io.reploid.service.ScriptedCluster.Node;
import io.reploid.service.internal.Probe;
import io.reploid.state.StoredRecord;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The holder's side of the peer protocol, driven frame by frame against a real runtime's peer port. */
class PeerProtocolTest {
    private final ScriptedCluster cluster = new ScriptedCluster(Mode.REPLICATED);
    private Node holder;

    @BeforeEach
    void start() {
        holder = cluster.start("svc-h");
        cluster.start("svc-q"); // the holder's own replica holder, so that its own clients' requests complete
    }

    @AfterEach
    void close() {
        cluster.close();
    }

    @Test
    void handshakes() {
        try (PeerConnection c = new PeerConnection(holder.address)) {
            c.send(new Frame.Ping(5));
            assertThat(c.read()).isEqualTo(new Frame.Pong(5));
            assertThat(c.hello("svc-p")).isEqualTo(new Frame.PeerHello(1, "svc-h"));
            c.send(new Frame.PeerHello(1, "svc-p"));
            assertError(c, ErrorCode.ALREADY_HANDSHAKEN);
        }
    }

    @Test
    void refusesFramesBeforeTheHandshakeAndFramesOfOtherPorts() {
        try (PeerConnection c = new PeerConnection(holder.address)) {
            c.send(new Frame.ReplicaDrop("c", 1));
            assertError(c, ErrorCode.HANDSHAKE_REQUIRED);
        }
        try (PeerConnection c = new PeerConnection(holder.address)) {
            c.hello("svc-p");
            c.send(new Frame.Attach("c", 1, Map.of()));
            assertError(c, ErrorCode.UNEXPECTED_FRAME);
        }
        try (PeerConnection c = new PeerConnection(holder.address)) {
            c.hello("svc-p");
            c.send(new Frame.ReplicateAck("c", 1, 1));
            assertError(c, ErrorCode.UNEXPECTED_FRAME);
        }
    }

    @Test
    void keepsOnlyNewerRecordsAndAcknowledgesWhatItKeeps() {
        try (PeerConnection c = new PeerConnection(holder.address)) {
            c.hello("svc-p");
            assertThat(replicate(c, "alice", 3, 5)).isEqualTo(new Frame.ReplicateAck("alice", 3, 5));
            assertThat(replicate(c, "alice", 3, 5)).as("again").isEqualTo(new Frame.ReplicateAck("alice", 3, 5));
            assertThat(replicate(c, "alice", 3, 4)).as("older version").isEqualTo(new Frame.ReplicateAck("alice", 3, 5));
            assertThat(replicate(c, "alice", 2, 9)).as("older epoch").isEqualTo(new Frame.ReplicateAck("alice", 3, 5));
            assertThat(replicate(c, "alice", 4, 1)).as("newer epoch").isEqualTo(new Frame.ReplicateAck("alice", 4, 1));

            c.send(new Frame.ReplicaDrop("alice", 3));
            c.send(new Frame.Ping(1)); // the connection's frames are handled in order
            assertThat(c.read()).isEqualTo(new Frame.Pong(1));
            assertThat(Probe.replica(holder.service, "alice")).as("a drop of an older epoch").isPresent();
            c.send(new Frame.ReplicaDrop("alice", 4));
            c.send(new Frame.Ping(2));
            assertThat(c.read()).isEqualTo(new Frame.Pong(2));
            assertThat(Probe.replica(holder.service, "alice")).isEmpty();
        }
    }

    @Test
    void fencesAgainstItsOwnSessions() {
        assertThat(holder.call("bob", 7, 1, "inc")).isEqualTo("1"); // the holder is bob's primary at epoch 7
        assertThat(holder.call("carol", 2, 1, "inc")).isEqualTo("1"); // and carol's at epoch 2
        long bobVersion = Probe.version(holder.service, "bob");
        try (PeerConnection c = new PeerConnection(holder.address)) {
            c.hello("svc-p");
            assertThat(replicate(c, "bob", 6, 50)).as("an older primary of bob is refused")
                    .isEqualTo(new Frame.ReplicateAck("bob", 7, bobVersion));
            assertThat(replicate(c, "carol", 3, 1)).as("a newer primary of carol is kept")
                    .isEqualTo(new Frame.ReplicateAck("carol", 3, 1));
        }
        assertThat(holder.call("carol", 2, 2, "inc")).startsWith("!INSTANCE_UNAVAILABLE");
        await().atMost(WAIT).until(() -> holder.service.clientCount() == 1);
        assertThat(holder.call("bob", 7, 2, "inc")).isEqualTo("2");
    }

    @Test
    void aRevokedSessionGoesAndAReplicaOfItsNewOwnerStays() {
        assertThat(holder.call("dave", 2, 1, "inc")).isEqualTo("1");
        // dave moved to another instance (epoch 3), which replicates to this one,
        assertThat(PeerConnection.replicate(holder.address, "svc-p", new StoredRecord("dave", 3, 9,
                StoredState.record(new byte[4])))).isEqualTo(new Frame.ReplicateAck("dave", 3, 9));
        // and the gateway revokes this instance's pin.
        holder.link.send(new Frame.Detach("dave", 2, Frame.DetachReason.REVOKED));
        await().atMost(WAIT).until(() -> holder.service.clientCount() == 0);
        assertThat(Probe.replica(holder.service, "dave")).hasValueSatisfying(r -> assertThat(r.epoch()).isEqualTo(3));
    }

    private static Frame replicate(PeerConnection c, String clientId, long epoch, long version) {
        c.send(new Frame.Replicate(clientId, epoch, version, Unpooled.wrappedBuffer(StoredState.record(new byte[4]))));
        return c.read();
    }

    private static void assertError(PeerConnection c, ErrorCode code) {
        Frame f = c.read();
        assertThat(f).isInstanceOfSatisfying(Frame.Error.class, e -> {
            assertThat(e.code()).isEqualTo(code);
            assertThat(e.requestId()).isZero();
        });
        assertThat(c.read()).as("closed").isNull();
    }
}
