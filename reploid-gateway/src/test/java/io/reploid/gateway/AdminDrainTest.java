package io.reploid.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** {@code POST /api/instances/{id}/drain} and the gateway list of {@code GET /api/cluster}. */
class AdminDrainTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    private HttpResponse<String> send(TestCluster cluster, String method, String path) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + cluster.gateway.adminPort() + path))
                .method(method, HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofSeconds(20)).build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void drainMovesTheInstancesClientsAndTheClusterListsTheGateway() throws Exception {
        try (TestCluster cluster = new TestCluster()) {
            cluster.addInstance("a", 100);
            for (int i = 0; i < 5; i++) {
                TestCluster.call(cluster.client("c" + i), "incr");
            }
            cluster.addInstance("b", 100);

            JsonNode root = JSON.readTree(send(cluster, "GET", "/api/cluster").body());
            assertThat(root.path("gateways")).hasSize(1);
            assertThat(root.path("gateways").get(0).path("id").asText()).isEqualTo(cluster.gateway.gatewayId());
            assertThat(root.path("gateway").path("directory").asText()).startsWith("embedded");

            assertThat(send(cluster, "GET", "/api/instances/a/drain").statusCode()).isEqualTo(405);
            assertThat(send(cluster, "POST", "/api/instances/nobody/drain").statusCode()).isEqualTo(404);
            HttpResponse<String> drained = send(cluster, "POST", "/api/instances/a/drain");
            assertThat(drained.statusCode()).isEqualTo(202);
            assertThat(JSON.readTree(drained.body()).path("draining").asBoolean()).isTrue();
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                assertThat(cluster.services.get("a").clientCount()).isZero();
                assertThat(cluster.services.get("a").isDraining()).isTrue();
            });
            for (int i = 0; i < 5; i++) {
                assertThat(cluster.gateway.pinnedInstance("c" + i)).contains("b");
            }
            JsonNode again = JSON.readTree(send(cluster, "POST", "/api/instances/a/drain").body());
            assertThat(again.path("alreadyDraining").asBoolean()).isTrue();
        }
    }
}
