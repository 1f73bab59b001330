package io.reploid.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Several gateways as real processes from the packaged jar, on loopback: three gateways, three
 * {@code service} processes that are given only the first gateway's address (they learn the other two from
 * it), and a verified load run whose clients are spread over the three gateways.
 *
 * <ul>
 *   <li>Two of the three gateways are killed with SIGKILL during the run: every client fails over to a
 *       surviving gateway and stays on its instance; nothing is lost or applied twice.
 *   <li>Clients open a new connection to the next gateway for every request: the gateways agree on every
 *       pin, so each client sees one counter on one instance.
 *   <li>The first scenario with the pins in PostgreSQL ({@code --directory}, a server started by the test)
 *       instead of the embedded directory.
 * </ul>
 * Every process is stopped at the end, whatever happened. The load's summaries and the gaps around each kill
 * are printed, for {@code docs/benchmarks.md}.
 */
class MultiGatewayIT {
    private static final Duration STARTUP = Duration.ofSeconds(90);
    private static final int CLIENTS = 200;
    private static final List<String> GATEWAYS = List.of(ProcessCluster.FIRST_GATEWAY, "gateway-2", "gateway-3");

    @TempDir
    Path dir;

    private ProcessCluster cluster;

    @BeforeEach
    void cluster() throws IOException {
        String jar = System.getProperty("reploid.examples.jar");
        assertThat(jar).as("system property reploid.examples.jar").isNotNull();
        Assumptions.assumeFalse(System.getProperty("os.name").toLowerCase(Locale.ROOT).startsWith("windows"),
                "SIGKILL");
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
    void clientsKeepTheirInstanceWhenTwoOfThreeGatewaysAreKilled() throws Exception {
        startCluster(gateway -> gateway.equals(ProcessCluster.FIRST_GATEWAY) ? List.of()
                : List.of("--peers", cluster.serviceAddress(ProcessCluster.FIRST_GATEWAY)));
        killTwoGatewaysUnderLoad("embedded directory");
    }

    @Test
    void clientsThatSwitchGatewayOnEveryRequestSeeOneCounterOnOneInstance() throws Exception {
        startCluster(gateway -> gateway.equals(ProcessCluster.FIRST_GATEWAY) ? List.of()
                : List.of("--peers", cluster.serviceAddress(ProcessCluster.FIRST_GATEWAY)));
        cluster.startLoad("load", List.of("--clients", "50", "--duration", "60", "--verify", "--switch-gateway"));
        awaitConnected();
        // Every gateway serves requests of the switching clients.
        await().atMost(STARTUP).pollInterval(Duration.ofMillis(250)).ignoreExceptions().untilAsserted(() -> {
            for (String g : GATEWAYS) {
                assertThat(cluster.requestsForwarded(g)).as("requests forwarded by " + g).isPositive();
            }
        });

        JsonNode result = awaitLoad("switching gateway on every request");
        assertVerified(result);
        assertThat(result.get("clientsOnSeveralInstances").intValue()).as("clients on several instances").isZero();
        assertThat(result.get("instanceChanges").longValue()).as("instance changes").isZero();
    }

    @Test
    void withThePinsInPostgresClientsKeepTheirInstanceWhenTwoGatewaysAreKilled() throws Exception {
        String url = ItPostgres.jdbcUrl();
        startCluster(gateway -> List.of("--directory", url));
        assertThat(cluster.out(ProcessCluster.FIRST_GATEWAY)).contains("Directory: PostgreSQL at jdbc:postgresql:");
        killTwoGatewaysUnderLoad("PostgreSQL directory");
    }

    /**
     * Starts the three gateways (each with {@code options.apply(name)}) and three services that know only the
     * first gateway, and waits until every gateway has the three instances healthy: the services learned the
     * gateways they were not given.
     */
    private void startCluster(Function<String, List<String>> options) throws Exception {
        for (String g : GATEWAYS) {
            cluster.startGateway(g, options.apply(g));
        }
        for (int i = 1; i <= 3; i++) {
            cluster.startService("svc-" + i, List.of());
        }
        await().atMost(STARTUP).pollInterval(Duration.ofMillis(250)).ignoreExceptions().untilAsserted(() -> {
            for (String g : GATEWAYS) {
                assertThat(cluster.healthyInstances(g)).as("healthy instances at " + g).isEqualTo(3);
            }
        });
    }

    /**
     * The load with the clients spread over the three gateways; about 8 s into it the first gateway is killed
     * (the one the services were given), about 16 s in the second; the third serves everyone to the end.
     */
    private void killTwoGatewaysUnderLoad(String scenario) throws Exception {
        cluster.startLoad("load", List.of("--clients", Integer.toString(CLIENTS), "--duration", "30", "--verify"));
        long start = awaitConnected();
        // Client i starts on gateway i mod 3: every gateway has clients.
        await().atMost(STARTUP).pollInterval(Duration.ofMillis(250)).ignoreExceptions().untilAsserted(() -> {
            for (String g : GATEWAYS) {
                assertThat(cluster.requestsForwarded(g)).as("requests forwarded by " + g).isGreaterThan(CLIENTS);
            }
        });
        Map<String, Long> killedAt = new LinkedHashMap<>();
        killAt(start, 8, GATEWAYS.get(0), killedAt);
        awaitProgress(GATEWAYS.get(1), GATEWAYS.get(2));
        killAt(start, 16, GATEWAYS.get(1), killedAt);
        awaitProgress(GATEWAYS.get(2));
        System.out.printf("MultiGatewayIT (%s): killed %s%n", scenario, killedAt);

        JsonNode result = awaitLoad(scenario);
        assertVerified(result);
        assertThat(result.get("instanceChanges").longValue()).as("instance changes").isZero();
        assertThat(result.get("clientsOnSeveralInstances").intValue()).as("clients on several instances").isZero();
        // Each client that started on one of the two killed gateways was answered through another one.
        long onKilledGateways = IntStream.range(0, CLIENTS).filter(i -> i % GATEWAYS.size() != 2).count();
        assertThat(result.get("gatewayChanges").longValue()).as("gateway changes")
                .isGreaterThanOrEqualTo(onKilledGateways);
        assertThat(cluster.healthyInstances(GATEWAYS.get(2))).as("healthy instances at the survivor").isEqualTo(3);
    }

    /**
     * Kills a gateway with SIGKILL once {@code second} seconds of the load passed (at once when they did): the
     * scenario's schedule, not a synchronisation; records when it happened, in seconds of the load.
     */
    private void killAt(long startNanos, int second, String gateway, Map<String, Long> killedAt)
            throws InterruptedException {
        long wait = startNanos + TimeUnit.SECONDS.toNanos(second) - System.nanoTime();
        if (wait > 0) {
            TimeUnit.NANOSECONDS.sleep(wait);
        }
        cluster.kill(gateway);
        assertThat(cluster.process(gateway).isAlive()).as(gateway + " killed").isFalse();
        killedAt.put(gateway, TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - startNanos));
    }

