package io.reploid.balance;

/**
 * Static factories of the built-in strategies, for passing an instance to a builder. Each returns a new,
 * independent balancer. Thread-safe.
 */
public final class LoadBalancers {
    private LoadBalancers() {
    }

    /** Fewest clients relative to capacity; the default. */
    public static LoadBalancer leastClients() {
        return new LeastClients();
    }

    /** Instances in turn. */
    public static LoadBalancer roundRobin() {
        return new RoundRobin();
    }
}
