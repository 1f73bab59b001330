package io.reploid.gateway;

import io.reploid.scaling.ScalingDecision;
import io.reploid.scaling.ScalingPolicy;
import io.reploid.scaling.ScalingSnapshot;
import java.util.concurrent.atomic.AtomicInteger;

/** A policy that wants whatever the test says, whatever the load. Thread-safe. */
final class SteeredPolicy implements ScalingPolicy {
    final AtomicInteger desired;
    final AtomicInteger calls = new AtomicInteger();

    SteeredPolicy(int desired) {
        this.desired = new AtomicInteger(desired);
    }

    @Override
    public ScalingDecision decide(ScalingSnapshot snapshot) {
        calls.incrementAndGet();
        int d = desired.get();
        return new ScalingDecision(d, "the test wants " + d + " (have " + snapshot.currentSize() + ")");
    }

    @Override
    public String toString() {
        return "steered";
    }
}
