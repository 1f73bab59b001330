package io.reploid.directory;

import java.util.Objects;

/**
 * A pin as the directory keeps it: the instance that holds a client and the epoch of that placement.
 * A newer placement of the same client always has a larger epoch.
 *
 * <p>Immutable and thread-safe.
 *
 * @param instanceId the instance's id
 * @param epoch the placement's epoch, greater than 0
 */
public record DirectoryPin(String instanceId, long epoch) {
    public DirectoryPin {
        Objects.requireNonNull(instanceId, "instanceId");
        if (epoch <= 0) {
            throw new IllegalArgumentException("epoch must be > 0, got " + epoch);
        }
    }
}
