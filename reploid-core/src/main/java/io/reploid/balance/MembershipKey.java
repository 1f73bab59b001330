package io.reploid.balance;

import java.util.Arrays;

/**
 * The ids and weights of a view, in view order: hash strategies keep their table while it stays the same
 * (the gateway also updates balancers when only load changed). Immutable and thread-safe.
 */
final class MembershipKey {
    private final String[] ids;
    private final int[] weights;

    MembershipKey(Instance[] instances) {
        ids = new String[instances.length];
        weights = new int[instances.length];
        for (int k = 0; k < instances.length; k++) {
            ids[k] = instances[k].id();
            weights[k] = instances[k].weight();
        }
    }

    /** Whether the instances have the same ids and weights, in the same order. */
    boolean sameAs(Instance[] instances) {
        if (instances.length != ids.length) {
            return false;
        }
        for (int k = 0; k < ids.length; k++) {
            if (weights[k] != instances[k].weight() || !ids[k].equals(instances[k].id())) {
                return false;
            }
        }
        return true;
    }

    String id(int index) {
        return ids[index];
    }

    int weight(int index) {
        return weights[index];
    }

    int size() {
        return ids.length;
    }

    @Override
    public String toString() {
        return Arrays.toString(ids);
    }
}
