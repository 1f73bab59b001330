package io.reploid.balance;

import java.util.Arrays;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * A request that also excludes instances a wrapping balancer turned down, so the wrapped picker is asked
 * again for another. Used by one thread at a time, like every {@link PickRequest}.
 */
final class ExcludingRequest implements PickRequest {
    private final PickRequest request;
    private Instance[] excluded = new Instance[4];
    private int count;

    ExcludingRequest(PickRequest request) {
        this.request = request;
    }

    void exclude(Instance instance) {
        if (count == excluded.length) {
            excluded = Arrays.copyOf(excluded, count * 2);
        }
        excluded[count++] = instance;
    }

    @Override
    public String clientId() {
        return request.clientId();
    }

    @Override
    public Map<String, String> metadata() {
        return request.metadata();
    }

    @Override
    public boolean isExcluded(Instance instance) {
        for (int k = 0; k < count; k++) {
            if (excluded[k].equals(instance)) {
                return true;
            }
        }
        return request.isExcluded(instance);
    }

    @Override
    public RandomGenerator random() {
        return request.random();
    }
}
