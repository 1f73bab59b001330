package io.reploid.balance;

import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * What a {@link Picker} is asked to place: one client on its first visit (or after its instance died).
 *
 * <p>A request is used by one thread at a time; it is not safe to keep it after {@code pick} returns.
 */
public interface PickRequest {

    /** The id of the client being placed. */
    String clientId();

    /** The metadata the client sent in its hello (for example {@code region=eu}). */
    Map<String, String> metadata();

    /**
     * Whether the gateway already rejected this instance for this request (full, or no longer healthy
     * when it tried to pin). A picker that returns an excluded instance is asked again; one that keeps
     * doing so is bypassed.
     */
    boolean isExcluded(Instance instance);

    /** Randomness for this pick: the gateway passes a thread-local source, simulations a seeded one. */
    RandomGenerator random();
}
