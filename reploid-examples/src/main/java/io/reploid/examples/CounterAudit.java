package io.reploid.examples;

/**
 * Checks the answers one client gets to its stream of {@code incr} requests on its own fresh counter,
 * sent one at a time (the next request goes out after the previous one was answered or failed).
 *
 * <p>The rule ({@code load --verify}): let {@code acked} be the counter value of the latest
 * acknowledged increment (0 before the first) and {@code uncertain} the number of requests that failed
 * without an answer from the service (timeout, lost connection, gateway error) and that have not yet been
 * used to explain a jump. Each failed request may or may not have been applied, at most once. For every
 * acknowledged value {@code v}, with {@code expected = acked + 1}:
 * <ul>
 *   <li>{@code v == expected}: as it should be.
 *   <li>{@code v < expected}: the counter went back, so {@code expected - v} acknowledged increments were
 *       lost; {@code lost += expected - v}.
 *   <li>{@code v > expected}: {@code gap = v - expected} extra increments were applied. Up to
 *       {@code uncertain} of them are explained by failed requests that were applied after all; the rest
 *       were applied twice: {@code explained = min(gap, uncertain)}, {@code uncertain -= explained},
 *       {@code duplicated += gap - explained}.
 * </ul>
 * Then {@code acked = v}, so each anomaly is counted once and checking goes on from the new value. An
 * answer with {@code "ok":false} says the service applied nothing, so it changes nothing here.
 *
 * <p>The counts are the fewest lost and duplicated increments that explain what the client saw: a loss
 * and a duplicate between the same two acknowledgements cancel out and go unseen, and increments lost
 * after the last acknowledgement are not seen at all.
 *
 * <p>Not thread-safe: one client's answers arrive one at a time, each after the previous one.
 */
final class CounterAudit {
    private long acked;
    private long uncertain;
    private long lost;
    private long duplicated;

    /** The service acknowledged an increment and answered the counter's new value. */
    void acknowledged(long value) {
        long expected = acked + 1;
        if (value < expected) {
            lost += expected - value;
        } else if (value > expected) {
            long gap = value - expected;
            long explained = Math.min(gap, uncertain);
            uncertain -= explained;
            duplicated += gap - explained;
        }
        acked = value;
    }

    /** A request failed without an answer from the service: it may or may not have been applied. */
    void failed() {
        uncertain++;
    }

    /** The counter value of the latest acknowledged increment; 0 before the first. */
    long acked() {
        return acked;
    }

    /** Acknowledged increments that the counter lost. */
    long lost() {
        return lost;
    }

    /** Increments applied more often than they were sent. */
    long duplicated() {
        return duplicated;
    }

    /** Failed requests not (yet) seen applied. */
    long uncertain() {
        return uncertain;
    }
}
