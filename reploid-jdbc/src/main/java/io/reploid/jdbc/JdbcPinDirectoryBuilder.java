package io.reploid.jdbc;

import static java.util.Objects.requireNonNull;

import com.zaxxer.hikari.HikariDataSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * Configures a {@link JdbcPinDirectory}. Setters validate eagerly; {@link #build()} does not connect (the
 * directory does, when it starts). Not thread-safe; the directory it builds is.
 */
public final class JdbcPinDirectoryBuilder {
    private static final Duration MIN_LEASE = Duration.ofMillis(300);
    private static final Duration MIN_HEARTBEAT = Duration.ofMillis(50);
    /** How long an operation of the directory's own pool waits for a connection. */
    private static final Duration CONNECTION_TIMEOUT = Duration.ofSeconds(3);
    /** How long its driver waits for a reply: far more than a statement of the directory takes. */
    private static final Duration SOCKET_TIMEOUT = Duration.ofSeconds(10);

    private final String jdbcUrl;
    private final DataSource dataSource;
    private final List<String> poolSettings = new ArrayList<>();
    private String user;
    private String password;
    private Duration leaseDuration = Duration.ofSeconds(5);
    private Duration heartbeatInterval = Duration.ofSeconds(1);
    private String tablePrefix = DirectoryTables.DEFAULT_PREFIX;

    JdbcPinDirectoryBuilder(String jdbcUrl) {
        this.jdbcUrl = HikariPools.checkUrl(jdbcUrl);
        this.dataSource = null;
    }

    JdbcPinDirectoryBuilder(DataSource dataSource) {
        this.jdbcUrl = null;
        this.dataSource = requireNonNull(dataSource, "dataSource");
    }

    /** The database user (own pool only); default: the URL's {@code user} parameter. */
    public JdbcPinDirectoryBuilder user(String user) {
        this.user = requireNonNull(user, "user");
        poolSettings.add("user");
        return this;
    }

    /** The database password (own pool only); default: the URL's {@code password} parameter. */
    public JdbcPinDirectoryBuilder password(String password) {
        this.password = requireNonNull(password, "password");
        poolSettings.add("password");
        return this;
    }

    /**
     * How long a granted bid for leadership holds in the database. The leader renews it every third of it; a
     * leader that cannot reach the database stops leading after four fifths of it, and another gateway takes
     * over after the whole. Default 5 s; at least 300 ms.
     */
    public JdbcPinDirectoryBuilder leaseDuration(Duration leaseDuration) {
        requireNonNull(leaseDuration, "leaseDuration");
        if (leaseDuration.compareTo(MIN_LEASE) < 0) {
            throw new IllegalArgumentException("leaseDuration: " + leaseDuration + " (expected: >= " + MIN_LEASE + ")");
        }
        this.leaseDuration = leaseDuration;
        return this;
    }

    /**
     * How often the gateway writes its row and reads the list of gateways; a gateway is live while its last
     * heartbeat is at most three intervals old. Default 1 s; at least 50 ms.
     */
    public JdbcPinDirectoryBuilder heartbeatInterval(Duration heartbeatInterval) {
        requireNonNull(heartbeatInterval, "heartbeatInterval");
        if (heartbeatInterval.compareTo(MIN_HEARTBEAT) < 0) {
            throw new IllegalArgumentException(
                    "heartbeatInterval: " + heartbeatInterval + " (expected: >= " + MIN_HEARTBEAT + ")");
        }
        this.heartbeatInterval = heartbeatInterval;
        return this;
    }

    /**
     * What the names of the three tables start with: empty or the start of an unquoted SQL identifier, at
     * most 55 characters, optionally after a schema ({@code "myschema.reploid_"}). Default {@code reploid_}:
     * tables {@code reploid_pins}, {@code reploid_gateways} and {@code reploid_leases}. Gateways that should
     * agree use the same prefix.
     */
    public JdbcPinDirectoryBuilder tablePrefix(String tablePrefix) {
        this.tablePrefix = DirectoryTables.checkPrefix(tablePrefix);
        return this;
    }

    /**
     * The directory, not yet connected.
     *
     * @throws IllegalStateException when pool settings were given with a {@link DataSource}
     */
    public JdbcPinDirectory build() {
        if (dataSource != null && !poolSettings.isEmpty()) {
            throw new IllegalStateException(String.join(", ", poolSettings)
                    + ": set, but the directory uses the given DataSource (expected: configure the DataSource itself)");
        }
        DirectoryTables tables = new DirectoryTables(tablePrefix);
        if (dataSource != null) {
            return new JdbcPinDirectory(new DirectoryDatabase(dataSource, null, null, tables), leaseDuration,
                    heartbeatInterval);
        }
        HikariDataSource pool = HikariPools.open("reploid-directory-" + tablePrefix, jdbcUrl, user, password,
                JdbcPinDirectory.WORKERS + 1, CONNECTION_TIMEOUT, SOCKET_TIMEOUT);
        return new JdbcPinDirectory(new DirectoryDatabase(pool, pool, jdbcUrl, tables), leaseDuration,
                heartbeatInterval);
    }
}
