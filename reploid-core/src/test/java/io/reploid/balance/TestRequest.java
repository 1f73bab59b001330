package io.reploid.balance;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/** A pick request with a seeded random source and an exclusion set. */
final class TestRequest implements PickRequest {
    private final String clientId;
    private final Map<String, String> metadata;
    private final RandomGenerator random;
    private final Set<String> excluded = new HashSet<>();

    TestRequest(String clientId, Map<String, String> metadata, RandomGenerator random) {
        this.clientId = clientId;
        this.metadata = metadata;
        this.random = random;
    }

    TestRequest(String clientId) {
        this(clientId, Map.of(), new SplittableRandom(1));
    }

    TestRequest(String clientId, RandomGenerator random) {
        this(clientId, Map.of(), random);
    }

    TestRequest exclude(Instance instance) {
        excluded.add(instance.id());
        return this;
    }

    @Override
    public String clientId() {
        return clientId;
    }

    @Override
    public Map<String, String> metadata() {
        return metadata;
    }

    @Override
    public boolean isExcluded(Instance instance) {
        return excluded.contains(instance.id());
    }

    @Override
    public RandomGenerator random() {
        return random;
    }
}
