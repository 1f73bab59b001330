package io.reploid.examples;

import io.reploid.LoadReport;
import io.reploid.balance.ClusterView;
import io.reploid.balance.ConfigOrError;
import io.reploid.balance.Instance;
import io.reploid.balance.LoadBalancer;
import io.reploid.balance.LoadBalancerRegistry;
import io.reploid.balance.PickRequest;
import io.reploid.balance.Picker;
import io.reploid.balance.simulation.Workload;
import io.reploid.gateway.AdminActions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/**
 * A simulated cluster that runs in real time for the dashboard ({@code app} command): hundreds of
 * instances, many thousands of virtual clients that arrive, leave and are placed by a real
 * {@link LoadBalancer} the way the gateway places them (a full or excluded pick is rejected and the
 * picker asked again), instances that join, crash (suspect, then dead: their clients fail over) and
 * drain. Workloads are the balancing simulator's ({@link Workload#named}); request rates and latencies
 * are modelled from utilisation. It is also the dashboard's {@link AdminActions}.
 *
 * <p>Threading: all state is owned by one simulation thread that steps every {@link #TICK_MILLIS}; the
 * actions (called on the dashboard's actions thread) are handed to it and awaited; the dashboard reads
 * the immutable snapshot it publishes each step.
 */
final class LiveCluster implements AdminActions, AutoCloseable {
    static final long TICK_MILLIS = 250;
    private static final double STEP_SECONDS = TICK_MILLIS / 1000.0;
    private static final long JOIN_MILLIS = 1000;
    private static final long SUSPECT_MILLIS = 1000;
    private static final long DEAD_RETENTION_MILLIS = 20_000;
    private static final double REQUESTS_PER_WEIGHT = 0.5;
    private static final int FLOWS_PER_STEP = 14;
    private static final int MAX_BAD_PICKS = 8;
    private static final String[] REGIONS = {"eu", "us", "ap"};
    static final List<String> WORKLOADS = List.of("uniform", "zipf", "churn", "heterogeneous", "scale-out");

    /** A virtual client. */
    private static final class VirtualClient {
        final String id;
        final double weight;
        final Map<String, String> metadata;
        LiveInstance instance;

        VirtualClient(String id, double weight, Map<String, String> metadata) {
            this.id = id;
            this.weight = weight;
            this.metadata = metadata;
        }
    }

    private final ScheduledExecutorService thread;
    private final SplittableRandom random;
    private final long startedAtMillis = System.currentTimeMillis();
    final RecentLog events = new RecentLog(1000);
    final RecentLog flows = new RecentLog(256);
    final RecentLog moves = new RecentLog(1024);
    // Simulation thread only.
    private final TreeMap<String, LiveInstance> instances = new TreeMap<>();
    private final List<VirtualClient> clients = new ArrayList<>();
    private final List<VirtualClient> homeless = new ArrayList<>();
    private LoadBalancer balancer;
    private Picker picker = Picker.EMPTY;
    private long version;
    private long nowMillis;
    private int nextInstance;
    private long nextClient;
    private int targetClients;
    private int baseCapacity;
    private Workload workload;
    // Read by the dashboard's threads.
    private volatile String balancerName;
    private volatile String workloadName;
    private volatile List<Map<String, Object>> snapshot = List.of();
    private volatile Runnable onWorkload = () -> { };

