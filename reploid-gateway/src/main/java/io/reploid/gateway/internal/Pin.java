package io.reploid.gateway.internal;

/**
 * A client's placement: the instance that holds its state and the epoch of the placement. A new pin
 * for the same client always has a larger epoch; frames from an instance carrying an older epoch are
 * discarded (fencing). The placement is immutable; {@link #lastActiveNanos} is written on every visit
 * and request (a plain volatile write) for idle expiry. 32 bytes with compressed references.
 */
final class Pin {
    final InstanceRecord instance;
    final long epoch;
    volatile long lastActiveNanos;

    Pin(InstanceRecord instance, long epoch, long nowNanos) {
        this.instance = instance;
        this.epoch = epoch;
        this.lastActiveNanos = nowNanos;
    }

    void touch(long nowNanos) {
        lastActiveNanos = nowNanos;
    }

    @Override
    public String toString() {
        return instance.id() + "@" + epoch;
    }
}
