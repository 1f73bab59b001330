package io.reploid;

/**
 * What an instance reports about itself with every heartbeat.
 *
 * <p>Immutable and thread-safe.
 *
 * @param timestampMillis the instance's wall clock when the report was made
 * @param clients         clients whose state the instance holds
 * @param inFlight        requests being handled right now
 * @param cpu             process CPU use in {@code [0, 1]}, or {@code -1} when unknown
 * @param heapUsed        bytes of heap in use
 * @param heapMax         maximum heap in bytes, or {@code -1} when unbounded or unknown
 * @param gauge           a load figure defined by the service itself (for example players in a match)
 * @param selfHealthy     {@code false} when the service's own health hook reports it unhealthy
 */
public record LoadReport(long timestampMillis, int clients, int inFlight, double cpu, long heapUsed,
        long heapMax, double gauge, boolean selfHealthy) {

    /** The report of an instance that has not reported yet. */
    public static final LoadReport EMPTY = new LoadReport(0, 0, 0, -1, 0, -1, 0, true);

    public LoadReport {
        if (clients < 0) {
            throw new IllegalArgumentException("clients: " + clients + " (expected: >= 0)");
        }
        if (inFlight < 0) {
            throw new IllegalArgumentException("inFlight: " + inFlight + " (expected: >= 0)");
        }
    }

    /** Heap in use as a fraction of the maximum, or {@code -1} when the maximum is unknown. */
    public double heapFraction() {
        return heapMax > 0 ? (double) heapUsed / heapMax : -1;
    }
}
