package io.reploid.health;

/**
 * The phi-accrual failure detector (Hayashibara et al.): from the history of heartbeat intervals it
 * computes phi, the suspicion that the next heartbeat will never come, as {@code -log10(P(a heartbeat
 * still arrives later than now))} under a normal distribution of intervals. phi 1 means a 10% chance of
 * a false alarm, phi 8 one in 10^8.
 *
 * <p>{@code minStdDeviation} keeps very regular heartbeats from making phi jump at the first small
 * delay; {@code acceptablePause} is added to the mean, so a pause that short never raises suspicion.
 *
 * <p>Thread-safe: heartbeats arrive on a network thread while another thread reads phi.
 */
public final class PhiAccrualDetector {
    private final int windowSize;
    private final double minStdDeviationMillis;
    private final double acceptablePauseMillis;
    private final long[] intervals;
    private int count;
    private int next;
    private double sum;
    private double sumOfSquares;
    private long lastHeartbeatNanos = -1;

    /**
     * @param windowSize            intervals remembered (for example 100)
     * @param firstIntervalMillis   the interval assumed before any history (the configured heartbeat interval)
     * @param minStdDeviationMillis the smallest standard deviation used
     * @param acceptablePauseMillis a pause that never raises suspicion on its own
     */
    public PhiAccrualDetector(int windowSize, long firstIntervalMillis, long minStdDeviationMillis,
            long acceptablePauseMillis) {
        if (windowSize < 2) {
            throw new IllegalArgumentException("windowSize: " + windowSize + " (expected: >= 2)");
        }
        if (firstIntervalMillis <= 0) {
            throw new IllegalArgumentException("firstIntervalMillis: " + firstIntervalMillis + " (expected: > 0)");
        }
        if (minStdDeviationMillis <= 0) {
            throw new IllegalArgumentException("minStdDeviationMillis: " + minStdDeviationMillis + " (expected: > 0)");
        }
        if (acceptablePauseMillis < 0) {
            throw new IllegalArgumentException("acceptablePauseMillis: " + acceptablePauseMillis + " (expected: >= 0)");
        }
        this.windowSize = windowSize;
        this.intervals = new long[windowSize];
        this.minStdDeviationMillis = minStdDeviationMillis;
        this.acceptablePauseMillis = acceptablePauseMillis;
        // Seed the history as Akka does: the expected interval with a spread of a quarter of it.
        long spread = firstIntervalMillis / 4;
        add(firstIntervalMillis - spread);
        add(firstIntervalMillis + spread);
    }

    /** Records a heartbeat received at {@code nowNanos}. */
    public synchronized void heartbeat(long nowNanos) {
        if (lastHeartbeatNanos >= 0) {
            long interval = (nowNanos - lastHeartbeatNanos) / 1_000_000;
            if (interval >= 0) {
                add(interval);
            }
        }
        lastHeartbeatNanos = nowNanos;
    }

    private void add(long intervalMillis) {
        if (count == windowSize) {
            long dropped = intervals[next];
            sum -= dropped;
            sumOfSquares -= (double) dropped * dropped;
        } else {
            count++;
        }
        intervals[next] = intervalMillis;
        next = (next + 1) % windowSize;
        sum += intervalMillis;
        sumOfSquares += (double) intervalMillis * intervalMillis;
    }

    /** phi at {@code nowNanos}; 0 before the first heartbeat. */
    public synchronized double phi(long nowNanos) {
        if (lastHeartbeatNanos < 0) {
            return 0;
        }
        double elapsed = (nowNanos - lastHeartbeatNanos) / 1_000_000.0;
        double mean = sum / count + acceptablePauseMillis;
        double variance = Math.max(0, sumOfSquares / count - (sum / count) * (sum / count));
        double stdDeviation = Math.max(Math.sqrt(variance), minStdDeviationMillis);
        return phi(elapsed, mean, stdDeviation);
    }

    /** The nanosecond time of the last heartbeat, or -1. */
    public synchronized long lastHeartbeatNanos() {
        return lastHeartbeatNanos;
    }

    /** The mean interval between heartbeats in the window, in milliseconds. */
    public synchronized double meanIntervalMillis() {
        return sum / count;
    }

    /**
     * phi for a time since the last heartbeat, using the logistic approximation of the normal CDF
     * (error below 0.02%), as Akka and Cassandra do.
     */
    static double phi(double elapsedMillis, double meanMillis, double stdDeviationMillis) {
        double y = (elapsedMillis - meanMillis) / stdDeviationMillis;
        double e = Math.exp(-y * (1.5976 + 0.070566 * y * y));
        if (elapsedMillis > meanMillis) {
            return -Math.log10(e / (1.0 + e));
        }
        return -Math.log10(1.0 - 1.0 / (1.0 + e));
    }
}