    LiveCluster(int instanceCount, int clientCount, String balancerSpec, String workloadName, long seed) {
        this.random = new SplittableRandom(seed);
        this.workload = Workload.named(workloadName);
        this.workloadName = workload.name();
        this.targetClients = clientCount;
        this.baseCapacity = (int) Math.max(1, Math.ceil(2.0 * clientCount / instanceCount));
        this.balancer = resolve(balancerSpec).get();
        this.balancerName = balancerSpec.strip();
        for (int k = 0; k < instanceCount; k++) {
            LiveInstance i = newInstance();
            i.state("healthy", 0);
        }
        this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "app-simulation");
            t.setDaemon(true);
            return t;
        });
    }

    /** Starts stepping in real time. */
    LiveCluster start() {
        thread.scheduleAtFixedRate(this::stepSafely, 0, TICK_MILLIS, TimeUnit.MILLISECONDS);
        return this;
    }

    long startedAtMillis() {
        return startedAtMillis;
    }

    String balancerName() {
        return balancerName;
    }

    String workloadName() {
        return workloadName;
    }

    /** The instances after the latest step, as the dashboard's JSON maps. */
    List<Map<String, Object>> instancesJson() {
        return snapshot;
    }

    /** Called (on the simulation thread) when the workload changes, so the strategy scores follow. */
    void onWorkload(Runnable listener) {
        this.onWorkload = listener;
    }

    // ------------------------------------------------------------------ the step

    private void stepSafely() {
        try {
            step();
        } catch (RuntimeException e) {
            org.slf4j.LoggerFactory.getLogger(LiveCluster.class).error("Simulation step failed", e);
        }
    }

    private void step() {
        nowMillis += TICK_MILLIS;
        transitions();
        picker = balancer.update(new ClusterView(eligible(), ++version, nowMillis * 1_000_000));
        churn();
        for (VirtualClient c : List.copyOf(homeless)) {
            homeless.remove(c);
            LiveInstance from = c.instance;
            c.instance = null;
            if (place(c) && from != null) {
                moves.add(Map.of("client", c.id, "from", from.id(), "to", c.instance.id(),
                        "time", Instant.now().toString()), false);
            }
        }
        report();
        sampleFlows();
        publish();
    }

    private void transitions() {
        for (var it = instances.values().iterator(); it.hasNext(); ) {
            LiveInstance i = it.next();
            long since = nowMillis - i.stateSinceMillis;
            switch (i.state) {
                case "joining" -> {
                    if (since >= JOIN_MILLIS) {
                        i.state("healthy", nowMillis);
                        event("healthy", i.id(), "ready: takes new clients");
                    }
                }
                case "suspect" -> {
                    if (since >= SUSPECT_MILLIS) {
                        i.state("dead", nowMillis);
                        int n = 0;
                        for (VirtualClient c : clients) {
                            if (c.instance == i) {
                                homeless.add(c);
                                n++;
                            }
                        }
                        event("dead", i.id(), "suspect for " + SUSPECT_MILLIS + " ms; " + n
                                + " clients fail over to other instances");
                    }
                }
                case "dead" -> {
                    if (since >= DEAD_RETENTION_MILLIS) {
                        it.remove();
                        event("removed", i.id(), "dead for " + DEAD_RETENTION_MILLIS / 1000 + " s");
                    }
                }
                default -> { }
            }
        }
    }

    private List<Instance> eligible() {
        List<Instance> list = new ArrayList<>();
        for (LiveInstance i : instances.values()) {
            if (i.eligible()) {
                list.add(i);
            }
        }
        return list;
    }

    /** Departures (the workload's churn, and draining instances' clients leave faster), then arrivals. */
    private void churn() {
        double churn = churnPerSecond() * STEP_SECONDS;
        for (int k = clients.size() - 1; k >= 0; k--) {
            VirtualClient c = clients.get(k);
            if (c.instance == null) {
                continue;
            }
            double p = c.instance.draining ? Math.max(churn, 0.08) : churn;
            if (p > 0 && random.nextDouble() < p) {
                removeAt(k);
            }
        }
        int ramp = Math.max(10, targetClients / 40);
        int missing = Math.min(ramp, targetClients - clients.size() - homeless.size());
        for (int k = 0; k < missing; k++) {
            VirtualClient c = new VirtualClient(String.format("v-%07d", nextClient++), weight(),
                    Map.of("region", REGIONS[random.nextInt(REGIONS.length)]));
            if (place(c)) {
                clients.add(c);
            }
        }
    }

    private double churnPerSecond() {
        return switch (workload.name()) {
            case "churn", "scale-out" -> 0.02;
            default -> 0.002;
        };
    }

    private double weight() {
        if (!workload.name().startsWith("zipf")) {
            return 1;
        }
        double u = random.nextDouble();
        // Zipf over 1..100, exponent 1: P(k) ~ 1/k; inverse of the continuous approximation.
        return Math.max(1, Math.min(100, Math.floor(Math.exp(u * Math.log(101)))));
    }

    private void removeAt(int k) {
        VirtualClient c = clients.get(k);
        VirtualClient last = clients.remove(clients.size() - 1);
        if (k < clients.size()) {
            clients.set(k, last);
        }
        if (c.instance != null) {
            c.instance.remove(c.weight);
        }
        homeless.remove(c);
    }

    /** Places a client as the gateway does; false when no instance can take it. */
    private boolean place(VirtualClient c) {
        Set<String> excluded = null;
        for (int attempt = 0; attempt < MAX_BAD_PICKS; attempt++) {
            Set<String> ex = excluded;
            PickRequest request = request(c, () -> ex);
            Instance chosen = picker.pick(request);
            if (chosen == null) {
                break;
            }
            LiveInstance i = instances.get(chosen.id());
            if (i != null && i == chosen && i.eligible() && i.hasRoom() && (ex == null || !ex.contains(i.id()))) {
                i.add(c.weight);
                c.instance = i;
                return true;
            }
            excluded = excluded == null ? new HashSet<>() : excluded;
            excluded.add(chosen.id());
        }
        LiveInstance best = null;
        for (LiveInstance i : instances.values()) {
            if (i.eligible() && i.hasRoom() && (best == null
                    || (double) i.clients() / i.capacity() < (double) best.clients() / best.capacity())) {
                best = i;
            }
        }
        if (best == null) {
            return false;
        }
        best.add(c.weight);
        c.instance = best;
        return true;
    }

    private PickRequest request(VirtualClient c, Supplier<Set<String>> excluded) {
        SplittableRandom r = random;
        return new PickRequest() {
            @Override
            public String clientId() {
                return c.id;
            }

            @Override
            public Map<String, String> metadata() {
                return c.metadata;
            }

            @Override
            public boolean isExcluded(Instance instance) {
                Set<String> ex = excluded.get();
                return ex != null && ex.contains(instance.id());
            }

            @Override
            public RandomGenerator random() {
                return r;
            }
        };
    }

    /** Load reports, request rates and latencies modelled from utilisation. */
    private void report() {
        double meanWeight = workload.name().startsWith("zipf") ? 21.5 : 1;
        for (LiveInstance i : instances.values()) {
            if (i.state.equals("dead")) {
                i.ratePerSecond = 0;
                continue;
            }
            double used = Math.min(1.2, i.load / (i.capacity() * meanWeight));
            double rate = i.state.equals("suspect") ? 0 : i.load * REQUESTS_PER_WEIGHT;
            long count = Math.round(rate * STEP_SECONDS + random.nextDouble());
            i.requests += count;
            i.ratePerSecond = i.ratePerSecond == 0 ? rate : i.ratePerSecond * 0.7 + rate * 0.3;
            double noise = 0.9 + 0.2 * random.nextDouble();
            i.p50Ms = (1.2 + 6 * Math.pow(used, 3)) * noise;
            i.p99Ms = i.p50Ms * (2.5 + 12 * Math.pow(used, 4)) * noise;
            if (used > 1) {
                i.errors += Math.round(count * (used - 1));
            }
            i.report(new LoadReport(System.currentTimeMillis(), i.clients(), (int) (rate * i.p50Ms / 1000),
                    Math.min(1, used), (long) ((0.15 + 0.6 * Math.min(1, used)) * (1L << 30)), 1L << 30, i.load, true));
        }
    }

    private void sampleFlows() {
        if (clients.isEmpty()) {
            return;
        }
        for (int k = 0; k < FLOWS_PER_STEP; k++) {
            VirtualClient c = clients.get(random.nextInt(clients.size()));
            LiveInstance i = c.instance;
            if (i != null && i.state.equals("healthy")) {
                Map<String, Object> f = new LinkedHashMap<>();
                f.put("client", c.id);
                f.put("gateway", "sim-gateway");
                f.put("instance", i.id());
                f.put("latencyMs", Math.round(i.p50Ms * (0.5 + random.nextDouble()) * 100) / 100.0);
                flows.add(f, false);
            }
        }
    }

    private void publish() {
        List<Map<String, Object>> out = new ArrayList<>(instances.size());
        for (LiveInstance i : instances.values()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", i.id());
            m.put("address", i.address());
            m.put("state", i.shownState());
            m.put("clients", i.clients());
            m.put("capacity", i.capacity());
            m.put("weight", i.weight());
            m.put("labels", i.labels());
            LoadReport r = i.load();
            m.put("load", Map.of("cpu", Math.round(r.cpu() * 1000) / 1000.0, "inFlight", r.inFlight(),
                    "heapUsed", r.heapUsed(), "heapMax", r.heapMax(), "gauge", Math.round(r.gauge() * 10) / 10.0));
            m.put("requests", Map.of("total", i.requests, "errors", i.errors,
                    "ratePerSecond", Math.round(i.ratePerSecond * 10) / 10.0,
                    "p50Ms", Math.round(i.p50Ms * 100) / 100.0, "p99Ms", Math.round(i.p99Ms * 100) / 100.0));
            out.add(m);
        }
        snapshot = List.copyOf(out);
    }

    int clientCount() {
        return snapshot.stream().mapToInt(m -> (int) m.get("clients")).sum();
    }

    private LiveInstance newInstance() {
        int index = nextInstance++;
        int multiplier = workload.name().equals("heterogeneous") ? new int[] {1, 2, 4}[index % 3] : 1;
        int capacity = (int) Math.max(1, Math.round(baseCapacity * multiplier
                / (workload.name().equals("heterogeneous") ? 7.0 / 3 : 1)));
        LiveInstance i = new LiveInstance(String.format("i-%04d", index), capacity, multiplier,
                Map.of("region", REGIONS[index % REGIONS.length]), nowMillis);
        instances.put(i.id(), i);
        return i;
    }

    private void event(String type, String instance, String message) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("time", Instant.now().toString());
        m.put("type", type);
        m.put("instance", instance);
        m.put("message", message);
        events.add(m, true);
    }

    private static Supplier<LoadBalancer> resolve(String spec) {
        ConfigOrError resolved = LoadBalancerRegistry.getDefault().resolve(spec);
        if (resolved.isError()) {
            throw new IllegalArgumentException(resolved.error());
        }
        @SuppressWarnings("unchecked")
        Supplier<LoadBalancer> factory = (Supplier<LoadBalancer>) resolved.config();
        return factory;
    }

    // ------------------------------------------------------------------ actions (on the actions thread)

    /** Runs a change on the simulation thread and waits for it. */
    private String onSimulation(Callable<String> change) {
        try {
            return thread.submit(change).get(10, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("the simulation did not take the change within 10 s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted");
        }
    }

    @Override
    public Set<Action> available() {
        return EnumSet.allOf(Action.class);
    }

    @Override
    public String addInstance() {
        return onSimulation(() -> {
            LiveInstance i = newInstance();
            event("joined", i.id(), "started with capacity " + i.capacity());
            return "started " + i.id() + " (capacity " + i.capacity() + ")";
        });
    }

    @Override
    public String crashInstance(String instanceId) {
        return onSimulation(() -> {
            LiveInstance i = live(instanceId);
            i.state("suspect", nowMillis);
            event("suspect", i.id(), "its connection closed (crashed from the dashboard)");
            return "crashed " + i.id() + "; its " + i.clients() + " clients fail over in " + SUSPECT_MILLIS + " ms";
        });
    }

    @Override
    public String drainInstance(String instanceId) {
        return onSimulation(() -> {
            LiveInstance i = live(instanceId);
            if (i.draining) {
                return i.id() + " was already draining";
            }
            i.draining = true;
            event("draining", i.id(), "takes no new clients; its " + i.clients() + " clients stay until they leave");
            return i.id() + " is draining: it takes no new clients";
        });
    }

    private LiveInstance live(String id) {
        LiveInstance i = instances.get(id);
        if (i == null || i.state.equals("dead")) {
            throw new NoSuchElementException("no live instance '" + id + "'");
        }
        return i;
    }

    @Override
    public String addClients(int count) {
        return onSimulation(() -> {
            targetClients += count;
            return "adding " + count + " clients (target " + targetClients + ")";
        });
    }

    @Override
    public String removeClients(int count) {
        return onSimulation(() -> {
            int n = Math.min(count, clients.size());
            for (int k = 0; k < n; k++) {
                removeAt(random.nextInt(clients.size()));
            }
            targetClients = Math.max(0, targetClients - count);
            return "removed " + n + " clients (target " + targetClients + ")";
        });
    }

    @Override
    public String switchBalancer(String spec) {
        Supplier<LoadBalancer> factory = resolve(spec);
        return onSimulation(() -> {
            LoadBalancer next = factory.get();
            LoadBalancer old = balancer;
            picker = next.update(new ClusterView(eligible(), ++version, nowMillis * 1_000_000));
            balancer = next;
            String before = balancerName;
            balancerName = spec.strip();
            old.close();
            event("balancer", null, before + " -> " + balancerName);
            return "balancer " + before + " -> " + balancerName;
        });
    }

    @Override
    public String changeWorkload(String name) {
        Workload next = Workload.named(name);
        return onSimulation(() -> {
            String before = workload.name();
            workload = next;
            workloadName = next.name();
            String extra = "";
            if (next.name().equals("scale-out")) {
                int n = Math.max(1, (int) instances.values().stream().filter(i -> !i.state.equals("dead")).count() / 2);
                for (int k = 0; k < n; k++) {
                    LiveInstance i = newInstance();
                    event("joined", i.id(), "scale-out: started with capacity " + i.capacity());
                }
                extra = "; " + n + " instances join";
            }
            event("workload", null, before + " -> " + next.name() + extra);
            onWorkload.run();
            return "workload " + next.name() + extra;
        });
    }

    @Override
    public List<String> workloads() {
        return WORKLOADS;
    }

    @Override
    public void close() {
        thread.shutdownNow();
        try {
            thread.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        balancer.close();
    }
}
