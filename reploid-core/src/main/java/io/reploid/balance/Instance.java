package io.reploid.balance;

import io.reploid.LoadReport;
import java.util.Map;

/**
 * A service instance as a balancer sees it: fixed facts (id, capacity, weight, labels) and live load.
 *
 * <p>Implementations are thread-safe. {@link #clients()} and {@link #load()} are read live (a volatile
 * read, never a lock), so a {@link Picker} built from one {@link ClusterView} sees the current load
 * without being rebuilt on every pin. Two instances are equal when their ids are.
 */
public interface Instance {

    /** The unique instance id. */
    String id();

    /** The address the instance registered with ({@code host:port}), for display and data sharing. */
    String address();

    /** How many clients the instance accepts at most. Always {@code > 0}. */
    int capacity();

    /** The instance's relative weight for weighted strategies. Always {@code > 0}. */
    int weight();

    /** Labels the instance registered with (for example {@code region=eu}, {@code map=arena}). */
    Map<String, String> labels();

    /** Clients pinned to the instance right now. */
    int clients();

    /** The latest load report; {@link LoadReport#EMPTY} before the first one. */
    LoadReport load();

    /**
     * When the instance became eligible for new clients, in the gateway clock's nanoseconds; balancers
     * use it for slow start.
     */
    long readySinceNanos();

    /** Free client slots: {@code capacity() - clients()}, never negative. */
    default int freeSlots() {
        return Math.max(0, capacity() - clients());
    }

    /** Whether the instance has room for another client. */
    default boolean hasRoom() {
        return clients() < capacity();
    }
}
