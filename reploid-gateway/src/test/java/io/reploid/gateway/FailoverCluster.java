package io.reploid.gateway;

import static org.awaitility.Awaitility.await;

import io.netty.channel.EventLoopGroup;
import io.reploid.InstanceState;
import io.reploid.client.ReploidClient;
import io.reploid.health.ResourceLimits;
import io.reploid.internal.Transports;
import io.reploid.service.Persistence;
import io.reploid.service.ReploidService;
import io.reploid.state.StateStore;
import io.reploid.state.StateStores;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * A real gateway (default health settings) and real instances of one persistence mode, whose faults are
 * real rather than simulated: each instance reaches the gateway through its own {@link TcpRelay}, runs its
 * handler calls on an executor of its own, and reaches the store (write-through, write-behind) through its
 * own {@link StoreLink}; replicated instances replicate to each other over their peer ports on 127.0.0.1.
 * Clients run {@link CounterLoop}s. Everything is closed together, whatever happened. Not thread-safe:
 * one test thread.
 */
final class FailoverCluster implements AutoCloseable {
    static final Duration WAIT = Duration.ofSeconds(60);

    /** The persistence modes, each with the part of a crashed instance's acknowledged state that survives. */
    enum Mode {
        NONE(Persistence.none()),
        WRITE_THROUGH(Persistence.writeThrough()),
        WRITE_BEHIND(Persistence.writeBehind()),
        REPLICATED(Persistence.replicated(1));

        final Persistence persistence;

        Mode(Persistence persistence) {
            this.persistence = persistence;
        }

        boolean usesStore() {
            return persistence.needsStore();
        }
    }

    /** One instance and the means to break it. */
    static final class Node {
        final String id;
        final TcpRelay relay;
        final ExecutorService executor;
        final StoreLink storeLink; // null without a store
        final ReploidService service;
        boolean crashed;

        Node(String id, TcpRelay relay, ExecutorService executor, StoreLink storeLink, ReploidService service) {
            this.id = id;
            this.relay = relay;
            this.executor = executor;
            this.storeLink = storeLink;
            this.service = service;
        }
    }

    final Mode mode;
    final ReploidGateway gateway;
    private final Function<String, StateStore> storeOf;
    private final Map<String, Node> nodes = new LinkedHashMap<>();
    private final List<CounterLoop> loops = new ArrayList<>();
    private final EventLoopGroup clientGroup = Transports.newGroup(2, "failover-clients");

    /** Instances of a store mode share one {@link StateStores#memory()} store. */
    FailoverCluster(Mode mode) {
        this(mode, sharedMemoryStore());
    }

    /**
     * @param storeOf the store an instance of a store mode writes to, by instance id (owned by the caller)
     */
    FailoverCluster(Mode mode, Function<String, StateStore> storeOf) {
        this.mode = mode;
        this.storeOf = storeOf;
        this.gateway = ReploidGateway.builder()
                .host("127.0.0.1").clientPort(0).servicePort(0).adminPort(0)
                .pinRecoveryWindow(Duration.ZERO)
                // Gateway, instances and clients share this JVM's CPU: it says nothing about any one instance.
                .resourceLimits(ResourceLimits.NONE)
                .build().start();
    }

    private static Function<String, StateStore> sharedMemoryStore() {
        StateStore shared = StateStores.memory();
        return id -> shared;
    }

    /** Starts instances and waits until the gateway places clients on each. */
    void start(String... instanceIds) {
        for (String id : instanceIds) {
            start(id);
        }
        await().atMost(WAIT).until(() -> nodes.keySet().stream().allMatch(id -> state(id) == InstanceState.HEALTHY));
    }