    /** Waits until each of the gateways forwarded more requests (the clients moved to them carry on). */
    private void awaitProgress(String... gateways) throws Exception {
        Map<String, Long> before = new LinkedHashMap<>();
        for (String g : gateways) {
            before.put(g, cluster.requestsForwarded(g));
        }
        await().atMost(STARTUP).pollInterval(Duration.ofMillis(100)).ignoreExceptions().untilAsserted(() -> {
            for (String g : gateways) {
                assertThat(cluster.requestsForwarded(g)).as("requests forwarded by " + g)
                        .isGreaterThan(before.get(g) + CLIENTS);
            }
        });
    }

    /** Waits until every load client connected; returns when it saw that ({@link System#nanoTime()}). */
    private long awaitConnected() {
        await().atMost(STARTUP).pollInterval(Duration.ofMillis(50)).ignoreExceptions()
                .until(() -> cluster.err("load").contains(" connected to "));
        return System.nanoTime();
    }

    private JsonNode awaitLoad(String scenario) throws Exception {
        Process load = cluster.process("load");
        assertThat(load.waitFor(3, TimeUnit.MINUTES)).as("load finished").isTrue();
        String out = cluster.out("load");
        List<String> gaps = cluster.err("load").lines().filter(l -> l.startsWith("load: gaps ")).toList();
        System.out.printf("MultiGatewayIT (%s):%n%s%s%n", scenario, out, String.join("\n", gaps));
        String last = cluster.lastLine("load");
        assertThat(last).as("load's output\n%s\n%s", out, cluster.err("load")).startsWith("{");
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
