package io.reploid.balance;

import io.reploid.LoadReport;

/**
 * The scalar "reported load" of an instance that {@code least-loaded} and {@code p2c} minimise: its
 * utilisation of the scarcest resource, in {@code [0, 1]} when not overloaded.
 *
 * <pre>
 * extra       = (clients() - report.clients()) / capacity()      clients pinned since the report
 * utilisation = max(clients() / capacity(),
 *                   report.cpu() + extra,                         when the cpu is known
 *                   report.heapFraction() + extra)                when the heap maximum is known
 * </pre>
 *
 * <p>The {@code extra} term projects a report forward: reports arrive with heartbeats, but pins happen
 * between them, and without it every new client would go to the instance that looked idlest at the
 * last heartbeat. It assumes what capacity means: an instance at capacity is fully used. An instance
 * that has not reported yet is judged by its client count alone.
 *
 * <p>Immutable and thread-safe.
 */
final class LoadScore {
    private final Instance[] instances;
    private final double[] inverseCapacity;
    private final LoadReport[] reports;
    private final double[] offsets;

    /**
     * The scores of a view's instances. The reports seen now are digested once; a report that arrives
     * later is digested when read.
     */
    LoadScore(Instance[] instances) {
        this.instances = instances;
        inverseCapacity = new double[instances.length];
        reports = new LoadReport[instances.length];
        offsets = new double[instances.length];
        for (int k = 0; k < instances.length; k++) {
            inverseCapacity[k] = 1.0 / instances[k].capacity();
            reports[k] = instances[k].load();
            offsets[k] = offset(reports[k], inverseCapacity[k]);
        }
    }

    /** The utilisation of the {@code k}-th instance, read live. */
    double utilisation(int k) {
        Instance i = instances[k];
        LoadReport r = i.load();
        double offset = r == reports[k] ? offsets[k] : offset(r, inverseCapacity[k]);
        return i.clients() * inverseCapacity[k] + offset;
    }

    /** The instance's utilisation, read live. */
    static double utilisation(Instance instance) {
        return utilisation(instance.clients(), instance.capacity(), instance.load());
    }

    static double utilisation(int clients, int capacity, LoadReport report) {
        double inverse = 1.0 / capacity;
        return clients * inverse + offset(report, inverse);
    }

    /**
     * What a report adds to clients/capacity: {@code max(0, cpu - reported clients/capacity,
     * heap - reported clients/capacity)} over the fractions that are known. The same formula as above,
     * rearranged so that a pick does one multiplication per instance.
     */
    private static double offset(LoadReport report, double inverseCapacity) {
        double known = Math.max(report.cpu(), report.heapFraction());
        return known < 0 ? 0 : Math.max(0, known - report.clients() * inverseCapacity);
    }

    /** A reported fraction (cpu or heap) projected to the live client count, or clients/capacity if unknown. */
    static double projected(double reported, int clients, int capacity, int reportedClients) {
        if (reported < 0) {
            return (double) clients / capacity;
        }
        return Math.max(0, reported + (double) (clients - reportedClients) / capacity);
    }
}
