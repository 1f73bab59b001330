package io.reploid.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.reploid.ErrorCode;
import io.reploid.InstanceState;
import io.reploid.internal.protocol.Frame;
import io.reploid.internal.protocol.Protocol;
import io.reploid.service.ScriptedGateway.Peer;
import io.reploid.service.ScriptedGateway.Response;
import io.reploid.state.ReplicaPlacement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Real service runtimes of one persistence mode, each registered with one {@link ScriptedGateway} that the
 * test drives: it sends the runtimes' requests (with the epochs a gateway would use), MEMBERS, and reads
 * their answers. Write-through and write-behind runtimes share one {@link FlakyStore}; replicated ones
 * replicate to each other over real peer connections on 127.0.0.1. Not thread-safe: one test thread.
 */
final class ScriptedCluster implements AutoCloseable {
    static final Duration WAIT = Duration.ofSeconds(30);

    /** The persistence modes under test. */
    enum Mode {
        NONE(Persistence.none()),
        WRITE_THROUGH(Persistence.writeThrough()),
        WRITE_BEHIND(Persistence.writeBehind(Duration.ofMillis(20))),
        REPLICATED(Persistence.replicated(1));

        final Persistence persistence;

        Mode(Persistence persistence) {
            this.persistence = persistence;
        }

        boolean usesStore() {
            return persistence.needsStore();
        }
    }

    final Mode mode;
    final ScriptedGateway gateway = new ScriptedGateway();
    final FlakyStore store = new FlakyStore();
    private final Map<String, Node> nodes = new LinkedHashMap<>();
    private final AtomicLong membersVersion = new AtomicLong();

    ScriptedCluster(Mode mode) {
        this.mode = mode;
    }

    /**
     * Starts {@code svc-a} and {@code svc-b}, and with replication also {@code svc-c}, so that a client of
     * a runtime that dies still has a peer to be replicated to after its failover.
     */
    void startAll() {
        start("svc-a");
        start("svc-b");
        if (mode == Mode.REPLICATED) {
            start("svc-c");
        }
    }

    Node node(String id) {
        return nodes.get(id);
    }

    /** Runtimes not killed. */
    List<Node> live() {
        return nodes.values().stream().filter(n -> !n.closed).toList();
    }

    /**
     * Where a gateway fails a client over when {@code from} is gone: with replication, the highest-ranked
     * live runtime ({@link ReplicaPlacement}), which holds the client's replica; otherwise any other live
     * runtime.
     */
    Node failoverTarget(String clientId, Node from) {
        List<String> candidates = live().stream().filter(n -> n != from).map(n -> n.id).toList();
        return nodes.get(mode == Mode.REPLICATED ? ReplicaPlacement.choose(clientId, candidates, 1).get(0)
                : candidates.get(0));
    }

    /** Starts a runtime, waits until it registered, and (replicated) tells every runtime about it. */
    Node start(String instanceId) {
        return start(instanceId, b -> { });
    }

    Node start(String instanceId, Consumer<ReploidService.Builder<int[]>> settings) {
        CountingHandler handler = new CountingHandler();
        ReploidService.Builder<int[]> builder = ReploidService.builder(handler)
                .gateway(gateway.address())
                .instanceId(instanceId)
                .handlerThreads(4)
                .persistence(mode.persistence);
        if (mode.usesStore()) {
            builder.stateStore(store);
        }
        if (mode == Mode.REPLICATED) {
            builder.peerHost("127.0.0.1").replicationTimeout(WAIT);
        }
        settings.accept(builder);
        ReploidService service = builder.build();
        service.start();
        Peer link = gateway.accept();
        Frame.Register register = link.next(Frame.Register.class);
        assertThat(register.instanceId()).isEqualTo(instanceId);
        link.send(new Frame.Registered(Protocol.VERSION, "gw-test", 60_000));
        link.next(Frame.Announce.class);
        Node node = new Node(instanceId, service, handler, link, register.address());
        nodes.put(instanceId, node);
        if (mode == Mode.REPLICATED) {
            members(live().toArray(Node[]::new));
        }
        return node;
    }

    /**
     * Sends MEMBERS to every running runtime: {@code live} are healthy, every other runtime started here is
     * dead. A runtime has the new view before it reads any request sent after this.
     */
    void members(Node... live) {
        List<Node> alive = Arrays.asList(live);
        List<Frame.Member> members = new ArrayList<>();
        for (Node n : nodes.values()) {
            members.add(new Frame.Member(n.id, n.address, alive.contains(n) ? InstanceState.HEALTHY : InstanceState.DEAD));
        }
        Frame.Members frame = new Frame.Members(membersVersion.incrementAndGet(), members);
        for (Node n : live()) {
            n.link.send(frame);
        }
    }

    /** Sends MEMBERS with these entries (and the next version) to every running runtime. */
    void members(List<Frame.Member> members) {
        Frame.Members frame = new Frame.Members(membersVersion.incrementAndGet(), members);
        for (Node n : live()) {
            n.link.send(frame);
        }
    }

    /**
     * Closes a runtime, as when its process ends; the gateway's connection to it closes too, and (replicated)
     * the others hear it is dead.
     */
    void kill(Node node) {
        node.closed = true;
        node.service.close();
        if (mode == Mode.REPLICATED) {
            members(live().toArray(Node[]::new));
        }
    }

    @Override
    public void close() {
        nodes.values().forEach(n -> n.service.close());
        gateway.close();
    }

    /** One runtime and the gateway's connection to it. */
    static final class Node {
        final String id;
        final ReploidService service;
        final CountingHandler handler;
        final Peer link;
        final String address;
        boolean closed;

        Node(String id, ReploidService service, CountingHandler handler, Peer link, String address) {
            this.id = id;
            this.service = service;
            this.handler = handler;
            this.link = link;
            this.address = address;
        }

        /**
         * Sends one request and waits for its answer.
         *
         * @return the response payload, or {@code "!CODE message"} for an error
         */
        String call(String clientId, long epoch, long requestId, String payload) {
            link.request(clientId, epoch, requestId, payload);
            Object answer = link.next(Object.class);
            if (answer instanceof Response r) {
                assertThat(r.requestId()).isEqualTo(requestId);
                assertThat(r.epoch()).isEqualTo(epoch);
                return r.payload();
            }
            assertThat(answer).isInstanceOf(Frame.ClientError.class);
            Frame.ClientError e = (Frame.ClientError) answer;
            assertThat(e.requestId()).isEqualTo(requestId);
            return "!" + e.code() + " " + e.message();
        }

        /** Whether an answer is an error with {@code code}. */
        static boolean isError(String answer, ErrorCode code) {
            return answer.startsWith("!" + code + " ");
        }

        @Override
        public String toString() {
            return id;
        }
    }
}
