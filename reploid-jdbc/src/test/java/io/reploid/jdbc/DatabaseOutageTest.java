package io.reploid.jdbc;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.reploid.state.FencedException;
import io.reploid.state.StoreException;
import io.reploid.state.StoredRecord;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The database goes away and comes back, on the same port and data: while it is away, operations fail with
 * a {@link StoreException} instead of hanging; once it is back, the pool reconnects by itself and every
 * write acknowledged before the outage is there.
 */
class DatabaseOutageTest {
    /**
     * Not a speed assertion: only a bound far above the 3 s connection timeout, to tell failing from
     * hanging (a pool without that timeout would wait 30 s, a driver without one longer).
     */
    private static final Duration HANG = Duration.ofSeconds(25);

    @TempDir
    Path dataDirectory;

    @Test
    void storeFailsFastWhileTheDatabaseIsDownAndRecoversWhenItIsBack() throws Exception {
        try (PostgresServer server = PostgresServer.start(dataDirectory, true);
             JdbcStateStore store = JdbcStateStore.create(server.jdbcUrl(), PostgresServer.USER, "")) {
            List<StoredRecord> acknowledged = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                StoredRecord r = record("client-" + i, 1, 1, "single " + i);
                store.write(r);
                acknowledged.add(r);
            }
            List<StoredRecord> batch = new ArrayList<>();
            for (int i = 10; i < 40; i++) {
                batch.add(record("client-" + i, 1, 2, "batched " + i));
            }
            assertThat(store.writeAll(batch)).isEmpty();
            acknowledged.removeIf(r -> r.version() == 1 && Integer.parseInt(r.clientId().substring(7)) >= 10);
            acknowledged.addAll(batch);

            server.stop();

            assertTimeoutPreemptively(HANG, () -> {
                assertThatThrownBy(() -> store.write(record("client-1", 1, 9, "during the outage")))
                        .isInstanceOf(StoreException.class).isNotInstanceOf(FencedException.class)
                        .hasMessageContaining("write of client 'client-1' failed: cannot reach " + server.jdbcUrl());
            });
            assertTimeoutPreemptively(HANG, () -> {
                assertThatThrownBy(() -> store.load("client-1")).isInstanceOf(StoreException.class)
                        .hasMessageContaining("load of client 'client-1' failed: cannot reach " + server.jdbcUrl());
            });
            assertTimeoutPreemptively(HANG, () -> {
                assertThatThrownBy(() -> store.writeAll(List.of(record("client-2", 1, 9, "x")))).isInstanceOf(StoreException.class);
            });
            assertTimeoutPreemptively(HANG, () -> {
                assertThatThrownBy(() -> store.delete("client-3", 1)).isInstanceOf(StoreException.class);
            });

            server.start();

            AtomicLong version = new AtomicLong(100);
            await().atMost(Duration.ofSeconds(30)).ignoreExceptionsInstanceOf(StoreException.class)
                    .untilAsserted(() -> store.write(record("after", 1, version.incrementAndGet(), "after the outage")));
            for (int i = 0; i < 20; i++) {
                store.write(record("after-" + i, 1, 1, "pool is healthy again"));
            }
            for (StoredRecord expected : acknowledged) {
                StoredRecord stored = store.load(expected.clientId()).orElseThrow();
                assertThat(stored.epoch()).isEqualTo(expected.epoch());
                assertThat(stored.version()).as("version of %s", expected.clientId()).isEqualTo(expected.version());
                assertThat(stored.data()).isEqualTo(expected.data());
            }
            assertThat(store.load("client-1").orElseThrow().version()).as("the write that failed").isEqualTo(1);
        }
    }

    private static StoredRecord record(String clientId, long epoch, long version, String data) {
        return new StoredRecord(clientId, epoch, version, data.getBytes(UTF_8));
    }
}
