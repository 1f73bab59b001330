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
 * <p>Stateless and thread-safe.
 */
final class LoadScore {
    private LoadScore() {
    }

    /** The instance's utilisation, read live. */
    static double utilisation(Instance instance) {
        return utilisation(instance.clients(), instance.capacity(), instance.load());
    }

    static double utilisation(int clients, int capacity, LoadReport report) {
        double byClients = (double) clients / capacity;
        double extra = (double) (clients - report.clients()) / capacity;
        double u = byClients;
        if (report.cpu() >= 0) {
            u = Math.max(u, report.cpu() + extra);
        }
        double heap = report.heapFraction();
        if (heap >= 0) {
            u = Math.max(u, heap + extra);
        }
        return u;
    }

    /** A reported fraction (cpu or heap) projected to the live client count, or clients/capacity if unknown. */
    static double projected(double reported, int clients, int capacity, int reportedClients) {
        if (reported < 0) {
            return (double) clients / capacity;
        }
        return Math.max(0, reported + (double) (clients - reportedClients) / capacity);
    }
}
