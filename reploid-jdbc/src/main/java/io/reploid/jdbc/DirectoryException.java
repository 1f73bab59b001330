package io.reploid.jdbc;

/**
 * A {@link JdbcPinDirectory} could not do what was asked: the database is unreachable or refused a
 * statement, or the directory is closed. The message says what failed and where, as in
 * {@code "claim of client 'alice' failed: cannot reach jdbc:postgresql://db:5432/app: ..."}; the cause is the
 * {@link java.sql.SQLException}, if any. A stage of the directory completes exceptionally with one.
 *
 * <p>Immutable and thread-safe.
 */
public class DirectoryException extends Exception {
    private static final long serialVersionUID = 1L;

    public DirectoryException(String message) {
        super(message);
    }

    public DirectoryException(String message, Throwable cause) {
        super(message, cause);
    }
}
