package io.reploid.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Failover of real processes from the packaged jar, on loopback: a gateway, three {@code service}
 * processes and {@code load --clients 200 --duration 20 --verify}; one service process is killed with
 * SIGKILL mid-run (or stopped with SIGSTOP and let go again, a zombie). With write-through on a PostgreSQL
 * store (started by the test, shared by the three processes) and with replicated:1, the load run must verify
 * with nothing lost or duplicated and exit 0, its clients of the dead instance served by the others; with
 * none, the load run must report the loss and exit 1. Every process is stopped at the end, whatever happened.
 */
class FailoverIT {
    private static final Duration STARTUP = Duration.ofSeconds(60);
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final int CLIENTS = 200;

    @TempDir
    Path dir;

    private ProcessCluster cluster;

    @BeforeEach
    void cluster() throws IOException {
        String jar = System.getProperty("reploid.examples.jar");
        assertThat(jar).as("system property reploid.examples.jar").isNotNull();
        Assumptions.assumeFalse(System.getProperty("os.name").toLowerCase(Locale.ROOT).startsWith("windows"),
                "SIGKILL and SIGSTOP");
        cluster = new ProcessCluster(Paths.get(jar), dir, List.of("-Xmx256m"));
    }

    @AfterEach
    void stopEverything() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @AfterAll
    static void stopPostgres() throws IOException {
        ItPostgres.stop();
    }


    @Test
    void writeThroughOnPostgresLosesNothingWhenAServiceIsKilled() throws Exception {
        JsonNode result = killOneServiceUnderLoad(
                List.of("--persistence", "write-through", "--store", ItPostgres.jdbcUrl()));
        assertVerified(result);
    }

    @Test
    void replicatedLosesNothingWhenAServiceIsKilled() throws Exception {
        JsonNode result = killOneServiceUnderLoad(List.of("--persistence", "replicated:1"));
        assertVerified(result);
    }

    @Test
    void withoutPersistenceTheLossIsReported() throws Exception {
        JsonNode result = killOneServiceUnderLoad(List.of());
        assertThat(cluster.process("load").exitValue()).as(cluster.err("load")).isEqualTo(1);
        assertThat(result.get("lost").longValue()).as("lost").isPositive();
        assertThat(result.get("duplicated").longValue()).as("duplicated").isZero();
        assertThat(cluster.out("load")).contains("(FAILED)");
    }

    @Test
    void aStoppedServiceThatComesBackCannotOverwriteItsClientsNewState() throws Exception {
        startCluster(List.of("--persistence", "write-through", "--store", ItPostgres.jdbcUrl()));
        startLoadAndAwaitProgress();
        String zombie = cluster.busiestInstance();
        int itsClients = cluster.clientsOf(zombie);
        long forwarded = cluster.requestsForwarded();

        cluster.pause(zombie);
        await().atMost(WAIT).pollInterval(Duration.ofMillis(100)).until(() -> "dead".equals(cluster.state(zombie)));
        // Its clients are served elsewhere meanwhile, under newer epochs.
        await().atMost(WAIT).pollInterval(Duration.ofMillis(100))
                .until(() -> cluster.requestsForwarded() > forwarded + 20L * CLIENTS);
        cluster.resume(zombie);
        await().atMost(WAIT).pollInterval(Duration.ofMillis(100)).until(() -> "healthy".equals(cluster.state(zombie)));

        JsonNode result = awaitLoad();
        assertVerified(result);
        assertThat(result.get("movedClients").intValue()).as("clients moved").isEqualTo(itsClients);
        assertThat(cluster.clientsOf(zombie)).as("clients left on the zombie").isZero();
        // It ran, under its old epoch, what the gateway had sent it before it stopped: refused by the store.
        // (Clients without such a request are revoked when it registers again.)
        assertThat(cluster.err(zombie).contains("another instance owns it")
                || cluster.err("gateway").contains("pinned elsewhere; revoked them"))
                .as("the zombie was fenced out\n%s", cluster.err(zombie)).isTrue();
    }

    /** Starts the cluster and the load, kills the busiest service mid-run, and returns the load's verdict. */
    private JsonNode killOneServiceUnderLoad(List<String> persistence) throws Exception {
        startCluster(persistence);
        startLoadAndAwaitProgress();
        String victim = cluster.busiestInstance();
        int itsClients = cluster.clientsOf(victim);

        cluster.kill(victim);

        await().atMost(WAIT).pollInterval(Duration.ofMillis(100)).until(() -> "dead".equals(cluster.state(victim)));
        JsonNode result = awaitLoad();
        assertThat(result.get("movedClients").intValue()).as("clients of %s served by others", victim)
                .isEqualTo(itsClients);
        assertThat(cluster.clientsOf(victim)).as("pins left on %s", victim).isZero();
        return result;
    }

    private void startCluster(List<String> persistence) throws Exception {
        cluster.startGateway();
        for (int i = 1; i <= 3; i++) {
            cluster.startService("svc-" + i, persistence);
        }
        await().atMost(STARTUP).pollInterval(Duration.ofMillis(250)).ignoreExceptions()
                .until(() -> cluster.healthyInstances() == 3);
    }

    /** Starts the verified load run and waits until it has made progress (about 50 requests per client). */
    private void startLoadAndAwaitProgress() throws IOException {
        cluster.startLoad("load", List.of("--clients", Integer.toString(CLIENTS), "--duration", "20", "--verify"));
        await().atMost(STARTUP).pollInterval(Duration.ofMillis(100)).ignoreExceptions()
                .until(() -> cluster.requestsForwarded() >= 50L * CLIENTS);
    }

    private JsonNode awaitLoad() throws Exception {
        Process load = cluster.process("load");
        assertThat(load.waitFor(2, TimeUnit.MINUTES)).as("load finished").isTrue();
        String last = cluster.lastLine("load");
        assertThat(last).as("load's output\n%s\n%s", cluster.out("load"), cluster.err("load")).startsWith("{");
        return TestService.JSON.readTree(last);
    }

    private void assertVerified(JsonNode result) throws IOException {
        List<String> problems = new ArrayList<>();
        if (result.get("lost").longValue() != 0) {
            problems.add("lost " + result.get("lost"));
        }
        if (result.get("duplicated").longValue() != 0) {
            problems.add("duplicated " + result.get("duplicated"));
        }
        assertThat(problems).as("%s", cluster.out("load")).isEmpty();
        assertThat(cluster.process("load").exitValue()).as(cluster.err("load")).isZero();
        assertThat(result.get("requests").longValue()).isPositive();
    }
}
