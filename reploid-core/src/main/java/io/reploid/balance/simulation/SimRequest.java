package io.reploid.balance.simulation;

import io.reploid.balance.Instance;
import io.reploid.balance.PickRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * The request for one client's placement. The simulator excludes what it rejected, as the gateway does;
 * the {@link Ideal} baseline also reads the client's true weight. Used by one thread.
 */
final class SimRequest implements PickRequest {
    private final SimClient client;
    private final RandomGenerator random;
    private final List<Instance> excluded = new ArrayList<>(2);

    SimRequest(SimClient client, RandomGenerator random) {
        this.client = client;
        this.random = random;
    }

    void exclude(Instance instance) {
        excluded.add(instance);
    }

    double weight() {
        return client.weight();
    }

    @Override
    public String clientId() {
        return client.id();
    }

    @Override
    public Map<String, String> metadata() {
        return client.metadata();
    }

    @Override
    public boolean isExcluded(Instance instance) {
        return !excluded.isEmpty() && excluded.contains(instance);
    }

    @Override
    public RandomGenerator random() {
        return random;
    }
}
