package io.reploid;

import java.util.Locale;

/**
 * The life-cycle state of a service instance as a gateway sees it.
 *
 * <p>Immutable and thread-safe.
 */
public enum InstanceState {
    /** Registered, not yet confirmed healthy; takes no new clients. */
    JOINING,
    /** Alive and takes new clients. */
    HEALTHY,
    /** Alive, serves its clients, but at capacity or over a resource limit: takes no new clients. */
    FULL,
    /** Missed heartbeats or lost its connection; its clients wait before failing over. */
    SUSPECT,
    /** Declared dead; its clients are re-pinned. */
    DEAD,
    /** Serves its clients but takes no new ones while they move away. */
    DRAINING;

    /** Whether an instance in this state may be given new clients. */
    public boolean acceptsNewClients() {
        return this == HEALTHY;
    }

    /** The lower-case name used in the admin API and the logs. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
