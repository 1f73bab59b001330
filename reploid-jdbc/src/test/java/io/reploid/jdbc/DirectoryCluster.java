package io.reploid.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.reploid.directory.GatewayMember;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Gateways of one cluster, as far as a pin directory sees them: directories on the shared PostgreSQL server
 * with the same fresh table prefix, each started for a gateway of its own. Closes them all. Thread-safe.
 */
final class DirectoryCluster implements AutoCloseable {
    /** The lease of the tests: short, so that leadership changes quickly. */
    static final Duration LEASE = Duration.ofSeconds(1);
    static final Duration HEARTBEAT = Duration.ofMillis(200);

    /**
     * A gateway whose directory takes its connections from a pool that the test can suspend: the gateway is
     * cut off from the database (its operations wait for a connection) while the database stays up for the
     * others.
     */
    record Gateway(String id, JdbcPinDirectory directory, HikariDataSource pool) {
        void cutOff() {
            pool.getHikariPoolMXBean().suspendPool();
        }

        void reconnect() {
            pool.getHikariPoolMXBean().resumePool();
        }
    }

    final String prefix = SharedPostgres.newPrefix();
    private final PostgresServer server = SharedPostgres.server();
    private final List<JdbcPinDirectory> directories = new CopyOnWriteArrayList<>();
    private final List<HikariDataSource> pools = new CopyOnWriteArrayList<>();

    /** A directory for gateway {@code gatewayId}, started. */
    JdbcPinDirectory start(String gatewayId) {
        return start(gatewayId, JdbcPinDirectory.builder(server.jdbcUrl()).user(PostgresServer.USER));
    }

    /** A gateway with a directory on a pool of its own that the test can suspend, started. */
    Gateway startCuttable(String gatewayId) {
        HikariConfig config = new HikariConfig();
        config.setPoolName("cuttable-" + gatewayId);
        config.setJdbcUrl(server.jdbcUrl());
        config.setUsername(PostgresServer.USER);
        config.setMaximumPoolSize(JdbcPinDirectory.WORKERS + 1);
        config.setAllowPoolSuspension(true);
        HikariDataSource pool = new HikariDataSource(config);
        pools.add(pool);
        return new Gateway(gatewayId, start(gatewayId, JdbcPinDirectory.builder(pool)), pool);
    }

    PostgresServer server() {
        return server;
    }

    /** How a gateway presents itself: its service address {@code <id>.example:7000}, admin on port 8000. */
    static GatewayMember member(String gatewayId) {
        return new GatewayMember(gatewayId, gatewayId + ".example:7000", gatewayId + ".example:8000", false, true);
    }

    @Override
    public void close() {
        for (HikariDataSource pool : pools) {
            pool.getHikariPoolMXBean().resumePool();
        }
        for (JdbcPinDirectory d : directories) {
            d.close();
        }
        for (HikariDataSource pool : pools) {
            pool.close();
        }
    }

    private JdbcPinDirectory start(String gatewayId, JdbcPinDirectoryBuilder builder) {
        JdbcPinDirectory directory = builder.tablePrefix(prefix).leaseDuration(LEASE).heartbeatInterval(HEARTBEAT).build();
        directories.add(directory);
        directory.start(member(gatewayId));
        return directory;
    }
}
