package io.reploid.examples.bench;

import io.reploid.balance.Instance;
import io.reploid.balance.PickRequest;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/** A reusable pick request over a fixed set of client ids. One per benchmark thread. */
final class BenchRequest implements PickRequest {
    private static final Map<String, String> METADATA = Map.of("region", "eu");

    private final String[] clientIds;
    private final SplittableRandom random;
    private int next;

    BenchRequest(int clients, long seed) {
        random = new SplittableRandom(seed);
        clientIds = new String[clients];
        for (int k = 0; k < clients; k++) {
            clientIds[k] = "client-" + Long.toHexString(random.nextLong());
        }
    }

    /** Moves on to the next client id. */
    BenchRequest next() {
        next = next + 1 == clientIds.length ? 0 : next + 1;
        return this;
    }

    @Override
    public String clientId() {
        return clientIds[next];
    }

    @Override
    public Map<String, String> metadata() {
        return METADATA;
    }

    @Override
    public boolean isExcluded(Instance instance) {
        return false;
    }

    @Override
    public RandomGenerator random() {
        return random;
    }
}