    private void start(String id) {
        TcpRelay relay;
        try {
            relay = new TcpRelay(gateway.servicePort());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        AtomicInteger threads = new AtomicInteger();
        ExecutorService executor = Executors.newFixedThreadPool(8, task -> {
            Thread t = new Thread(task, "handler-" + id + "-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        ReploidService.Builder<CounterHandler.Counter> builder = ReploidService.builder(new CounterHandler(id))
                .gateway("127.0.0.1:" + relay.port())
                .instanceId(id)
                .executor(executor)
                .eventLoopThreads(1)
                .reconnectBackoff(Duration.ofMillis(20), Duration.ofMillis(200))
                .persistence(mode.persistence);
        StoreLink link = null;
        if (mode.usesStore()) {
            link = new StoreLink(storeOf.apply(id), id);
            builder.stateStore(link);
        }
        if (mode == Mode.REPLICATED) {
            builder.peerHost("127.0.0.1");
        }
        Node node = new Node(id, relay, executor, link, builder.build());
        nodes.put(id, node);
        node.service.start().orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS).join();
    }

    Node node(String id) {
        return nodes.get(id);
    }

    /** The instance's state at the gateway, or {@code null} when the gateway does not list it. */
    InstanceState state(String id) {
        return gateway.instances().stream().filter(i -> i.id().equals(id)).map(InstanceInfo::state)
                .findFirst().orElse(null);
    }

    /** Instances that were not crashed, by id. */
    List<String> survivors() {
        return nodes.values().stream().filter(n -> !n.crashed).map(n -> n.id).toList();
    }

    /** Connects clients {@code prefix0..prefix(n-1)} and starts their loops. */
    List<CounterLoop> startLoops(String prefix, int n) {
        return startLoops(prefix, n, b -> b);
    }

    List<CounterLoop> startLoops(String prefix, int n, Function<ReploidClient.Builder, ReploidClient.Builder> settings) {
        List<CounterLoop> started = new ArrayList<>();
        List<CompletableFuture<Void>> connects = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ReploidClient client = settings.apply(clientBuilder(prefix + i)).build();
            CounterLoop loop = new CounterLoop(prefix + i, client);
            loops.add(loop);
            started.add(loop);
            connects.add(client.connect());
        }
        CompletableFuture.allOf(connects.toArray(CompletableFuture<?>[]::new))
                .orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS).join();
        started.forEach(CounterLoop::start);
        return started;
    }

    /** A client of this cluster, with a deadline long enough to ride out every fault a test injects. */
    ReploidClient.Builder clientBuilder(String clientId) {
        return ReploidClient.builder().clientId(clientId).gateway("127.0.0.1:" + gateway.clientPort())
                .eventLoopGroup(clientGroup)
                .requestTimeout(WAIT)
                .reconnectBackoff(Duration.ofMillis(20), Duration.ofMillis(200));
    }

    /** Waits until every loop has had {@code n} answers since its mark. */
    static void awaitServedSinceMark(Collection<CounterLoop> loops, long n) {
        await().atMost(WAIT).until(() -> loops.stream().allMatch(l -> l.acksSinceMark() >= n));
    }

    /** The instance that answered the most loops last. */
    static String busiest(Collection<CounterLoop> loops) {
        return loops.stream().collect(Collectors.groupingBy(CounterLoop::instance, Collectors.counting()))
                .entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
    }

    static List<CounterLoop> answeredBy(Collection<CounterLoop> loops, String instanceId) {
        return loops.stream().filter(l -> instanceId.equals(l.instance())).toList();
    }

    static List<CounterLoop> except(Collection<CounterLoop> loops, Collection<CounterLoop> excluded) {
        Predicate<CounterLoop> in = excluded::contains;
        return loops.stream().filter(in.negate()).toList();
    }

    /**
     * Crashes an instance: its gateway connection is reset (RST), its path to the store cut, its handler
     * threads stopped at once, and then the rest of it (peer connections, timers) closed. Nothing it does
     * after the reset reaches the gateway, and nothing after the cut reaches the store.
     */
    void crash(String id) {
        crash(id, () -> { });
    }

    /**
     * {@link #crash(String)}, running {@code rightAfter} once the connection is reset and the store cut,
     * long before the gateway can declare the instance dead (the suspect timeout is 500 ms).
     */
    void crash(String id, Runnable rightAfter) {
        Node n = nodes.get(id);
        n.crashed = true;
        n.relay.reset();
        if (n.storeLink != null) {
            n.storeLink.cut();
        }
        n.executor.shutdownNow();
        rightAfter.run();
        n.service.close();
    }

    /**
     * Freezes an instance's link to the gateway: the connection stays open and nothing moves, as with a
     * process that hangs or a machine cut off by the network. The instance itself keeps running.
     */
    void freeze(String id) {
        nodes.get(id).relay.freeze();
    }

    /** Ends a {@link #freeze}: what the gateway sent meanwhile reaches the instance, then the other way. */
    void resume(String id) {
        nodes.get(id).relay.resume();
    }

    /** Stops every loop and waits for their last answers. */
    void stopLoops() {
        CompletableFuture.allOf(loops.stream().map(CounterLoop::stop).toArray(CompletableFuture<?>[]::new))
                .orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS).join();
    }

    @Override
    public void close() {
        loops.forEach(CounterLoop::stop);
        loops.forEach(l -> l.client.close());
        for (Node n : nodes.values()) {
            n.service.close();
            n.relay.close();
            n.executor.shutdownNow();
        }
        gateway.close();
        clientGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
