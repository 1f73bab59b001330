package io.reploid.balance;

/**
 * Chooses an instance for a client. Built by a {@link LoadBalancer} from one {@link ClusterView} and used
 * on the gateway's hot path by many threads at once.
 *
 * <p>Implementations must be thread-safe, must not block or take locks that a slow thread can hold, and
 * must not change the balancer's state: everything they need is captured when they are built (plus the
 * live counters of {@link Instance}).
 */
@FunctionalInterface
public interface Picker {

    /** A picker that never picks (no instances). */
    Picker EMPTY = request -> null;

    /**
     * Chooses an instance for the request.
     *
     * @return an instance from the view this picker was built from, or {@code null} when none fits
     */
    Instance pick(PickRequest request);
}
