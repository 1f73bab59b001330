package io.reploid.jdbc;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * What a gateway believes about its hold on the leader lease, by its own monotonic clock.
 *
 * <p>The database grants the lease until {@code now() + lease} by its clock, where {@code now()} is the start
 * of the renewal's transaction, so no earlier than the moment the gateway sent the renewal. The gateway
 * believes it leads until {@code sent + lease - lease/5} by its monotonic clock: it stops believing before the
 * database lets another gateway take the lease, as long as the two clocks run at rates within 20% of each
 * other, however late the database's answer arrives. A failed renewal changes nothing: the belief runs out by
 * itself.
 *
 * <p>Thread-safe: one thread renews, any thread asks {@link #held()} (a volatile read and a clock read).
 */
final class LeaderLease {
    /** A renewal the database granted: its term and until when, on the monotonic clock, to believe in it. */
    private record Grant(long term, long believedUntilNanos) {
    }

    private final long believedNanos;
    private final LongSupplier nanoTime;
    private volatile Grant grant;
    private boolean stopped; // guarded by this

    LeaderLease(Duration lease, LongSupplier nanoTime) {
        long leaseNanos = lease.toNanos();
        this.believedNanos = leaseNanos - leaseNanos / 5;
        this.nanoTime = nanoTime;
    }

    /** The monotonic clock, to read just before a renewal is sent. */
    long now() {
        return nanoTime.getAsLong();
    }

    /** The database granted (or renewed) the lease for a renewal sent at {@code sentAtNanos}. */
    synchronized void granted(long sentAtNanos, long term) {
        if (!stopped) {
            grant = new Grant(term, sentAtNanos + believedNanos);
        }
    }

    /** The database refused the lease: another gateway holds it. */
    synchronized void refused() {
        grant = null;
    }

    /** Stops believing for good, before the lease is released; later grants are ignored. */
    synchronized void stop() {
        stopped = true;
        grant = null;
    }

    /** Whether this gateway leads now. */
    boolean held() {
        Grant g = grant;
        return g != null && nanoTime.getAsLong() - g.believedUntilNanos < 0;
    }

    /** The term of the last grant, or 0 when there is none. */
    long term() {
        Grant g = grant;
        return g == null ? 0 : g.term;
    }
}
