package io.reploid.scaling;

import io.reploid.scaling.ScalingSnapshot.InstanceLoad;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A cluster that does what a policy decides, on a fake clock: started instances register after a delay,
 * removed ones go at once (pending starts first, then drains that finish instantly), and the demand, in
 * clients, spreads evenly over the registered instances. CPU and gauge read the same as clients/capacity,
 * so a run gives the same sizes whatever metric the policy measures.
 */
final class SimulatedCluster {
    static final int CAPACITY = 100;

    private final ScalingPolicy policy;
    private final long startDelayNanos;
    private final ArrayDeque<Long> starting = new ArrayDeque<>();
    private long nanoTime = TimeUnit.HOURS.toNanos(1);
    private int registered;
    private int changes;
    private final List<Long> changeTimes = new ArrayList<>();

    SimulatedCluster(ScalingPolicy policy, int instances, Duration startDelay) {
        this.policy = policy;
        this.registered = instances;
        this.startDelayNanos = startDelay.toNanos();
    }

    /** Moves the clock on, registers the instances that finished starting, and applies one decision. */
    ScalingDecision tick(Duration step, int demand) {
        nanoTime += step.toNanos();
        while (!starting.isEmpty() && starting.peekFirst() <= nanoTime) {
            starting.pollFirst();
            registered++;
        }
        ScalingSnapshot snapshot = snapshot(demand);
        ScalingDecision d = policy.decide(snapshot);
        int current = snapshot.currentSize();
        for (int i = current; i < d.desired(); i++) {
            starting.addLast(nanoTime + startDelayNanos);
        }
        for (int i = d.desired(); i < current; i++) {
            if (!starting.isEmpty()) {
                starting.pollLast();
            } else {
                registered--;
            }
        }
        if (d.desired() != current) {
            changes++;
            changeTimes.add(nanoTime);
        }
        return d;
    }

    ScalingSnapshot snapshot(int demand) {
        List<InstanceLoad> instances = new ArrayList<>();
        for (int i = 0; i < registered; i++) {
            int clients = demand / registered + (i < demand % registered ? 1 : 0);
            double load = (double) clients / CAPACITY;
            instances.add(new InstanceLoad("i" + i, clients, CAPACITY, load, -1, load, false));
        }
        return new ScalingSnapshot(nanoTime, instances, starting.size());
    }

    /** Registered and starting instances. */
    int size() {
        return registered + starting.size();
    }

    int registered() {
        return registered;
    }

    long nanoTime() {
        return nanoTime;
    }

    /** How many decisions changed the size. */
    int changes() {
        return changes;
    }

    /** The clock readings of the decisions that changed the size. */
    List<Long> changeTimes() {
        return changeTimes;
    }
}
