package io.reploid.gateway;

import static io.reploid.gateway.TestCluster.call;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.reploid.client.ReploidClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class AdminApiTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    private HttpResponse<String> get(TestCluster cluster, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + cluster.gateway.adminPort() + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void healthClusterAndClientEndpoints() throws Exception {
        try (TestCluster cluster = new TestCluster(b -> b.gatewayId("gw-admin"))) {
            cluster.addInstance("svc-1", 10);
            cluster.addInstance("svc-2", 20);
            ReploidClient c = cluster.client("alice");
            String instance = call(c, "whoami");

            HttpResponse<String> health = get(cluster, "/health");
            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(JSON.readTree(health.body()).get("status").asText()).isEqualTo("serving");

            await().atMost(Duration.ofSeconds(20)).until(() -> {
                JsonNode root = JSON.readTree(get(cluster, "/api/cluster").body());
                return root.get("instances").get(0).get("load").get("timestampMillis").asLong() > 0
                        && root.get("instances").get(1).get("load").get("timestampMillis").asLong() > 0;
            });
            HttpResponse<String> clusterResponse = get(cluster, "/api/cluster");
            assertThat(clusterResponse.statusCode()).isEqualTo(200);
            assertThat(clusterResponse.headers().firstValue("content-type")).hasValueSatisfying(
                    v -> assertThat(v).startsWith("application/json"));
            JsonNode root = JSON.readTree(clusterResponse.body());
            assertThat(root.get("gateway").get("id").asText()).isEqualTo("gw-admin");
            assertThat(root.get("pins").asInt()).isEqualTo(1);
            JsonNode instances = root.get("instances");
            assertThat(instances).hasSize(2);
            JsonNode first = instances.get(0);
            assertThat(first.get("id").asText()).isEqualTo("svc-1");
            assertThat(first.get("state").asText()).isEqualTo("healthy");
            assertThat(first.get("capacity").asInt()).isEqualTo(10);
            assertThat(first.get("address").asText()).isNotBlank();
            assertThat(first.has("clients")).isTrue();
            assertThat(first.get("load").has("cpu")).isTrue();
            assertThat(first.get("load").has("heapUsed")).isTrue();
            assertThat(first.get("load").has("gauge")).isTrue();
            int totalClients = instances.get(0).get("clients").asInt() + instances.get(1).get("clients").asInt();
            assertThat(totalClients).isEqualTo(1);

            HttpResponse<String> pin = get(cluster, "/api/clients/alice");
            assertThat(pin.statusCode()).isEqualTo(200);
            JsonNode pinJson = JSON.readTree(pin.body());
            assertThat(pinJson.get("instance").asText()).isEqualTo(instance);
            assertThat(pinJson.get("connected").asBoolean()).isTrue();

            HttpResponse<String> missing = get(cluster, "/api/clients/nobody");
            assertThat(missing.statusCode()).isEqualTo(404);
            assertThat(JSON.readTree(missing.body()).get("error").asText()).contains("nobody");

            assertThat(get(cluster, "/nope").statusCode()).isEqualTo(404);
        }
    }
}
