package io.reploid.examples;

import io.netty.channel.EventLoopGroup;
import io.reploid.client.ReploidClient;
import io.reploid.gateway.AdminActions;
import io.reploid.gateway.ReploidGateway;
import io.reploid.service.ReploidService;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/**
 * The demo's own instances and clients: {@link TestService} instances in zones {@code a}, {@code b},
 * {@code c}, ... and clients (each in a random zone) that increment a counter at the workload's rate.
 * It is also the gateway's {@link AdminActions}, so the dashboard can add and crash instances, add and
 * remove clients and change the rate.
 *
 * <p>Thread-safe: the demo's thread starts the first instances and clients, the gateway's actions thread
 * runs the actions, the tick thread sends the requests; the instance and client lists are guarded by
 * this object's monitor.
 */
final class DemoCluster implements AdminActions, AutoCloseable {
    /** Workloads: a factor on every client's request rate. */
    private static final Map<String, Double> WORKLOADS = new LinkedHashMap<>();

    static {
        WORKLOADS.put("steady", 1.0);
        WORKLOADS.put("busy", 4.0);
        WORKLOADS.put("quiet", 0.25);
    }

    private final int capacity;
    private final double rate;
    private final EventLoopGroup clientGroup;
    private final ScheduledExecutorService ticks;
    private final Map<String, ReploidService> services = new LinkedHashMap<>();
    private final List<DemoClient> clients = new ArrayList<>();
    private final LongAdder answered = new LongAdder();
    private final LongAdder failed = new LongAdder();
    private final byte[] incr = TestRequest.of("incr", "demo", null);
    private volatile ReploidGateway gateway;
    private volatile String workload = "steady";
    private volatile double factor = 1.0;
    private int nextInstance = 1;
    private int nextClient;
    private boolean closed;

    /** One client and its request loop. */
    private final class DemoClient {
        final ReploidClient client;
        final AtomicBoolean busy = new AtomicBoolean();
        volatile boolean stopped;

        DemoClient(ReploidClient client) {
            this.client = client;
        }

        void tick() {
            if (stopped) {
                return;
            }
            if (busy.compareAndSet(false, true)) {
                client.request(incr).whenComplete((answer, failure) -> {
                    (failure == null && TestRequest.isOk(answer) ? answered : failed).increment();
                    busy.set(false);
                });
            }
            schedule(Math.round(1e6 / (rate * factor)));
        }

        void schedule(long micros) {
            try {
                ticks.schedule(this::tick, Math.max(1, micros), TimeUnit.MICROSECONDS);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                stopped = true;
            }
        }
    }

    DemoCluster(int capacity, double rate, EventLoopGroup clientGroup) {
        this.capacity = capacity;
        this.rate = rate;
        this.clientGroup = clientGroup;
        this.ticks = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "demo-ticks");
            t.setDaemon(true);
            return t;
        });
    }

    /** The gateway the instances and clients connect to; set once it is started. */
    void attach(ReploidGateway gateway) {
        this.gateway = gateway;
    }

    long answered() {
        return answered.sum();
    }

    long failed() {
        return failed.sum();
    }

    /** Starts {@code count} instances and waits until they are registered (at most 30 s). */
    void startInstances(int count) {
        List<CompletableFuture<Void>> started = new ArrayList<>();
        for (int k = 0; k < count; k++) {
            started.add(startInstance());
        }
        CompletableFuture.allOf(started.toArray(new CompletableFuture<?>[0])).orTimeout(30, TimeUnit.SECONDS).join();
    }

    private CompletableFuture<Void> startInstance() {
        ReploidService service;
        synchronized (this) {
            if (closed) {
                throw new IllegalStateException("the demo is stopping");
            }
            int i = nextInstance++;
            String id = "demo-" + i;
            service = ReploidService.builder(new TestService(id))
                    .gateway("127.0.0.1:" + gateway.servicePort())
                    .instanceId(id)
                    .capacity(capacity)
                    .label(FewestClientsInZone.ZONE, DemoCommand.zone(i - 1))
                    .handlerThreads(4)
                    .eventLoopThreads(1)
                    .build();
            services.put(id, service);
        }
        return service.start();
    }

    /** Connects {@code count} clients, each in a random zone among the instances started so far. */
    void startClients(int count) {
        long period = Math.max(1, Math.round(1e6 / rate));
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (int k = 0; k < count; k++) {
            DemoClient c;
            synchronized (this) {
                if (closed) {
                    throw new IllegalStateException("the demo is stopping");
                }
                ReploidClient client = ReploidClient.builder()
                        .clientId("demo-client-" + nextClient++)
                        .gateway("127.0.0.1:" + gateway.clientPort())
                        .metadata(FewestClientsInZone.ZONE, DemoCommand.zone(random.nextInt(Math.max(1, nextInstance - 1))))
                        .eventLoopGroup(clientGroup)
                        .build();
                c = new DemoClient(client);
                clients.add(c);
            }
            c.client.connect();
            c.schedule(random.nextLong(period));
        }
    }

    // ------------------------------------------------------------------ AdminActions (actions thread)

    @Override
    public Set<Action> available() {
        return EnumSet.of(Action.ADD_INSTANCE, Action.CRASH_INSTANCE, Action.ADD_CLIENTS, Action.REMOVE_CLIENTS,
                Action.CHANGE_WORKLOAD);
    }

    @Override
    public String addInstance() {
        startInstance().orTimeout(20, TimeUnit.SECONDS).join();
        synchronized (this) {
            return "started demo-" + (nextInstance - 1);
        }
    }

    @Override
    public String crashInstance(String instanceId) {
        ReploidService service;
        synchronized (this) {
            service = services.remove(instanceId);
        }
        if (service == null) {
            throw new NoSuchElementException("no running instance '" + instanceId + "' in this demo");
        }
        service.close(); // its connection drops without a goodbye: the gateway sees a crash
        return "crashed " + instanceId + "; the gateway fails its clients over once it is declared dead";
    }

    @Override
    public String addClients(int count) {
        startClients(count);
        return "connected " + count + " more client" + (count == 1 ? "" : "s");
    }

    @Override
    public String removeClients(int count) {
        List<DemoClient> gone = new ArrayList<>();
        synchronized (this) {
            while (gone.size() < count && !clients.isEmpty()) {
                gone.add(clients.remove(clients.size() - 1));
            }
        }
        for (DemoClient c : gone) {
            c.stopped = true;
            c.client.close();
        }
        return "disconnected " + gone.size() + " client" + (gone.size() == 1 ? "" : "s");
    }

    @Override
    public String changeWorkload(String name) {
        Double f = WORKLOADS.get(name);
        if (f == null) {
            throw new IllegalArgumentException("workload '" + name + "' (expected: " + String.join(", ", workloads()) + ")");
        }
        workload = name;
        factor = f;
        return "workload " + name + ": each client sends " + String.format("%.2f", rate * f) + " requests/s";
    }

    @Override
    public List<String> workloads() {
        return List.copyOf(WORKLOADS.keySet());
    }

    String workload() {
        return workload;
    }

    /** Stops the requests and closes every client and instance. */
    @Override
    public void close() {
        List<DemoClient> cs;
        List<ReploidService> ss;
        synchronized (this) {
            closed = true;
            cs = new ArrayList<>(clients);
            ss = new ArrayList<>(services.values());
            clients.clear();
            services.clear();
        }
        ticks.shutdownNow();
        cs.forEach(c -> c.client.close());
        ss.forEach(ReploidService::close);
    }
}
