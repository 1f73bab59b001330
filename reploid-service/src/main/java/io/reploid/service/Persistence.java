package io.reploid.service;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.Locale;

/**
 * How an instance keeps its clients' state safe from its own death, so that a client moved to another
 * instance finds its state there. Chosen with {@link ReploidService.Builder#persistence}.
 *
 * <ul>
 *   <li>{@link #none()}: state lives in this instance's memory only and is lost when it dies; a client
 *       that moves starts over with {@link ServiceHandler#newState}.</li>
 *   <li>{@link #writeThrough()}: a response is released only after the client's record is written to
 *       the {@link io.reploid.state.StateStore}. Nothing acknowledged is lost; every request waits for a
 *       store write.</li>
 *   <li>{@link #writeBehind(Duration)}: a response is released at once and changed records are written in
 *       batches every flush interval. When the instance dies, the requests acknowledged in the last
 *       interval plus the duration of the write in progress are lost (longer while the store fails: the
 *       records are kept in memory and retried every interval).</li>
 *   <li>{@link #replicated(int)}: a response is released only after {@code k} other instances hold the
 *       client's record in memory ({@link io.reploid.state.ReplicaPlacement} picks them), so recovery
 *       needs no store; a store, if one is given, is also written behind. Nothing acknowledged is lost
 *       unless all {@code k} replica holders die with the primary.</li>
 * </ul>
 *
 * <p>Every mode but {@code none} needs {@link ServiceHandler#stateCodec()}. In every mode a client's
 * recent answers are kept with its state, so that a retried request is answered again instead of being
 * run twice (see {@link ReploidService.Builder#dedupWindow}).
 *
 * <p>Immutable and thread-safe; equal when mode and settings are equal.
 */
public final class Persistence {
    /** The flush interval of {@link #writeBehind()}. */
    public static final Duration DEFAULT_FLUSH_INTERVAL = Duration.ofMillis(100);

    /** The persistence modes. */
    public enum Mode {
        /** Memory only. */
        NONE,
        /** Durable in the store before the response. */
        WRITE_THROUGH,
        /** Written to the store in batches after the response. */
        WRITE_BEHIND,
        /** Held by {@code k} peer instances before the response. */
        REPLICATED
    }

    private static final Persistence NONE = new Persistence(Mode.NONE, Duration.ZERO, 0);
    private static final Persistence WRITE_THROUGH = new Persistence(Mode.WRITE_THROUGH, Duration.ZERO, 0);

    private final Mode mode;
    private final Duration flushInterval;
    private final int replicas;

    private Persistence(Mode mode, Duration flushInterval, int replicas) {
        this.mode = mode;
        this.flushInterval = flushInterval;
        this.replicas = replicas;
    }

    /** Memory only (the default). */
    public static Persistence none() {
        return NONE;
    }

    /** Every change is written to the store before the response is released. */
    public static Persistence writeThrough() {
        return WRITE_THROUGH;
    }

    /** Changes are written to the store every 100 ms ({@link #DEFAULT_FLUSH_INTERVAL}), after the responses. */
    public static Persistence writeBehind() {
        return writeBehind(DEFAULT_FLUSH_INTERVAL);
    }

    /**
     * Changes are written to the store every {@code flushInterval}, after the responses.
     *
     * @param flushInterval at least 1 ms; kept in whole milliseconds
     */
    public static Persistence writeBehind(Duration flushInterval) {
        requireNonNull(flushInterval, "flushInterval");
        if (flushInterval.toMillis() < 1) {
            throw new IllegalArgumentException("flushInterval: " + flushInterval + " (expected: >= 1 ms)");
        }
        return new Persistence(Mode.WRITE_BEHIND, Duration.ofMillis(flushInterval.toMillis()), 0);
    }

    /**
     * Every change is copied to {@code k} peer instances before the response is released.
     *
     * @param k at least 1
     */
    public static Persistence replicated(int k) {
        if (k < 1) {
            throw new IllegalArgumentException("k: " + k + " (expected: >= 1)");
        }
        return new Persistence(Mode.REPLICATED, Duration.ZERO, k);
    }

    /**
     * Parses {@code none}, {@code write-through}, {@code write-behind}, {@code write-behind:<millis>ms} or
     * {@code replicated:<k>} (case-insensitive, surrounding blanks ignored), the form {@link #toString()}
     * writes.
     *
     * @throws IllegalArgumentException naming the text and the accepted forms
     */
    public static Persistence parse(String text) {
        requireNonNull(text, "text");
        String s = text.strip().toLowerCase(Locale.ROOT);
        try {
            if (s.equals("none")) {
                return none();
            }
            if (s.equals("write-through")) {
                return writeThrough();
            }
            if (s.equals("write-behind")) {
                return writeBehind();
            }
            if (s.startsWith("write-behind:") && s.endsWith("ms")) {
                return writeBehind(Duration.ofMillis(Long.parseLong(s.substring(13, s.length() - 2))));
            }
            if (s.startsWith("replicated:")) {
                return replicated(Integer.parseInt(s.substring(11)));
            }
        } catch (IllegalArgumentException e) { // NumberFormatException included
            throw new IllegalArgumentException("persistence: '" + text + "': " + e.getMessage()
                    + " (expected: none, write-through, write-behind, write-behind:<millis>ms or replicated:<k>)", e);
        }
        throw new IllegalArgumentException("persistence: '" + text
                + "' (expected: none, write-through, write-behind, write-behind:<millis>ms or replicated:<k>)");
    }

    /** The mode. */
    public Mode mode() {
        return mode;
    }

    /** The flush interval of {@link Mode#WRITE_BEHIND}; zero for the other modes. */
    public Duration flushInterval() {
        return flushInterval;
    }

    /** The number of peer instances of {@link Mode#REPLICATED}; 0 for the other modes. */
    public int replicas() {
        return replicas;
    }

    /** Whether this mode writes to a store, which must then be given: write-through and write-behind. */
    public boolean needsStore() {
        return mode == Mode.WRITE_THROUGH || mode == Mode.WRITE_BEHIND;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Persistence p && p.mode == mode && p.flushInterval.equals(flushInterval)
                && p.replicas == replicas;
    }

    @Override
    public int hashCode() {
        return (mode.hashCode() * 31 + flushInterval.hashCode()) * 31 + replicas;
    }

    /** The form {@link #parse} reads, for example {@code write-behind:100ms} or {@code replicated:2}. */
    @Override
    public String toString() {
        return switch (mode) {
            case NONE -> "none";
            case WRITE_THROUGH -> "write-through";
            case WRITE_BEHIND -> "write-behind:" + flushInterval.toMillis() + "ms";
            case REPLICATED -> "replicated:" + replicas;
        };
    }
}
