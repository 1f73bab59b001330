package io.reploid.gateway;

import static io.reploid.gateway.FailoverCluster.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import io.reploid.ErrorCode;
import io.reploid.InstanceState;
import io.reploid.ReploidException;
import io.reploid.client.ReploidClient;
import io.reploid.gateway.FailoverCluster.Mode;
import io.reploid.jdbc.JdbcStateStore;
import io.reploid.state.StateStore;
import io.reploid.state.StoreException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The database behind a JDBC state store goes away under load and comes back. Write-through instances
 * cannot make new state durable meanwhile, so requests fail with {@code STORE_UNAVAILABLE}, a retriable
 * error that says which store failed; clients that retry (the Java client does, with the same request id)
 * are answered once the database is back, and nothing acknowledged is lost or applied twice. Then an
 * instance crashes, and its clients find in the database everything acknowledged around the outage.
 */
class StoreOutageTest {
    private static final byte[] INCR = "incr".getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path data;

    @Test
    void requestsFailRetriablyWhileTheDatabaseIsDownAndNothingAcknowledgedIsLost() throws Exception {
        List<JdbcStateStore> stores = new CopyOnWriteArrayList<>();
        try (Postgres db = Postgres.start(data);
             FailoverCluster cluster = new FailoverCluster(Mode.WRITE_THROUGH, id -> open(db, stores))) {
            cluster.start("svc-1", "svc-2", "svc-3");
            List<CounterLoop> loops = cluster.startLoops("client-", 30);
            ReploidClient probe = cluster.clientBuilder("probe").retries(false).build();
            probe.connect().get(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertThat(TestCluster.call(probe, "incr")).endsWith(":1");
            await().atMost(WAIT).until(() -> loops.stream().allMatch(l -> l.acks() >= 5));

            loops.forEach(CounterLoop::mark);
            db.stop();

            await().atMost(WAIT).untilAsserted(() -> {
                Throwable failure = catchThrowable(() -> probe.request(INCR).get(WAIT.toSeconds(), TimeUnit.SECONDS));
                assertThat(failure).isInstanceOf(ExecutionException.class);
                assertThat(failure.getCause()).isInstanceOfSatisfying(ReploidException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.STORE_UNAVAILABLE);
                    assertThat(e.retriable()).isTrue();
                    assertThat(e.getMessage()).contains("could not be made durable").contains(db.jdbcUrl());
                });
            });

            db.start();
            FailoverCluster.awaitServedSinceMark(loops, 5);

            String victim = FailoverCluster.busiest(loops);
            loops.forEach(CounterLoop::mark);
            cluster.crash(victim);
            await().atMost(WAIT).until(() -> cluster.state(victim) == InstanceState.DEAD);
            FailoverCluster.awaitServedSinceMark(loops, 3);
            cluster.stopLoops();
            probe.close();

            assertThat(loops).allSatisfy(l -> {
                assertThat(l.instance()).as("%s after the crash", l).isNotEqualTo(victim);
                assertThat(l.lost()).as("%s: lost", l).isZero();
                assertThat(l.duplicated()).as("%s: duplicated", l).isZero();
                assertThat(l.failed()).as("%s: failed for good", l).isZero();
            });
        } finally {
            for (JdbcStateStore s : stores) {
                s.close();
            }
        }
    }

    /** An instance's own store (its own pool), as an instance in its own process would have. */
    private static StateStore open(Postgres db, List<JdbcStateStore> opened) {
        try {
            JdbcStateStore store = JdbcStateStore.builder(db.jdbcUrl()).user(Postgres.USER).password("")
                    .connectionTimeout(Duration.ofSeconds(1))
                    .build();
            opened.add(store);
            return store;
        } catch (StoreException e) {
            throw new IllegalStateException("cannot open the store", e);
        }
    }
}
