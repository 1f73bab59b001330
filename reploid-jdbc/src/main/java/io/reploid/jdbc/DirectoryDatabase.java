package io.reploid.jdbc;

import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import javax.sql.DataSource;

/**
 * The database of a {@link JdbcPinDirectory}: where its connections come from, its tables (created on first
 * use), and how its failures read. Thread-safe; its methods block, so only the directory's own threads call
 * them.
 */
final class DirectoryDatabase {
    /** Work on a connection of the directory, which the caller closes. */
    @FunctionalInterface
    interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    final DirectoryTables tables;
    private final DataSource dataSource;
    private final HikariDataSource ownedPool;
    /** The URL without its password, or the DataSource until a connection tells its URL. */
    private volatile String target;
    private volatile String product;
    private volatile boolean tablesReady;

    /**
     * @param ownedPool the pool to close with the directory ({@code dataSource} itself), or {@code null}
     * @param jdbcUrl the URL of the pool, or {@code null} for a given DataSource
     */
    DirectoryDatabase(DataSource dataSource, HikariDataSource ownedPool, String jdbcUrl, DirectoryTables tables) {
        this.dataSource = dataSource;
        this.ownedPool = ownedPool;
        this.tables = tables;
        if (jdbcUrl != null) {
            target = StoreFailure.redact(jdbcUrl);
            int end = jdbcUrl.indexOf(':', 5);
            product = end > 5 ? jdbcUrl.substring(5, end) : "jdbc";
        } else {
            target = "DataSource " + dataSource;
            product = "jdbc";
        }
    }

    /**
     * Runs {@code work} on a connection in autocommit mode, after creating the tables if this directory has
     * not yet seen them.
     *
     * @param what what the work is, for the message of a failure, such as {@code "claim of client 'a'"}
     */
    <T> T run(String what, Work<T> work) throws DirectoryException {
        try (Connection c = dataSource.getConnection()) {
            if (!c.getAutoCommit()) {
                c.setAutoCommit(true);
            }
            if (!tablesReady) {
                prepareTables(c);
            }
            return work.run(c);
        } catch (SQLException e) {
            throw new DirectoryException(StoreFailure.message(what, target, e), e);
        }
    }

    /** A failure of {@code what} that is not the database's. */
    DirectoryException failure(String what, String why) {
        return new DirectoryException(what + " failed: " + why + " (" + target + ")");
    }

    /** Such as {@code "postgresql jdbc:postgresql://db:5432/app"}. */
    String describe() {
        return product + " " + target;
    }

    String target() {
        return target;
    }

    /** Closes the pool the directory made; a given DataSource stays open. */
    void close() {
        if (ownedPool != null) {
            ownedPool.close();
        }
    }

    /**
     * Creates the tables if absent, in one transaction under an advisory lock, so that gateways starting at
     * once neither fail on each other's {@code CREATE TABLE} nor see half of the tables; then checks their
     * columns and learns the database's name and URL for messages.
     */
    private void prepareTables(Connection c) throws SQLException {
        c.setAutoCommit(false);
        try (Statement s = c.createStatement()) {
            try (PreparedStatement lock = c.prepareStatement("SELECT pg_advisory_xact_lock(?)")) {
                lock.setLong(1, tables.creationLock);
                lock.executeQuery().close();
            }
            s.execute(tables.createPins);
            s.execute(tables.createGateways);
            s.execute(tables.createLeases);
            c.commit();
            s.executeQuery(tables.checkPins).close();
            s.executeQuery(tables.checkGateways).close();
            s.executeQuery(tables.checkLeases).close();
            c.commit();
        } catch (SQLException | RuntimeException e) {
            try {
                c.rollback();
                c.setAutoCommit(true);
            } catch (SQLException r) {
                e.addSuppressed(r); // a broken connection: the pool discards it
            }
            throw e;
        }
        c.setAutoCommit(true);
        DatabaseMetaData meta = c.getMetaData();
        product = meta.getDatabaseProductName().toLowerCase(Locale.ROOT);
        if (ownedPool == null && meta.getURL() != null) {
            target = StoreFailure.redact(meta.getURL());
        }
        tablesReady = true;
    }
}
