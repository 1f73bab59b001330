package io.reploid.balance;

/**
 * The test every picker applies before returning an instance: it must have room and must not be excluded
 * by the request. Stateless and thread-safe.
 */
final class Candidates {
    private Candidates() {
    }

    /** Whether the instance may be returned for this request. */
    static boolean fits(Instance instance, PickRequest request) {
        return instance.hasRoom() && !request.isExcluded(instance);
    }
}
