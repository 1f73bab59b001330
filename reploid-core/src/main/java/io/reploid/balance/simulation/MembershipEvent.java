package io.reploid.balance.simulation;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A change of membership during a simulation: {@code count} instances join, leave gracefully or crash when
 * a fraction {@code at} of the steps has passed. Written {@code join:10@50%}, {@code leave:2@80%},
 * {@code crash:3@70%}; a list joins them with commas.
 *
 * <ul>
 *   <li>{@code join}: new instances (the next ids, the workload's capacity pattern) become ready.
 *   <li>{@code leave}: instances stop taking new clients (they leave the view) and their clients move to
 *       others over the next five steps, as in a drain.
 *   <li>{@code crash}: instances vanish; their clients are placed again at once.
 * </ul>
 *
 * <p>Which instances leave or crash is drawn from the simulation's seed. Immutable and thread-safe.
 *
 * @param kind  what happens
 * @param count how many instances, {@code > 0}
 * @param at    when, as a fraction of the run in {@code [0, 1]}
 */
public record MembershipEvent(Kind kind, int count, double at) {

    /** What happens to the instances. */
    public enum Kind {
        JOIN, LEAVE, CRASH;

        /** The lower-case name used in event specs. */
        public String specName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public MembershipEvent {
        requireNonNull(kind, "kind");
        if (count <= 0) {
            throw new IllegalArgumentException("count: " + count + " (expected: > 0)");
        }
        if (!(at >= 0 && at <= 1)) {
            throw new IllegalArgumentException("at: " + at + " (expected: between 0 and 1)");
        }
    }

    /**
     * Parses a comma-separated list such as {@code join:10@50%,crash:3@70%}; an empty or blank string gives
     * no events.
     *
     * @throws IllegalArgumentException naming the bad part and the expected form
     */
    public static List<MembershipEvent> parseList(String spec) {
        List<MembershipEvent> events = new ArrayList<>();
        if (spec == null || spec.isBlank()) {
            return events;
        }
        for (String part : spec.split(",")) {
            if (!part.isBlank()) {
                events.add(parse(part.strip()));
            }
        }
        return events;
    }

    /** Parses one event such as {@code crash:3@70%}. */
    public static MembershipEvent parse(String spec) {
        int colon = spec.indexOf(':');
        int atSign = spec.indexOf('@');
        if (colon <= 0 || atSign < colon || !spec.endsWith("%")) {
            throw bad(spec);
        }
        Kind kind;
        try {
            kind = Kind.valueOf(spec.substring(0, colon).toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw bad(spec);
        }
        try {
            int count = Integer.parseInt(spec.substring(colon + 1, atSign));
            double percent = Double.parseDouble(spec.substring(atSign + 1, spec.length() - 1));
            return new MembershipEvent(kind, count, percent / 100);
        } catch (NumberFormatException e) {
            throw bad(spec);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("event '" + spec + "': " + e.getMessage());
        }
    }

    private static IllegalArgumentException bad(String spec) {
        return new IllegalArgumentException("event '" + spec
                + "' (expected: join|leave|crash:COUNT@PERCENT%, for example crash:3@70%)");
    }

    @Override
    public String toString() {
        return kind.specName() + ":" + count + "@" + formatPercent(at * 100) + "%";
    }

    private static String formatPercent(double p) {
        return p == Math.rint(p) ? Long.toString((long) p) : Double.toString(p);
    }
}
