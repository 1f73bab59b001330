package io.reploid.balance;

import io.reploid.LoadReport;
import java.util.Arrays;
import java.util.random.RandomGenerator;

/**
 * {@code resource-aware}: a weighted score of resources, lowest wins, in the manner of Orleans'
 * resource-optimised placement. For each candidate:
 *
 * <pre>
 * score = cpu x cpu' + heap x heap' + clients x clients()/capacity() + gauge x gauge/maxGauge
 * </pre>
 *
 * <p>where {@code cpu'} and {@code heap'} are the reported cpu and heap fractions projected to the live
 * client count as in {@link LoadScore} (clients/capacity while unknown), and {@code maxGauge} is the
 * largest {@link LoadReport#gauge()} in the view when it was built. The weights are relative (they are
 * divided by their sum); defaults {@code cpu=0.4,heap=0.3,clients=0.2,gauge=0.1}.
 *
 * <p>Like Orleans it scores a random sample of {@code ceil(sqrt(instances))} distinct candidates per pick
 * ({@code sample=N} to change it, {@code 0} for all), so a stale report cannot draw every new client to
 * one instance and a pick stays cheap. If no sampled candidate fits, every instance is scored.
 */
final class ResourceAware implements LoadBalancer {

    /** Relative weights and the sample size (0: square root of the instance count). */
    record Weights(double cpu, double heap, double clients, double gauge, int sample) {
        static final Weights DEFAULT = new Weights(0.4, 0.3, 0.2, 0.1, 0);

        Weights {
            double sum = cpu + heap + clients + gauge;
            if (!(cpu >= 0 && heap >= 0 && clients >= 0 && gauge >= 0 && sum > 0)) {
                throw new IllegalArgumentException("weights: cpu=" + cpu + ", heap=" + heap + ", clients=" + clients
                        + ", gauge=" + gauge + " (expected: >= 0, not all 0)");
            }
            if (sample < 0) {
                throw new IllegalArgumentException("sample: " + sample + " (expected: >= 0)");
            }
            cpu /= sum;
            heap /= sum;
            clients /= sum;
            gauge /= sum;
        }
    }

    private final Weights weights;

    ResourceAware(Weights weights) {
        this.weights = weights;
    }

    @Override
    public Picker update(ClusterView view) {
        if (view.isEmpty()) {
            return Picker.EMPTY;
        }
        Instance[] instances = view.instances().toArray(new Instance[0]);
        int n = instances.length;
        int sample = weights.sample() == 0 ? (int) Math.ceil(Math.sqrt(n)) : Math.min(n, weights.sample());
        int[] strides = strides(n);
        Scores scores = new Scores(instances, weights);
        return request -> {
            RandomGenerator random = request.random();
            int index = random.nextInt(n);
            int stride = strides[random.nextInt(strides.length)];
            Instance best = null;
            double bestScore = Double.POSITIVE_INFINITY;
            for (int k = 0; k < sample; k++) {
                double score = scores.of(index);
                if (score < bestScore && Candidates.fits(instances[index], request)) {
                    best = instances[index];
                    bestScore = score;
                }
                index += stride;
                if (index >= n) {
                    index -= n;
                }
            }
            if (best != null || sample == n) {
                return best;
            }
            for (int k = 0; k < n; k++) {
                double score = scores.of(k);
                if (score < bestScore && Candidates.fits(instances[k], request)) {
                    best = instances[k];
                    bestScore = score;
                }
            }
            return best;
        };
    }

    /** The score of an instance, as in the class comment. */
    static double score(Instance i, Weights w, double gaugeScale) {
        LoadReport r = i.load();
        int clients = i.clients();
        int capacity = i.capacity();
        return w.cpu() * LoadScore.projected(r.cpu(), clients, capacity, r.clients())
                + w.heap() * LoadScore.projected(r.heapFraction(), clients, capacity, r.clients())
                + w.clients() * clients / capacity
                + w.gauge() * Math.max(0, r.gauge()) * gaugeScale;
    }

    /**
     * The scores of a view's instances, with the reports seen when it was built digested into offsets so
     * that a score costs no division: with {@code u = clients/capacity}, {@code cpu' = max(0, u + cpu -
     * reportedClients/capacity)} (and {@code u} while the cpu is unknown), the same for heap. A report
     * that arrives later is scored as it is read. Immutable and thread-safe.
     */
    private static final class Scores {
        private final Instance[] instances;
        private final Weights w;
        private final double gaugeScale;
        private final double[] inverseCapacity;
        private final LoadReport[] reports;
        private final double[] cpuOffset;
        private final double[] heapOffset;
        private final double[] gaugeTerm;

        Scores(Instance[] instances, Weights w) {
            this.instances = instances;
            this.w = w;
            double maxGauge = 0;
            for (Instance i : instances) {
                maxGauge = Math.max(maxGauge, i.load().gauge());
            }
            gaugeScale = maxGauge > 0 ? 1 / maxGauge : 0;
            int n = instances.length;
            inverseCapacity = new double[n];
            reports = new LoadReport[n];
            cpuOffset = new double[n];
            heapOffset = new double[n];
            gaugeTerm = new double[n];
            for (int k = 0; k < n; k++) {
                LoadReport r = instances[k].load();
                double inverse = 1.0 / instances[k].capacity();
                inverseCapacity[k] = inverse;
                reports[k] = r;
                cpuOffset[k] = r.cpu() < 0 ? 0 : r.cpu() - r.clients() * inverse;
                double heap = r.heapFraction();
                heapOffset[k] = heap < 0 ? 0 : heap - r.clients() * inverse;
                gaugeTerm[k] = w.gauge() * Math.max(0, r.gauge()) * gaugeScale;
            }
        }

        double of(int k) {
            Instance i = instances[k];
            if (i.load() != reports[k]) {
                return score(i, w, gaugeScale);
            }
            double u = i.clients() * inverseCapacity[k];
            return w.cpu() * Math.max(0, u + cpuOffset[k]) + w.heap() * Math.max(0, u + heapOffset[k])
                    + w.clients() * u + gaugeTerm[k];
        }
    }

    /** Up to eight steps coprime with n, so that {@code start + k x stride} visits distinct instances. */
    private static int[] strides(int n) {
        if (n <= 2) {
            return new int[] {1};
        }
        int[] found = new int[8];
        int count = 0;
        for (int s = Math.max(1, (int) (n * 0.618)), tried = 0; tried < n && count < found.length; tried++) {
            if (gcd(s, n) == 1) {
                found[count++] = s;
            }
            s = s + 1 < n ? s + 1 : 1;
        }
        return Arrays.copyOf(found, count);
    }

    private static int gcd(int a, int b) {
        while (b != 0) {
            int t = a % b;
            a = b;
            b = t;
        }
        return a;
    }

    @Override
    public String toString() {
        return "resource-aware:cpu=" + weights.cpu() + ",heap=" + weights.heap() + ",clients=" + weights.clients()
                + ",gauge=" + weights.gauge() + ",sample=" + weights.sample();
    }
}
