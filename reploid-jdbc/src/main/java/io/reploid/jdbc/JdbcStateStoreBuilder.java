package io.reploid.jdbc;

import static java.util.Objects.requireNonNull;

import com.zaxxer.hikari.HikariDataSource;
import io.reploid.state.StoreException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * Configures a {@link JdbcStateStore}. Setters validate eagerly; {@link #build()} connects, creates the
 * table if absent and checks it. Not thread-safe; the store it builds is.
 */
public final class JdbcStateStoreBuilder {
    private static final Duration MIN_CONNECTION_TIMEOUT = Duration.ofMillis(250);

    private final String jdbcUrl;
    private final DataSource dataSource;
    private final List<String> poolSettings = new ArrayList<>();
    private String user;
    private String password;
    private String table = StateTable.DEFAULT_NAME;
    private int poolSize = 8;
    private Duration connectionTimeout = Duration.ofSeconds(3);
    private Duration socketTimeout = Duration.ofSeconds(30);
    private boolean createTable = true;

    JdbcStateStoreBuilder(String jdbcUrl) {
        this.jdbcUrl = HikariPools.checkUrl(jdbcUrl);
        this.dataSource = null;
    }

    JdbcStateStoreBuilder(DataSource dataSource) {
        this.jdbcUrl = null;
        this.dataSource = requireNonNull(dataSource, "dataSource");
    }

    /** The database user (pool only). */
    public JdbcStateStoreBuilder user(String user) {
        this.user = requireNonNull(user, "user");
        poolSettings.add("user");
        return this;
    }

    /** The database password (pool only). */
    public JdbcStateStoreBuilder password(String password) {
        this.password = requireNonNull(password, "password");
        poolSettings.add("password");
        return this;
    }

    /** The table, optionally schema-qualified: an unquoted SQL identifier. Default {@code reploid_state}. */
    public JdbcStateStoreBuilder table(String table) {
        this.table = StateTable.checkName(table);
        return this;
    }

    /** The most connections the pool opens (pool only). Default 8. */
    public JdbcStateStoreBuilder poolSize(int poolSize) {
        if (poolSize <= 0) {
            throw new IllegalArgumentException("poolSize: " + poolSize + " (expected: > 0)");
        }
        this.poolSize = poolSize;
        poolSettings.add("poolSize");
        return this;
    }

    /**
     * How long an operation waits for a connection before it fails with a {@code StoreException} (pool
     * only). Default 3 s: when the database is down, requests fail fast instead of hanging.
     */
    public JdbcStateStoreBuilder connectionTimeout(Duration timeout) {
        requireNonNull(timeout, "connectionTimeout");
        if (timeout.compareTo(MIN_CONNECTION_TIMEOUT) < 0) {
            throw new IllegalArgumentException(
                    "connectionTimeout: " + timeout + " (expected: >= " + MIN_CONNECTION_TIMEOUT + ")");
        }
        this.connectionTimeout = timeout;
        poolSettings.add("connectionTimeout");
        return this;
    }

    /**
     * How long the PostgreSQL driver waits for a reply on an open connection before giving it up, so that
     * a database that vanished without closing its sockets cannot hang a request (pool with a
     * {@code jdbc:postgresql:} URL only). Default 30 s; {@link Duration#ZERO} waits forever.
     */
    public JdbcStateStoreBuilder socketTimeout(Duration timeout) {
        requireNonNull(timeout, "socketTimeout");
        if (timeout.isNegative()) {
            throw new IllegalArgumentException("socketTimeout: " + timeout + " (expected: >= 0)");
        }
        this.socketTimeout = timeout;
        poolSettings.add("socketTimeout");
        return this;
    }

    /**
     * Whether {@link #build()} creates the table if absent (default), or only checks that it exists, for
     * users without the right to create tables.
     */
    public JdbcStateStoreBuilder createTable(boolean createTable) {
        this.createTable = createTable;
        return this;
    }

    /**
     * Connects, creates the table if absent and enabled, and checks its columns.
     *
     * @throws IllegalStateException when pool settings were given with a {@link DataSource}
     * @throws StoreException        when the database cannot be reached or the table is missing or wrong
     */
    public JdbcStateStore build() throws StoreException {
        if (dataSource != null && !poolSettings.isEmpty()) {
            throw new IllegalStateException(String.join(", ", poolSettings)
                    + ": set, but the store uses the given DataSource (expected: configure the DataSource itself)");
        }
        StateTable stateTable = new StateTable(table);
        if (dataSource != null) {
            return JdbcStateStore.open(dataSource, null, "DataSource " + dataSource, stateTable, createTable);
        }
        // The pool starts even when the database is down; build() reports it, with the URL.
        HikariDataSource pool = HikariPools.open("reploid-state-" + table, jdbcUrl, user, password, poolSize,
                connectionTimeout, socketTimeout);
        return JdbcStateStore.open(pool, pool, StoreFailure.redact(jdbcUrl), stateTable, createTable);
    }
}
