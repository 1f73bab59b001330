package io.reploid.balance.simulation;

import java.util.Map;

/**
 * A simulated client: how much load it brings, its hello metadata, and the instance it is pinned to (or
 * {@code null}). Used by the simulation thread only.
 */
final class SimClient {
    private final String id;
    private final double weight;
    private final Map<String, String> metadata;
    SimInstance instance;

    SimClient(String id, double weight, Map<String, String> metadata) {
        this.id = id;
        this.weight = weight;
        this.metadata = metadata;
    }

    String id() {
        return id;
    }

    double weight() {
        return weight;
    }

    Map<String, String> metadata() {
        return metadata;
    }

    @Override
    public String toString() {
        return id;
    }
}
