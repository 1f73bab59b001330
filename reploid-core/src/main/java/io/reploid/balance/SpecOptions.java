package io.reploid.balance;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads the options of a balancer spec ({@code factor=1.25} in {@code bounded-load:factor=1.25}). Every
 * method throws {@link IllegalArgumentException} with a message that names the option and what was
 * expected; providers turn it into {@link ConfigOrError#fromError}. Stateless and thread-safe.
 */
final class SpecOptions {
    private final String balancer;
    private final Map<String, String> options;

    SpecOptions(String balancer, Map<String, String> options, Set<String> known) {
        this.balancer = balancer;
        this.options = options;
        for (String key : options.keySet()) {
            if (!known.contains(key)) {
                throw new IllegalArgumentException("balancer '" + balancer + "' has no option '" + key
                        + "' (known: " + String.join(", ", new TreeSet<>(known)) + ")");
            }
        }
    }

    String string(String key, String defaultValue) {
        String v = options.get(key);
        return v == null || v.isEmpty() ? defaultValue : v;
    }

    String required(String key) {
        String v = options.get(key);
        if (v == null || v.isEmpty()) {
            throw new IllegalArgumentException("balancer '" + balancer + "' needs option '" + key + "'");
        }
        return v;
    }

    /** A double in {@code [min, max]}. */
    double number(String key, double defaultValue, double min, double max) {
        String v = options.get(key);
        if (v == null) {
            return defaultValue;
        }
        double d;
        try {
            d = Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw bad(key, v, "a number");
        }
        if (!(d >= min && d <= max)) {
            throw bad(key, v, max == Double.MAX_VALUE ? ">= " + min : "between " + min + " and " + max);
        }
        return d;
    }

    /** An int in {@code [min, max]}. */
    int integer(String key, int defaultValue, int min, int max) {
        String v = options.get(key);
        if (v == null) {
            return defaultValue;
        }
        int i;
        try {
            i = Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw bad(key, v, "an integer");
        }
        if (i < min || i > max) {
            throw bad(key, v, "between " + min + " and " + max);
        }
        return i;
    }

    /** A positive duration: {@code 30s}, {@code 500ms}, {@code 2m}, {@code 1h} or ISO-8601 ({@code PT30S}). */
    Duration duration(String key, Duration defaultValue) {
        String v = options.get(key);
        if (v == null) {
            return defaultValue;
        }
        Duration d = parseDuration(v);
        if (d == null || d.isNegative() || d.isZero()) {
            throw bad(key, v, "a positive duration such as 30s, 500ms, 2m");
        }
        return d;
    }

    static Duration parseDuration(String v) {
        String s = v.strip().toLowerCase(Locale.ROOT);
        try {
            if (s.startsWith("pt") || s.startsWith("p")) {
                return Duration.parse(s.toUpperCase(Locale.ROOT));
            }
            if (s.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(s.substring(0, s.length() - 2)));
            }
            long n = Long.parseLong(s.substring(0, s.length() - 1));
            return switch (s.charAt(s.length() - 1)) {
                case 's' -> Duration.ofSeconds(n);
                case 'm' -> Duration.ofMinutes(n);
                case 'h' -> Duration.ofHours(n);
                default -> null;
            };
        } catch (NumberFormatException | DateTimeParseException | StringIndexOutOfBoundsException e) {
            return null;
        }
    }

    private IllegalArgumentException bad(String key, String value, String expected) {
        return new IllegalArgumentException("balancer '" + balancer + "' option " + key + ": " + value
                + " (expected: " + expected + ")");
    }
}
