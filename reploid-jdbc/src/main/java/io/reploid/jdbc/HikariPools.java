package io.reploid.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.time.Duration;

/**
 * The HikariCP pools that the store and the directory make for themselves when given a JDBC URL: bounded,
 * quick to give up on a database that is down, and started even while it is down (the owner reports that,
 * with the URL). Stateless.
 */
final class HikariPools {
    /** {@code jdbcUrl} if it is a JDBC URL; otherwise an error that shows it without its password. */
    static String checkUrl(String jdbcUrl) {
        java.util.Objects.requireNonNull(jdbcUrl, "jdbcUrl");
        if (!jdbcUrl.startsWith("jdbc:")) {
            throw new IllegalArgumentException("jdbcUrl: '" + StoreFailure.redact(jdbcUrl)
                    + "' (expected: a JDBC URL such as jdbc:postgresql://localhost:5432/app)");
        }
        return jdbcUrl;
    }

    private HikariPools() {
    }

    /**
     * A new pool.
     *
     * @param user the user, or {@code null} to take it from the URL
     * @param password the password, or {@code null} to take it from the URL
     * @param connectionTimeout how long a caller waits for a connection before an {@code SQLException}
     * @param socketTimeout how long the PostgreSQL driver waits for a reply on an open connection;
     *        {@link Duration#ZERO} waits forever
     */
    static HikariDataSource open(String poolName, String jdbcUrl, String user, String password, int size,
            Duration connectionTimeout, Duration socketTimeout) {
        HikariConfig config = new HikariConfig();
        config.setPoolName(poolName);
        config.setJdbcUrl(jdbcUrl);
        config.setUsername(user);
        config.setPassword(password);
        config.setMaximumPoolSize(size);
        long timeoutMillis = connectionTimeout.toMillis();
        config.setConnectionTimeout(timeoutMillis);
        config.setValidationTimeout(Math.max(250, Math.min(1000, timeoutMillis / 2)));
        config.setInitializationFailTimeout(-1);
        if (jdbcUrl.startsWith("jdbc:postgresql:")) {
            config.addDataSourceProperty("connectTimeout", Long.toString(Math.max(1, (timeoutMillis + 999) / 1000)));
            config.addDataSourceProperty("socketTimeout", Long.toString((socketTimeout.toMillis() + 999) / 1000));
            config.addDataSourceProperty("tcpKeepAlive", "true");
            config.addDataSourceProperty("ApplicationName", "reploid");
        }
        return new HikariDataSource(config);
    }
}
