package io.reploid.service.internal;

import io.reploid.service.ReploidService;
import io.reploid.state.StoredRecord;
import java.util.Optional;

/** Test access to a runtime's replication internals, for tests outside this package. */
public final class Probe {
    private Probe() {
    }

    /** The replica {@code service} holds for another instance's client, if any. */
    public static Optional<StoredRecord> replica(ReploidService service, String clientId) {
        Durability d = ((ServiceRuntime<?>) service).durability();
        return d instanceof Replication r ? r.replicas().get(clientId) : Optional.empty();
    }

    /** How many replicas {@code service} holds for other instances. */
    public static int replicas(ReploidService service) {
        Durability d = ((ServiceRuntime<?>) service).durability();
        return d instanceof Replication r ? r.replicas().size() : 0;
    }

    /** The version of the newest record of a client {@code service} holds a session of, or -1. */
    public static long version(ReploidService service, String clientId) {
        Session<?> s = ((ServiceRuntime<?>) service).sessions().get(clientId);
        return s == null ? -1 : s.version();
    }
}
