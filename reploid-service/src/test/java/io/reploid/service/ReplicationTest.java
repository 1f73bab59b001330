package io.reploid.service;

import static io.reploid.service.ScriptedCluster.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.reploid.InstanceState;
import io.reploid.internal.protocol.Frame;
import io.reploid.service.ScriptedCluster.Mode;
import io.reploid.service.ScriptedCluster.Node;
import io.reploid.service.internal.Probe;
import io.reploid.state.ReplicaPlacement;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Replication between real runtimes: placement, fencing by replica holders, timeouts, membership changes. */
class ReplicationTest {
    private final ScriptedCluster cluster = new ScriptedCluster(Mode.REPLICATED);

    @AfterEach
    void close() {
        cluster.close();
    }

    @Test
    void advertisesItsPeerPortAndReplicatesToTheHighestRankedPeer() {
        cluster.startAll();
        Node a = cluster.node("svc-a");
        assertThat(a.address).matches("127\\.0\\.0\\.1:\\d+").isNotEqualTo("127.0.0.1:0");
        for (int c = 0; c < 10; c++) {
            String client = "client-" + c;
            assertThat(a.call(client, 1, 1, "inc")).isEqualTo("1");
            String holder = ReplicaPlacement.choose(client, List.of("svc-b", "svc-c"), 1).get(0);
            Node holderNode = cluster.node(holder);
            Node other = cluster.node(holder.equals("svc-b") ? "svc-c" : "svc-b");
            assertThat(Probe.replica(holderNode.service, client)).hasValueSatisfying(r -> {
                assertThat(r.epoch()).isEqualTo(1);
                assertThat(r.version()).isEqualTo(Probe.version(a.service, client));
                assertThat(StoredState.counter(r.data())).isEqualTo(1);
            });
            assertThat(Probe.replica(other.service, client)).isEmpty();
        }
    }

    @Test
    void aHolderThatTookTheClientOverRefusesTheOldPrimarysRecords() {
        cluster.startAll();
        Node a = cluster.node("svc-a");
        Node b = cluster.node("svc-b");
        // A client that A replicates to B, and that B (after taking it over) replicates to C, not to A:
        // so A learns it lost the client only from B's refusal.
        String client = clientWhere(id -> ReplicaPlacement.choose(id, List.of("svc-b", "svc-c"), 1).get(0).equals("svc-b")
                && ReplicaPlacement.choose(id, List.of("svc-a", "svc-c"), 1).get(0).equals("svc-c"));
        assertThat(a.call(client, 1, 1, "inc")).isEqualTo("1");

        assertThat(b.call(client, 2, 2, "inc")).isEqualTo("2"); // the gateway moved the client to B
        assertThat(a.call(client, 1, 3, "inc")).startsWith("!INSTANCE_UNAVAILABLE");
        await().atMost(WAIT).until(() -> a.service.clientCount() == 0);
        assertThat(b.call(client, 2, 4, "get")).isEqualTo("2");
        assertThat(Probe.replica(cluster.node("svc-c").service, client)).hasValueSatisfying(r -> {
            assertThat(r.epoch()).isEqualTo(2);
            assertThat(StoredState.counter(r.data())).isEqualTo(2);
        });
    }

    @Test
    void aResponseWaitsForItsReplicaAndFailsRetriablyWhenNoneAcknowledges() throws IOException {
        try (SilentPeer silent = new SilentPeer()) {
            Node a = cluster.start("svc-a", b -> b.replicationTimeout(Duration.ofMillis(200)));
            cluster.members(List.of(new Frame.Member("svc-a", a.address, InstanceState.HEALTHY),
                    new Frame.Member("svc-x", silent.address(), InstanceState.HEALTHY)));
            String answer = a.call("alice", 1, 1, "inc");
            assertThat(answer).startsWith("!STORE_UNAVAILABLE")
                    .contains("0 of 1 replica(s) [svc-x] acknowledged version 1 within 200 ms");

            Node b = cluster.start("svc-b"); // MEMBERS now lists svc-a and svc-b
            // The client retries with the same id (as often as its 200 ms timeout needs on a slow machine).
            await().atMost(WAIT).until(() -> a.call("alice", 1, 1, "inc").equals("1"));
            assertThat(a.handler.runs("alice")).isEqualTo(1);
            assertThat(Probe.replica(b.service, "alice")).isPresent();
        }
    }

    @Test
    void aJoiningInstanceGetsTheReplicasItNowRanksFirstFor() {
        Node a = cluster.start("svc-a");
        Node b = cluster.start("svc-b");
        List<String> clients = IntStream.range(0, 40).mapToObj(i -> "c" + i).toList();
        for (String c : clients) {
            assertThat(a.call(c, 1, 1, "inc")).isEqualTo("1");
            assertThat(a.call(c, 1, 2, "inc")).isEqualTo("2");
        }
        assertThat(Probe.replicas(b.service)).isEqualTo(clients.size());

        Node c = cluster.start("svc-c"); // MEMBERS: a, b, c
        List<String> moving = clients.stream()
                .filter(id -> ReplicaPlacement.choose(id, List.of("svc-b", "svc-c"), 1).get(0).equals("svc-c")).toList();
        assertThat(moving).isNotEmpty().hasSizeLessThan(clients.size());
        await().atMost(WAIT).until(() -> moving.stream().allMatch(id -> Probe.replica(c.service, id).isPresent()));
        await().atMost(WAIT).until(() -> Probe.replicas(b.service) == clients.size() - moving.size());
        assertThat(moving).allMatch(id -> Probe.replica(b.service, id).isEmpty());

        cluster.kill(a);
        for (String id : clients) {
            assertThat(cluster.failoverTarget(id, a).call(id, 2, 3, "inc")).as(id).isEqualTo("3");
        }
    }

    @Test
    void anAdvertisedAddressReplacesThePeerAddress() {
        Node a = cluster.start("svc-a", b -> b.advertisedAddress("peer.example:7600"));
        assertThat(a.address).isEqualTo("peer.example:7600");
    }

    private static String clientWhere(Predicate<String> condition) {
        return IntStream.range(0, 10_000).mapToObj(i -> "client-" + i).filter(condition).findFirst().orElseThrow();
    }

    /** A peer port that accepts connections and never answers. */
    private static final class SilentPeer implements AutoCloseable {
        private final ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        private final List<Socket> accepted = new CopyOnWriteArrayList<>();
        private final Thread acceptor = new Thread(this::acceptAll, "silent-peer");

        SilentPeer() throws IOException {
            acceptor.setDaemon(true);
            acceptor.start();
        }

        String address() {
            return "127.0.0.1:" + server.getLocalPort();
        }

        private void acceptAll() {
            try {
                while (true) {
                    accepted.add(server.accept());
                }
            } catch (IOException closed) {
                // done
            }
        }

        @Override
        public void close() throws IOException {
            server.close();
            for (Socket s : accepted) {
                s.close();
            }
        }
    }
}
