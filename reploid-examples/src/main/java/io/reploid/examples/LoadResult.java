package io.reploid.examples;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.UncheckedIOException;
import java.util.Locale;
import org.HdrHistogram.Histogram;

/**
 * What a load run measured. Immutable once built (the histogram is not changed after the run) and
 * thread-safe to read.
 *
 * @param clients        concurrent clients
 * @param requests       {@code "ok":true} answers received in the measured window
 * @param seconds        length of the measured window
 * @param latencyMicros  latency of those answers, in microseconds, from sending to the answer's callback
 * @param errors         failed requests and {@code "ok":false} answers, over the whole run (warm-up too)
 * @param instanceChanges           how often, over all clients, the instance that answered a client changed
 *                                  from one acknowledged answer to the next, over the whole run
 * @param clientsOnSeveralInstances clients answered by more than one instance over the whole run (moved by a
 *                                  failover or a rebalance, or routed differently by gateways that disagree)
 * @param gatewayChanges            how often, over all clients, an answer came through another gateway than
 *                                  the previous one (a client failed over to another gateway); 0 when each
 *                                  request goes to the next gateway anyway ({@code --switch-gateway})
 * @param verified       whether {@code lost} and {@code duplicated} were checked
 * @param lost           acknowledged increments lost (see {@link CounterAudit})
 * @param duplicated     increments applied twice
 * @param uncertain      failed requests not seen applied
 * @param gaps           the clients' longest waits between two acknowledged answers, and who moved
 */
record LoadResult(int clients, long requests, double seconds, Histogram latencyMicros, long errors,
        long instanceChanges, int clientsOnSeveralInstances, long gatewayChanges, boolean verified, long lost,
        long duplicated, long uncertain, FailoverGaps gaps) {

    /** Answers per second in the measured window. */
    double throughput() {
        return seconds > 0 ? requests / seconds : 0;
    }

    /** A latency percentile in milliseconds; 0 without answers. */
    double percentileMs(double percentile) {
        return latencyMicros.getTotalCount() == 0 ? 0 : latencyMicros.getValueAtPercentile(percentile) / 1_000.0;
    }

    /** Whether verification found nothing wrong (always when not verified). */
    boolean passed() {
        return !verified || (lost == 0 && duplicated == 0);
    }

    /** The one-line human summary. */
    String summary() {
        String line = String.format(Locale.ROOT,
                "load: %d clients, %.1f s: %,d requests, %,.0f req/s, p50 %.3f ms, p99 %.3f ms, p99.9 %.3f ms, "
                        + "max %.3f ms, %,d errors",
                clients, seconds, requests, throughput(), percentileMs(50), percentileMs(99), percentileMs(99.9),
                latencyMicros.getTotalCount() == 0 ? 0 : latencyMicros.getMaxValue() / 1_000.0, errors);
        if (clientsOnSeveralInstances > 0) {
            line += String.format(Locale.ROOT, ", %d clients answered by several instances (%d changes)",
                    clientsOnSeveralInstances, instanceChanges);
        }
        if (verified) {
            line += String.format(Locale.ROOT, "; verify: %d lost, %d duplicated, %d uncertain (%s)",
                    lost, duplicated, uncertain, passed() ? "passed" : "FAILED");
            line += String.format(Locale.ROOT, "; longest gap per client: p50 %.1f ms, p99 %.1f ms, max %.1f ms",
                    gaps.p50Millis(), gaps.p99Millis(), gaps.maxMillis());
            if (gaps.moved() > 0) {
                line += String.format(Locale.ROOT, "; %d clients moved (gap p50 %.1f ms, p99 %.1f ms)",
                        gaps.moved(), gaps.movedP50Millis(), gaps.movedP99Millis());
            }
        }
        return line;
    }

    /**
     * The machine-readable line: {@code requests}, {@code throughput}, {@code p50Ms}, {@code p99Ms},
     * {@code p999Ms}, {@code errors}, {@code instanceChanges}, {@code clientsOnSeveralInstances},
     * {@code gatewayChanges}, and when verified {@code lost} and {@code duplicated}, then the
     * failover gaps ({@link FailoverGaps}): {@code gapP50Ms}, {@code gapP99Ms}, {@code gapMaxMs} over the
     * clients' longest gaps, {@code movedClients}, and {@code movedGapP50Ms}, {@code movedGapP99Ms} over the
     * clients that moved.
     */
    String json() {
        ObjectNode o = TestService.JSON.createObjectNode();
        o.put("requests", requests);
        o.put("throughput", round(throughput(), 1));
        o.put("p50Ms", round(percentileMs(50), 3));
        o.put("p99Ms", round(percentileMs(99), 3));
        o.put("p999Ms", round(percentileMs(99.9), 3));
        o.put("errors", errors);
        o.put("instanceChanges", instanceChanges);
        o.put("clientsOnSeveralInstances", clientsOnSeveralInstances);
        o.put("gatewayChanges", gatewayChanges);
        if (verified) {
            o.put("lost", lost);
            o.put("duplicated", duplicated);
            o.put("gapP50Ms", round(gaps.p50Millis(), 1));
            o.put("gapP99Ms", round(gaps.p99Millis(), 1));
            o.put("gapMaxMs", round(gaps.maxMillis(), 1));
            o.put("movedClients", gaps.moved());
            o.put("movedGapP50Ms", round(gaps.movedP50Millis(), 1));
            o.put("movedGapP99Ms", round(gaps.movedP99Millis(), 1));
        }
        try {
            return TestService.JSON.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static double round(double value, int decimals) {
        double scale = Math.pow(10, decimals);
        return Math.round(value * scale) / scale;
    }
}
