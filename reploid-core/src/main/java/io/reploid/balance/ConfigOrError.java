package io.reploid.balance;

import static java.util.Objects.requireNonNull;

/**
 * The result of parsing a balancer's options: either a config object or an error message, never both.
 *
 * <p>Immutable and thread-safe.
 */
public final class ConfigOrError {
    private final Object config;
    private final String error;

    private ConfigOrError(Object config, String error) {
        this.config = config;
        this.error = error;
    }

    /** A successful parse. */
    public static ConfigOrError fromConfig(Object config) {
        return new ConfigOrError(requireNonNull(config, "config"), null);
    }

    /** A failed parse, with a message that says what was wrong and what was expected. */
    public static ConfigOrError fromError(String error) {
        return new ConfigOrError(null, requireNonNull(error, "error"));
    }

    public boolean isError() {
        return error != null;
    }

    /** The config; throws {@link IllegalStateException} if this is an error. */
    public Object config() {
        if (error != null) {
            throw new IllegalStateException("not a config: " + error);
        }
        return config;
    }

    /** The error message, or {@code null} on success. */
    public String error() {
        return error;
    }

    @Override
    public String toString() {
        return error != null ? "ConfigOrError{error=" + error + "}" : "ConfigOrError{config=" + config + "}";
    }
}
