package io.reploid.health;

import io.reploid.LoadReport;

/**
 * What a {@link HealthCheck} can see of an instance. Implemented by the gateway; values are read live.
 * Thread-safe.
 */
public interface InstanceHealth {

    /** The instance id. */
    String id();

    /** Whether the instance's connection to this gateway is open (passive check). */
    boolean connected();

    /** The latest load report ({@link LoadReport#EMPTY} before the first). */
    LoadReport load();

    /** Clients pinned to the instance. */
    int clients();

    /** The instance's capacity. */
    int capacity();

    /** The phi-accrual suspicion level of the instance's heartbeats now (0 before the first). */
    double phi();

    /** Milliseconds since the last heartbeat (load report), or -1 before the first. */
    long millisSinceHeartbeat();

    /** Round-trip time of the last answered active ping in milliseconds, or -1 before the first. */
    double pingRttMillis();

    /** Milliseconds the oldest unanswered active ping has been waiting, or 0 when none is. */
    long millisPingOutstanding();
}
