package io.reploid.balance.simulation;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The whole course of a simulation, drawn once from the seed before any strategy runs: the instances,
 * and per step the membership changes, the clients that leave and the clients that arrive. Every
 * strategy replays the same trace, so their figures differ only by their placements. Immutable.
 */
final class Trace {
    private static final String[] REGIONS = {"eu", "us", "ap"};
    private static final int MAX_ZIPF_WEIGHT = 100;

    record InstanceSpec(String id, int capacity, int weight, Map<String, String> labels) {
        SimInstance start(long nanos) {
            return new SimInstance(id, capacity, weight, labels, nanos);
        }
    }

    record ClientSpec(String id, double weight, Map<String, String> metadata) {
    }

    record Change(MembershipEvent event, List<InstanceSpec> joined, List<String> removed) {
    }

    record Step(List<Change> changes, List<String> departures, List<ClientSpec> arrivals) {
    }

    final List<InstanceSpec> initial;
    final List<Step> steps;
    final double meanWeight;

    private Trace(List<InstanceSpec> initial, List<Step> steps, double meanWeight) {
        this.initial = initial;
        this.steps = steps;
        this.meanWeight = meanWeight;
    }

    static Trace generate(Workload workload, int instances, int clients, int stepCount, int capacity,
            List<MembershipEvent> events, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        double[] zipf = workload.zipfExponent() > 0 ? zipfCdf(workload.zipfExponent()) : null;
        double meanWeight = zipf != null ? zipfMean(zipf) : 1;
        List<InstanceSpec> initial = new ArrayList<>();
        List<String> liveInstances = new ArrayList<>();
        int nextInstance = 0;
        for (; nextInstance < instances; nextInstance++) {
            InstanceSpec spec = instance(workload, nextInstance, capacity);
            initial.add(spec);
            liveInstances.add(spec.id());
        }
        List<String> liveClients = new ArrayList<>();
        Map<String, Integer> clientIndex = new HashMap<>();
        int nextClient = 0;
        int rampSteps = workload.churnPerStep() > 0 ? Math.max(1, stepCount / 4) : stepCount;
        List<Step> steps = new ArrayList<>(stepCount);
        for (int s = 0; s < stepCount; s++) {
            List<Change> changes = new ArrayList<>();
            for (MembershipEvent e : events) {
                if (stepOf(e, stepCount) != s) {
                    continue;
                }
                List<InstanceSpec> joined = new ArrayList<>();
                List<String> removed = new ArrayList<>();
                if (e.kind() == MembershipEvent.Kind.JOIN) {
                    for (int k = 0; k < e.count(); k++, nextInstance++) {
                        InstanceSpec spec = instance(workload, nextInstance, capacity);
                        joined.add(spec);
                        liveInstances.add(spec.id());
                    }
                } else {
                    if (e.count() > liveInstances.size()) {
                        throw new IllegalArgumentException("event " + e + ": only " + liveInstances.size()
                                + " instances at step " + s);
                    }
                    for (int k = 0; k < e.count(); k++) {
                        removed.add(liveInstances.remove(random.nextInt(liveInstances.size())));
                    }
                }
                changes.add(new Change(e, joined, removed));
            }
            List<String> departures = new ArrayList<>();
            int arriving;
            if (s < rampSteps) {
                arriving = (int) ((long) (s + 1) * clients / rampSteps - (long) s * clients / rampSteps);
            } else {
                arriving = (int) Math.round(workload.churnPerStep() * liveClients.size());
                for (int k = 0; k < arriving && !liveClients.isEmpty(); k++) {
                    departures.add(removeRandom(liveClients, clientIndex, random));
                }
            }
            List<ClientSpec> arrivals = new ArrayList<>(arriving);
            for (int k = 0; k < arriving; k++, nextClient++) {
                String id = String.format("c-%07d", nextClient);
                double weight = zipf != null ? sampleZipf(zipf, random) : 1;
                arrivals.add(new ClientSpec(id, weight, Map.of("region", REGIONS[random.nextInt(REGIONS.length)])));
                clientIndex.put(id, liveClients.size());
                liveClients.add(id);
            }
            steps.add(new Step(changes, departures, arrivals));
        }
        return new Trace(List.copyOf(initial), List.copyOf(steps), meanWeight);
    }

    /** The step at which an event happens. */
    static int stepOf(MembershipEvent e, int stepCount) {
        return Math.min(stepCount - 1, (int) Math.floor(e.at() * stepCount));
    }

    private static InstanceSpec instance(Workload workload, int index, int capacity) {
        int multiplier = workload.multiplier(index);
        int c = (int) Math.max(1, Math.round(capacity * multiplier / workload.meanMultiplier()));
        return new InstanceSpec(String.format("i-%04d", index), c, multiplier,
                Map.of("region", REGIONS[index % REGIONS.length]));
    }

    private static String removeRandom(List<String> live, Map<String, Integer> index, SplittableRandom random) {
        int k = random.nextInt(live.size());
        String gone = live.get(k);
        String last = live.remove(live.size() - 1);
        if (k < live.size()) {
            live.set(k, last);
            index.put(last, k);
        }
        index.remove(gone);
        return gone;
    }

    private static double[] zipfCdf(double exponent) {
        double[] cdf = new double[MAX_ZIPF_WEIGHT];
        double sum = 0;
        for (int k = 1; k <= MAX_ZIPF_WEIGHT; k++) {
            sum += Math.pow(k, -exponent);
            cdf[k - 1] = sum;
        }
        for (int k = 0; k < cdf.length; k++) {
            cdf[k] /= sum;
        }
        return cdf;
    }

    private static double zipfMean(double[] cdf) {
        double mean = 0;
        double previous = 0;
        for (int k = 0; k < cdf.length; k++) {
            mean += (k + 1) * (cdf[k] - previous);
            previous = cdf[k];
        }
        return mean;
    }

    private static double sampleZipf(double[] cdf, SplittableRandom random) {
        double u = random.nextDouble();
        int k = Arrays.binarySearch(cdf, u);
        return (k >= 0 ? k : -k - 1) + 1;
    }
}
