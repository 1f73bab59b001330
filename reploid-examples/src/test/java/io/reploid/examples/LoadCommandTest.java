package io.reploid.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.ServerSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class LoadCommandTest {
    private static ExampleCluster cluster;

    @BeforeAll
    static void start() {
        cluster = new ExampleCluster(2);
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    @Test
    void verifiedLoadEndsWithAJsonLineAndNothingLostOrDuplicated() throws Exception {
        ExampleCluster.Run run = ExampleCluster.run(new LoadCommand(), "--gateway", cluster.clientAddress(),
                "--clients", "8", "--duration", "2", "--warmup", "0.5", "--verify");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.outLines()).hasSize(2);
        assertThat(run.outLines().get(0)).startsWith("load: 8 clients").contains("verify: 0 lost, 0 duplicated");
        JsonNode json = TestService.JSON.readTree(run.lastLine());
        assertThat(json.fieldNames()).toIterable().containsExactly(
                "requests", "throughput", "p50Ms", "p99Ms", "p999Ms", "errors", "instanceChanges",
                "clientsOnSeveralInstances", "gatewayChanges", "lost", "duplicated", "gapP50Ms", "gapP99Ms", "gapMaxMs",
                "movedClients", "movedGapP50Ms", "movedGapP99Ms");
        assertThat(json.get("requests").longValue()).isPositive();
        assertThat(json.get("throughput").doubleValue()).isPositive();
        assertThat(json.get("p50Ms").doubleValue()).isPositive();
        assertThat(json.get("p99Ms").doubleValue()).isGreaterThanOrEqualTo(json.get("p50Ms").doubleValue());
        assertThat(json.get("p999Ms").doubleValue()).isGreaterThanOrEqualTo(json.get("p99Ms").doubleValue());
        assertThat(json.get("errors").longValue()).isZero();
        assertThat(json.get("lost").longValue()).isZero();
        assertThat(json.get("duplicated").longValue()).isZero();
        assertThat(json.get("instanceChanges").longValue()).isZero();
        assertThat(json.get("clientsOnSeveralInstances").intValue()).isZero();
        assertThat(json.get("gatewayChanges").longValue()).isZero();
        // Every client's ids were pinned; its connection was closed at the end.
        assertThat(cluster.gateway.pinCount()).isGreaterThanOrEqualTo(8);
    }

    @Test
    void withoutVerifyTheJsonLineHasNoVerificationFields() throws Exception {
        ExampleCluster.Run run = ExampleCluster.run(new LoadCommand(), "--gateway", cluster.clientAddress(),
                "--clients", "2", "--duration", "0.5", "--key", "other");

        assertThat(run.exitCode()).as(run.err()).isZero();
        JsonNode json = TestService.JSON.readTree(run.lastLine());
        assertThat(json.fieldNames()).toIterable().containsExactly(
                "requests", "throughput", "p50Ms", "p99Ms", "p999Ms", "errors", "instanceChanges",
                "clientsOnSeveralInstances", "gatewayChanges");
    }

    @Test
    void clientsThatSwitchGatewayOnEveryRequestKeepTheirCounterAndInstance() throws Exception {
        try (ExampleCluster two = new ExampleCluster(2, 2)) {
            ExampleCluster.Run switching = ExampleCluster.run(new LoadCommand(), "--gateway", two.clientAddresses(),
                    "--clients", "4", "--duration", "2", "--switch-gateway", "--verify", "--id-prefix", "switch");

            assertThat(switching.exitCode()).as(switching.err()).isZero();
            assertThat(switching.err()).contains("a new connection to the next gateway for every request");
            JsonNode json = TestService.JSON.readTree(switching.lastLine());
            assertThat(json.get("requests").longValue()).as(switching.out()).isGreaterThan(4);
            assertThat(json.get("lost").longValue()).isZero();
            assertThat(json.get("duplicated").longValue()).isZero();
            assertThat(json.get("clientsOnSeveralInstances").intValue()).isZero();
            for (int i = 0; i < 4; i++) {
                String id = "switch-" + i;
                assertThat(two.gateways.get(1).pinnedInstance(id)).as(id)
                        .isEqualTo(two.gateways.get(0).pinnedInstance(id)).isPresent();
            }
        }
    }

    @Test
    void exitsWithTwoWhenTheGatewayIsUnreachable() throws IOException {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        ExampleCluster.Run run = ExampleCluster.run(new LoadCommand(), "--gateway", "127.0.0.1:" + port,
                "--clients", "2", "--duration", "1", "--timeout", "1");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("load: cannot connect");
        assertThat(run.out()).isEmpty();
    }
}
