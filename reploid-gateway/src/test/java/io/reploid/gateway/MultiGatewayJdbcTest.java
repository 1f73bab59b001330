package io.reploid.gateway;

import io.reploid.directory.PinDirectory;
import io.reploid.jdbc.JdbcPinDirectory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * {@link MultiGatewayTest} with the PostgreSQL pin directory instead of the embedded one: the gateways
 * share a real PostgreSQL server and do not link to each other.
 */
class MultiGatewayJdbcTest extends MultiGatewayTest {
    private static final AtomicInteger TABLES = new AtomicInteger();
    private static Postgres postgres;
    private static Path data;

    @BeforeAll
    static void startPostgres() throws IOException {
        data = Files.createTempDirectory("reploid-directory-pg");
        postgres = Postgres.start(data);
    }

    @AfterAll
    static void stopPostgres() throws IOException {
        if (postgres != null) {
            postgres.close();
        }
    }

    private String prefix;

    @Override
    Supplier<PinDirectory> directory() {
        if (prefix == null) {
            prefix = "t" + TABLES.incrementAndGet() + "_"; // each test its own tables
        }
        String tables = prefix;
        return () -> JdbcPinDirectory.builder(postgres.jdbcUrl()).user(Postgres.USER).password("")
                .tablePrefix(tables)
                .leaseDuration(Duration.ofSeconds(2))
                .heartbeatInterval(Duration.ofMillis(200))
                .build();
    }
}
