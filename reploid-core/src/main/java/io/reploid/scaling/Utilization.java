package io.reploid.scaling;

import io.reploid.scaling.ScalingSnapshot.InstanceLoad;

/**
 * Reads a {@link ScalingMetric} off a snapshot. The value is projected onto the cluster's current size:
 * pending starts count as idle instances, so a policy does not ask again for instances that are already
 * starting. Stateless.
 */
final class Utilization {

    private Utilization() {
    }

    /**
     * The metric as it will read once the pending starts have registered (they take no load until then),
     * or {@code NaN} when nothing can be measured; {@link #unmeasured} then says why.
     */
    static double projected(ScalingMetric metric, ScalingSnapshot snapshot) {
        int active = 0;
        int known = 0;
        long clients = 0;
        long capacity = 0;
        double sum = 0;
        for (InstanceLoad i : snapshot.instances()) {
            clients += Math.max(0, i.clients());
            if (i.draining()) {
                continue;
            }
            active++;
            capacity += Math.max(0, i.capacity());
            double v = metric == ScalingMetric.CPU ? i.cpu() : i.gauge();
            if (Double.isFinite(v) && (metric != ScalingMetric.CPU || v >= 0)) {
                sum += v;
                known++;
            }
        }
        if (active == 0) {
            return Double.NaN;
        }
        double measured = switch (metric) {
            case CLIENTS -> capacity > 0 ? (double) clients / capacity : Double.NaN;
            case CPU, GAUGE -> known > 0 ? sum / known : Double.NaN;
        };
        return measured * active / (active + snapshot.pendingStarts());
    }

    /** Why {@link #projected} returned {@code NaN}, for a decision's reason. */
    static String unmeasured(ScalingMetric metric, ScalingSnapshot snapshot) {
        int live = snapshot.instances().size();
        int active = snapshot.currentSize() - snapshot.pendingStarts();
        String starting = snapshot.pendingStarts() > 0 ? ", " + snapshot.pendingStarts() + " starting" : "";
        if (live == 0) {
            return (snapshot.pendingStarts() > 0 ? "no instance registered yet" : "no instances") + starting;
        }
        if (active == 0) {
            return "all " + live + " instances draining" + starting;
        }
        String what = switch (metric) {
            case CLIENTS -> "capacity 0";
            case CPU -> "cpu unknown";
            case GAUGE -> "gauge unknown";
        };
        return what + " on all " + active + " instances" + starting;
    }
}
