package io.reploid.balance;

/**
 * {@code random}: a uniformly random instance, drawn from {@link PickRequest#random()}. If it is full or
 * excluded, the next ones in id order are tried. Needs no state and no coordination between threads.
 */
final class RandomChoice implements LoadBalancer {

    @Override
    public Picker update(ClusterView view) {
        if (view.isEmpty()) {
            return Picker.EMPTY;
        }
        Instance[] instances = view.instances().toArray(new Instance[0]);
        return request -> {
            int n = instances.length;
            int start = request.random().nextInt(n);
            for (int k = 0; k < n; k++) {
                int index = start + k < n ? start + k : start + k - n;
                Instance i = instances[index];
                if (Candidates.fits(i, request)) {
                    return i;
                }
            }
            return null;
        };
    }

    @Override
    public String toString() {
        return "random";
    }
}
