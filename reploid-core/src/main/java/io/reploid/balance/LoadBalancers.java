package io.reploid.balance;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Static factories of the built-in strategies, for passing an instance to a builder. Each returns a new,
 * independent balancer; the name in each method's description is the one to use in a spec
 * ({@code --balancer}). See {@code docs/balancing.md} for when to pick which. Thread-safe.
 */
public final class LoadBalancers {
    private LoadBalancers() {
    }

    /** {@code least-clients}: fewest clients relative to capacity; the default. */
    public static LoadBalancer leastClients() {
        return new LeastClients();
    }

    /** {@code round-robin}: instances in turn. */
    public static LoadBalancer roundRobin() {
        return new RoundRobin();
    }

    /** {@code random}: a uniformly random instance. */
    public static LoadBalancer random() {
        return new RandomChoice();
    }

    /** {@code least-loaded}: the lowest reported utilisation (cpu, heap or client slots, the scarcest). */
    public static LoadBalancer leastLoaded() {
        return new LeastLoaded();
    }

    /** {@code p2c}: the less loaded of two random instances. */
    public static LoadBalancer powerOfTwoChoices() {
        return new PowerOfTwoChoices();
    }

    /** {@code weighted}: smooth weighted round robin, shares proportional to {@link Instance#weight()}. */
    public static LoadBalancer weighted() {
        return new SmoothWeighted();
    }

    /** {@code ring-hash}: a consistent-hash ring of the client id, 100 virtual nodes per instance. */
    public static LoadBalancer ringHash() {
        return new RingHash(RingHash.DEFAULT_VNODES);
    }

    /**
     * {@code ring-hash:vnodes=N}: a consistent-hash ring of the client id.
     *
     * @param vnodes virtual nodes of an instance of the largest weight, {@code > 0}
     */
    public static LoadBalancer ringHash(int vnodes) {
        return new RingHash(vnodes);
    }

    /** {@code rendezvous}: highest random weight hashing of the client id. */
    public static LoadBalancer rendezvous() {
        return new Rendezvous();
    }

    /** {@code maglev}: Maglev consistent hashing of the client id. */
    public static LoadBalancer maglev() {
        return new Maglev();
    }

    /** {@code bounded-load}: consistent hashing with bounded loads, factor 1.25. */
    public static LoadBalancer boundedLoad() {
        return new BoundedLoad(BoundedLoad.DEFAULT_FACTOR, RingHash.DEFAULT_VNODES);
    }

    /**
     * {@code bounded-load:factor=F}: consistent hashing with bounded loads.
     *
     * @param factor no instance takes more than {@code factor} times its share, {@code >= 1}
     */
    public static LoadBalancer boundedLoad(double factor) {
        return new BoundedLoad(factor, RingHash.DEFAULT_VNODES);
    }

    /** {@code resource-aware}: a weighted score of cpu 0.4, heap 0.3, clients 0.2 and gauge 0.1. */
    public static LoadBalancer resourceAware() {
        return new ResourceAware(ResourceAware.Weights.DEFAULT);
    }

    /**
     * {@code resource-aware:cpu=C,heap=H,clients=K,gauge=G}: a weighted score of resources.
     *
     * @throws IllegalArgumentException if a weight is negative or all are 0
     */
    public static LoadBalancer resourceAware(double cpu, double heap, double clients, double gauge) {
        return new ResourceAware(new ResourceAware.Weights(cpu, heap, clients, gauge, 0));
    }

    /**
     * {@code affinity:key=K,then=...}: places a client among the instances whose label {@code key} equals
     * the client's metadata value, with a balancer from {@code base} per group; falls back to all
     * instances when the client has no value, no instance matches or all that match are full.
     *
     * @param base makes a new, independent balancer on each call (for example {@code LoadBalancers::leastClients})
     */
    public static LoadBalancer affinity(String key, Supplier<? extends LoadBalancer> base) {
        return new Affinity(requireNonNull(key, "key"), requireNonNull(base, "base"), true);
    }

    /**
     * {@code affinity:key=K,fallback=none,then=...}: like {@link #affinity(String, Supplier)}, but a client
     * whose value no instance with room carries is refused instead of placed elsewhere.
     */
    public static LoadBalancer strictAffinity(String key, Supplier<? extends LoadBalancer> base) {
        return new Affinity(requireNonNull(key, "key"), requireNonNull(base, "base"), false);
    }

    /**
     * {@code slow-start:window=W,then=...}: a newly ready instance's share of new clients ramps up linearly
     * over {@code window} (from 10%), on the gateway's clock ({@link System#nanoTime()}).
     */
    public static LoadBalancer slowStart(LoadBalancer base, Duration window) {
        return slowStart(base, window, 0.1, 1.0, System::nanoTime);
    }

    /**
     * {@code slow-start:window=W,min=M,aggression=A,then=...}: a newly ready instance is accepted with
     * probability {@code max(min, (t / window) ^ (1 / aggression))}.
     *
     * @param clock the clock of {@link Instance#readySinceNanos()} and {@link ClusterView#nanoTime()}
     */
    public static LoadBalancer slowStart(LoadBalancer base, Duration window, double min, double aggression,
            LongSupplier clock) {
        return new SlowStart(requireNonNull(base, "base"), requireNonNull(window, "window"), min, aggression,
                requireNonNull(clock, "clock"));
    }
}
