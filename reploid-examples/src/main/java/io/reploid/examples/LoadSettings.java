package io.reploid.examples;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * What one load run does, checked on construction. Immutable and thread-safe.
 *
 * @param gateways        client ports of the gateways, {@code host:port[,host:port...]}; client {@code i}
 *                        starts on gateway {@code i mod n} and fails over to the next ones
 * @param clients         concurrent clients, each with one request in flight
 * @param duration        the measured window
 * @param warmup          load before the measured window, not measured
 * @param verify          whether lost and duplicated increments are reported
 * @param key             the counter every client increments (each in its own state)
 * @param idPrefix        client ids are {@code idPrefix-0}, {@code idPrefix-1}, ...
 * @param ioThreads       threads of the shared event loop group
 * @param callbackThreads threads of the shared callback executor
 * @param timeout         connect and request timeout
 * @param switchGateway   whether each client opens a new connection, to the next gateway of the list, for
 *                        every request
 * @param longGap         with {@code verify}, gaps between two acknowledged answers at least this long are
 *                        reported by the second they began
 */
record LoadSettings(String gateways, int clients, Duration duration, Duration warmup, boolean verify, String key,
        String idPrefix, int ioThreads, int callbackThreads, Duration timeout, boolean switchGateway,
        Duration longGap) {

    LoadSettings {
        requireNonNull(gateways, "gateways");
        requireNonNull(key, "key");
        requireNonNull(idPrefix, "idPrefix");
        positive("clients", clients);
        positive("ioThreads", ioThreads);
        positive("callbackThreads", callbackThreads);
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException("duration: " + duration + " (expected: > 0)");
        }
        if (warmup.isNegative()) {
            throw new IllegalArgumentException("warmup: " + warmup + " (expected: >= 0)");
        }
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout: " + timeout + " (expected: > 0)");
        }
        if (longGap.isNegative() || longGap.isZero()) {
            throw new IllegalArgumentException("longGap: " + longGap + " (expected: > 0)");
        }
    }

    private static void positive(String what, int value) {
        if (value <= 0) {
            throw new IllegalArgumentException(what + ": " + value + " (expected: > 0)");
        }
    }
}
