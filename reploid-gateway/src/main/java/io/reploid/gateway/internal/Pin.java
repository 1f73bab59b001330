package io.reploid.gateway.internal;

/**
 * A client's placement: the instance that holds its state and the epoch of the placement. A new pin
 * for the same client always has a larger epoch; frames from an instance carrying an older epoch are
 * discarded (fencing). Immutable; about 24 bytes.
 */
final class Pin {
    final InstanceRecord instance;
    final long epoch;

    Pin(InstanceRecord instance, long epoch) {
        this.instance = instance;
        this.epoch = epoch;
    }

    @Override
    public String toString() {
        return instance.id() + "@" + epoch;
    }
}
