package io.reploid.balance;

import java.util.random.RandomGenerator;

/**
 * {@code p2c}: the power of two choices. Two distinct instances are drawn at random and the one with the
 * lower {@link LoadScore#utilisation} wins (the first drawn on a tie). Constant work per pick, and the
 * maximum load stays within {@code O(log log n)} of the mean instead of the {@code O(log n / log log n)}
 * of one random choice. If neither draw fits, three more pairs are drawn, then the least-loaded fitting
 * instance is taken.
 */
final class PowerOfTwoChoices implements LoadBalancer {
    private static final int DRAWS = 4;

    @Override
    public Picker update(ClusterView view) {
        if (view.isEmpty()) {
            return Picker.EMPTY;
        }
        Instance[] instances = view.instances().toArray(new Instance[0]);
        int n = instances.length;
        if (n == 1) {
            Instance only = instances[0];
            return request -> Candidates.fits(only, request) ? only : null;
        }
        LoadScore scores = new LoadScore(instances);
        return request -> {
            RandomGenerator random = request.random();
            for (int draw = 0; draw < DRAWS; draw++) {
                int a = random.nextInt(n);
                int b = random.nextInt(n - 1);
                if (b >= a) {
                    b++;
                }
                Instance first = instances[a];
                Instance second = instances[b];
                boolean firstFits = Candidates.fits(first, request);
                boolean secondFits = Candidates.fits(second, request);
                if (firstFits && secondFits) {
                    return scores.utilisation(b) < scores.utilisation(a) ? second : first;
                }
                if (firstFits) {
                    return first;
                }
                if (secondFits) {
                    return second;
                }
            }
            return LeastLoaded.best(instances, scores, request);
        };
    }

    @Override
    public String toString() {
        return "p2c";
    }
}
