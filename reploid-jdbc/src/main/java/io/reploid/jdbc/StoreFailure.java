package io.reploid.jdbc;

import io.reploid.state.StoreException;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;

/** Turns SQL errors into messages and exceptions that say what failed and where. */
final class StoreFailure {
    private StoreFailure() {
    }

    /**
     * A {@link StoreException} like {@code "write of client 'a' failed: cannot reach <url>: <why> (SQLState
     * 08001)"}. Connection errors and server shutdowns (SQLState classes 08 and 57P0) read "cannot reach",
     * others "error at".
     */
    static StoreException of(String what, String target, SQLException e) {
        return new StoreException(message(what, target, e), e);
    }

    /** The message of {@link #of}, for failures of other kinds than a store's. */
    static String message(String what, String target, SQLException e) {
        String state = e.getSQLState();
        boolean unreachable = e instanceof SQLTransientConnectionException
                || e instanceof SQLNonTransientConnectionException
                || (state != null && (state.startsWith("08") || state.startsWith("57P0")));
        StringBuilder message = new StringBuilder(what).append(" failed: ")
                .append(unreachable ? "cannot reach " : "error at ").append(target).append(": ").append(e.getMessage());
        Throwable cause = e.getCause();
        if (cause != null && cause.getMessage() != null && !String.valueOf(e.getMessage()).contains(cause.getMessage())) {
            message.append(": ").append(cause.getMessage());
        }
        if (state != null) {
            message.append(" (SQLState ").append(state).append(')');
        }
        return message.toString();
    }

    /** A JDBC URL without the value of a {@code password} parameter, for messages. */
    static String redact(String jdbcUrl) {
        return jdbcUrl.replaceAll("(?i)(password=)[^&;]*", "$1***");
    }
}
