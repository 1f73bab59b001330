package io.reploid.balance;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/** Takes instances in turn, skipping full and excluded ones. The cursor survives snapshot changes. */
final class RoundRobin implements LoadBalancer {
    private final AtomicLong cursor = new AtomicLong();

    @Override
    public Picker update(ClusterView view) {
        List<Instance> instances = view.instances();
        if (instances.isEmpty()) {
            return Picker.EMPTY;
        }
        Instance[] array = instances.toArray(new Instance[0]);
        AtomicLong next = cursor;
        return request -> {
            int n = array.length;
            long start = next.getAndIncrement();
            for (int k = 0; k < n; k++) {
                Instance i = array[(int) Math.floorMod(start + k, (long) n)];
                if (i.hasRoom() && !request.isExcluded(i)) {
                    return i;
                }
            }
            return null;
        };
    }

    @Override
    public String toString() {
        return "round-robin";
    }
}
