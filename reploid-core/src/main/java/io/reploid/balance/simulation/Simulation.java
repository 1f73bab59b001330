package io.reploid.balance.simulation;

import static java.util.Objects.requireNonNull;

import io.reploid.balance.ConfigOrError;
import io.reploid.balance.LoadBalancer;
import io.reploid.balance.LoadBalancerRegistry;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Scores placement strategies against a synthetic workload, deterministically: the same parameters and
 * seed give the same report (pick timings aside). The real balancer classes run, through registry specs
 * or any {@link LoadBalancer}, so your own strategy is scored exactly as the built-in ones.
 *
 * <pre>{@code
 * Report report = Simulation.builder()
 *         .instances(100).clients(10_000).steps(100)
 *         .workload(Workload.zipf())
 *         .events("crash:1@50%,join:10@75%")
 *         .strategies("least-clients,p2c,bounded-load:factor=1.25")
 *         .strategy("mine", MyBalancer::new)
 *         .seed(42)
 *         .build()
 *         .run();
 * report.print(System.out);
 * }</pre>
 *
 * <p>Each step the simulator updates the balancer once (membership, fresh load reports), then places
 * the clients that need it the way the gateway does: a pick of a full or excluded instance is rejected
 * and the picker asked again with it excluded. An {@code ideal} baseline with perfect knowledge of
 * client weights and true loads is added unless {@link Builder#ideal(boolean) turned off}.
 *
 * <p>A simulation is immutable; {@link #run()} may be called from any thread and runs on it.
 */
public final class Simulation {
    private final int instances;
    private final int clients;
    private final int steps;
    private final int capacity;
    private final Workload workload;
    private final List<MembershipEvent> events;
    private final long seed;
    private final Map<String, Supplier<? extends LoadBalancer>> strategies;

    private Simulation(Builder b) {
        instances = b.instances;
        clients = b.clients;
        steps = b.steps;
        capacity = b.capacity > 0 ? b.capacity : (int) Math.max(1, Math.ceil(2.0 * b.clients / b.instances));
        workload = b.workload;
        List<MembershipEvent> all = new ArrayList<>(workload.builtInEvents(b.instances));
        all.addAll(b.events);
        events = List.copyOf(all);
        seed = b.seed;
        strategies = new LinkedHashMap<>(b.strategies);
        if (b.ideal) {
            strategies.putIfAbsent(Ideal.NAME, Ideal::new);
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Runs every strategy over the same trace, one after the other.
     *
     * @throws IllegalArgumentException if the events remove more instances than there are
     */
    public Report run() {
        Trace trace = Trace.generate(workload, instances, clients, steps, capacity, events, seed);
        List<Report.Row> rows = new ArrayList<>();
        List<Report.Step> stepRows = new ArrayList<>();
        List<Report.Movement> movements = new ArrayList<>();
        strategies.forEach((name, factory) -> {
            Run run = new Run(name, factory, trace, seed);
            rows.add(run.execute());
            stepRows.addAll(run.steps());
            movements.addAll(run.movements());
        });
        return new Report(description(), rows, stepRows, movements);
    }

    private String description() {
        return "workload=" + workload + " instances=" + instances + " clients=" + clients + " steps=" + steps
                + " capacity=" + capacity + " events=" + (events.isEmpty() ? "none" : events.toString()
                        .replace(" ", "").replace("[", "").replace("]", "")) + " seed=" + seed;
    }

    /** Collects the parameters; validates each as it is set. Not thread-safe. */
    public static final class Builder {
        private int instances = 100;
        private int clients = 10_000;
        private int steps = 100;
        private int capacity;
        private Workload workload = Workload.uniform();
        private final List<MembershipEvent> events = new ArrayList<>();
        private long seed = 1;
        private boolean ideal = true;
        private LoadBalancerRegistry registry = LoadBalancerRegistry.getDefault();
        private final Map<String, Supplier<? extends LoadBalancer>> strategies = new LinkedHashMap<>();

        private Builder() {
        }

        /** Instances at the start; default 100. */
        public Builder instances(int instances) {
            if (instances <= 0) {
                throw new IllegalArgumentException("instances: " + instances + " (expected: > 0)");
            }
            this.instances = instances;
            return this;
        }

        /** Clients the workload brings (at once, or over the ramp with churn); default 10,000. */
        public Builder clients(int clients) {
            if (clients < 0) {
                throw new IllegalArgumentException("clients: " + clients + " (expected: >= 0)");
            }
            this.clients = clients;
            return this;
        }

        /** Steps of the run; each is a second of simulated time; default 100. */
        public Builder steps(int steps) {
            if (steps <= 0) {
                throw new IllegalArgumentException("steps: " + steps + " (expected: > 0)");
            }
            this.steps = steps;
            return this;
        }

        /**
         * Mean capacity of an instance (the heterogeneous workload spreads it 1:2:4); default twice the
         * mean number of clients per instance.
         */
        public Builder capacity(int capacity) {
            if (capacity <= 0) {
                throw new IllegalArgumentException("capacity: " + capacity + " (expected: > 0)");
            }
            this.capacity = capacity;
            return this;
        }

        public Builder workload(Workload workload) {
            this.workload = requireNonNull(workload, "workload");
            return this;
        }

        /** Adds membership changes written as in {@link MembershipEvent#parseList}. */
        public Builder events(String events) {
            this.events.addAll(MembershipEvent.parseList(events));
            return this;
        }

        public Builder event(MembershipEvent event) {
            this.events.add(requireNonNull(event, "event"));
            return this;
        }

        /** The seed of the workload and of every pick's randomness; default 1. */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /** Whether to add the {@code ideal} baseline; default true. */
        public Builder ideal(boolean ideal) {
            this.ideal = ideal;
            return this;
        }

        /** The registry that resolves specs; default {@link LoadBalancerRegistry#getDefault()}. */
        public Builder registry(LoadBalancerRegistry registry) {
            this.registry = requireNonNull(registry, "registry");
            return this;
        }

        /**
         * Adds a strategy by spec ({@code bounded-load:factor=1.25}), named by the spec.
         *
         * @throws IllegalArgumentException with the registry's message if the spec is bad
         */
        @SuppressWarnings("unchecked")
        public Builder strategy(String spec) {
            requireNonNull(spec, "spec");
            ConfigOrError resolved = registry.resolve(spec);
            if (resolved.isError()) {
                throw new IllegalArgumentException(resolved.error());
            }
            return strategy(spec.strip(), (Supplier<LoadBalancer>) resolved.config());
        }

        /**
         * Adds specs separated by commas: {@code least-clients,bounded-load:factor=1.5,vnodes=50,p2c}. A part
         * that starts with {@code key=} belongs to the spec before it.
         */
        public Builder strategies(String specs) {
            for (String spec : splitSpecs(specs)) {
                strategy(spec);
            }
            return this;
        }

        /** Adds a strategy made by a factory that returns a new, independent balancer on each call. */
        public Builder strategy(String name, Supplier<? extends LoadBalancer> factory) {
            requireNonNull(name, "name");
            requireNonNull(factory, "factory");
            if (strategies.containsKey(name)) {
                throw new IllegalArgumentException("strategy '" + name + "' is already added");
            }
            strategies.put(name, factory);
            return this;
        }

        /**
         * The simulation.
         *
         * @throws IllegalStateException if there is nothing to score
         */
        public Simulation build() {
            if (strategies.isEmpty() && !ideal) {
                throw new IllegalStateException("no strategy to simulate (expected: strategy(...) or ideal(true))");
            }
            return new Simulation(this);
        }
    }

    /** Splits a comma-separated list of specs, keeping {@code key=value} parts with the spec before. */
    static List<String> splitSpecs(String specs) {
        List<String> out = new ArrayList<>();
        for (String part : specs.split(",")) {
            String p = part.strip();
            if (p.isEmpty()) {
                continue;
            }
            int eq = p.indexOf('=');
            int colon = p.indexOf(':');
            boolean option = eq > 0 && (colon < 0 || eq < colon);
            if (option && !out.isEmpty()) {
                out.set(out.size() - 1, out.get(out.size() - 1) + "," + p);
            } else {
                out.add(p);
            }
        }
        return out;
    }
}
