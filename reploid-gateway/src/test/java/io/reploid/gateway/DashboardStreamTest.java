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
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** {@code GET /api/stream} and the dashboard page against a real gateway, read with java.net.http. */
class DashboardStreamTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    /** One open event stream: its raw lines, collected on the client's thread. */
    private final class Feed implements AutoCloseable {
        final HttpResponse<java.util.stream.Stream<String>> response;
        final List<String> lines = new CopyOnWriteArrayList<>();
        private final Thread reader;

        Feed(ReploidGateway gateway, String lastEventId) throws Exception {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.adminPort()
                    + "/api/stream"));
            if (lastEventId != null) {
                b.header("Last-Event-ID", lastEventId);
            }
            response = http.send(b.build(), HttpResponse.BodyHandlers.ofLines());
            reader = new Thread(() -> {
                try (java.util.stream.Stream<String> body = response.body()) {
                    body.forEach(lines::add);
                } catch (RuntimeException e) {
                    // closed by the test
                }
            }, "sse-reader");
            reader.setDaemon(true);
            reader.start();
        }

        /** The data of every snapshot received so far. */
        List<JsonNode> messages() {
            return lines.stream().filter(l -> l.startsWith("data: ")).map(l -> {
                try {
                    return JSON.readTree(l.substring("data: ".length()));
                } catch (Exception e) {
                    throw new AssertionError("not JSON: " + l, e);
                }
            }).toList();
        }

        JsonNode last() {
            List<JsonNode> m = messages();
            return m.isEmpty() ? null : m.get(m.size() - 1);
        }

        List<String> ids() {
            return lines.stream().filter(l -> l.startsWith("id: ")).map(l -> l.substring(4)).toList();
        }

        @Override
        public void close() {
            response.body().close();
        }
    }

    private HttpResponse<String> get(ReploidGateway gateway, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.adminPort() + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void streamsSnapshotsEventsFlowsAndMoves() throws Exception {
        try (TestCluster cluster = new TestCluster(b -> b.gatewayId("gw-stream").balancer("round-robin"))) {
            cluster.addInstance("svc-1", 10);
            cluster.addInstance("svc-2", 10);
            try (Feed stream = new Feed(cluster.gateway, null)) {
                assertThat(stream.response.statusCode()).isEqualTo(200);
                assertThat(stream.response.headers().firstValue("content-type")).hasValueSatisfying(
                        v -> assertThat(v).startsWith("text/event-stream"));
                await().atMost(Duration.ofSeconds(20)).until(() -> stream.last() != null);
                assertThat(stream.lines.get(0)).isEqualTo("retry: 2000");
                assertThat(stream.lines).contains("event: snapshot");

                JsonNode first = stream.messages().get(0);
                JsonNode gw = first.get("cluster").get("gateways").get(0);
                assertThat(first.get("cluster").get("source").asText()).isEqualTo("gateway");
                assertThat(gw.get("id").asText()).isEqualTo("gw-stream");
                assertThat(gw.get("balancer").asText()).isEqualTo("round-robin");
                assertThat(first.get("cluster").get("instances")).hasSize(2);
                assertThat(first.get("reset").asBoolean()).isFalse();
                assertThat(types(stream)).contains("joined");

                ReploidClient alice = cluster.client("alice");
                ReploidClient bob = cluster.client("bob");
                for (int i = 0; i < 16; i++) {
                    call(alice, "incr");
                    call(bob, "incr");
                }
                await().atMost(Duration.ofSeconds(20)).until(() -> stream.messages().stream()
                        .flatMap(m -> list(m.get("flows")))
                        .anyMatch(f -> f.get("client").asText().equals("alice")
                                && f.get("gateway").asText().equals("gw-stream")
                                && f.get("latencyMs").asDouble() > 0));
                await().atMost(Duration.ofSeconds(20)).until(() -> list(stream.last().get("cluster").get("instances"))
                        .anyMatch(i -> i.get("requests").get("total").asLong() >= 16));

                String victim = cluster.gateway.pinnedInstance("alice").orElseThrow();
                cluster.services.remove(victim).close();
                await().atMost(Duration.ofSeconds(20)).until(() -> types(stream).contains("dead"));
                call(alice, "incr"); // re-pinned on its next request
                await().atMost(Duration.ofSeconds(20)).until(() -> stream.messages().stream()
                        .flatMap(m -> list(m.get("moves")))
                        .anyMatch(mv -> mv.get("client").asText().equals("alice")
                                && mv.get("from").asText().equals(victim) && !mv.get("to").asText().equals(victim)));
                List<String> types = types(stream);
                assertThat(types.indexOf("suspect")).isLessThan(types.lastIndexOf("dead"));
                assertThat(types.stream().filter("joined"::equals).count()).isEqualTo(2); // each event sent once
            }
        }
    }

    @Test
    void lastEventIdResumesTheLogAndAnotherRunResetsIt() throws Exception {
        try (TestCluster cluster = new TestCluster()) {
            // The gateway's own leadership event comes first, not between the instances' events.
            await().atMost(Duration.ofSeconds(20)).until(cluster.gateway::isLeader);
            cluster.addInstance("svc-1", 10);
            String lastId;
            try (Feed stream = new Feed(cluster.gateway, null)) {
                await().atMost(Duration.ofSeconds(20)).until(() -> types(stream).contains("joined"));
                lastId = stream.ids().get(stream.ids().size() - 1);
            }
            cluster.addInstance("svc-2", 10);
            try (Feed resumed = new Feed(cluster.gateway, lastId)) {
                await().atMost(Duration.ofSeconds(20)).until(() -> types(resumed).contains("joined"));
                assertThat(resumed.messages().stream().flatMap(m -> list(m.get("events")))
                        .map(e -> e.get("instance").asText())).containsExactly("svc-2");
                assertThat(resumed.messages().get(0).get("reset").asBoolean()).isFalse();
            }
            try (Feed other = new Feed(cluster.gateway, "12345-99")) {
                await().atMost(Duration.ofSeconds(20)).until(() -> other.last() != null);
                JsonNode first = other.messages().get(0);
                assertThat(first.get("reset").asBoolean()).isTrue();
                assertThat(list(first.get("events")).map(e -> e.get("instance").asText()))
                        .contains("svc-1", "svc-2");
            }
        }
    }

    @Test
    void servesThePageAndASnapshot() throws Exception {
        try (TestCluster cluster = new TestCluster(b -> b.gatewayId("gw-page"))) {
            HttpResponse<String> page = get(cluster.gateway, "/");
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.headers().firstValue("content-type")).hasValue("text/html; charset=utf-8");
            assertThat(page.headers().firstValue("content-security-policy")).isPresent();
            assertThat(page.body()).contains("dashboard/app.js");
            for (String asset : List.of("app.js", "app.css", "feed.js", "panels.js", "charts.js", "topology.js",
                    "format.js", "favicon.svg")) {
                HttpResponse<String> r = get(cluster.gateway, "/dashboard/" + asset);
                assertThat(r.statusCode()).as(asset).isEqualTo(200);
                String etag = r.headers().firstValue("etag").orElseThrow();
                HttpResponse<String> again = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                        + cluster.gateway.adminPort() + "/dashboard/" + asset)).header("If-None-Match", etag).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(again.statusCode()).as(asset).isEqualTo(304);
            }
            assertThat(get(cluster.gateway, "/dashboard/nope.js").statusCode()).isEqualTo(404);

            JsonNode snapshot = JSON.readTree(get(cluster.gateway, "/api/snapshot").body());
            assertThat(snapshot.get("cluster").get("gateways").get(0).get("id").asText()).isEqualTo("gw-page");
            assertThat(snapshot.get("run").asText()).isNotBlank();

            HttpResponse<String> post = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                    + cluster.gateway.adminPort() + "/api/stream")).POST(HttpRequest.BodyPublishers.noBody()).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(post.statusCode()).isEqualTo(405);
            assertThat(post.headers().firstValue("allow")).hasValue("GET");
        }
    }

    private static List<String> types(Feed stream) {
        return stream.messages().stream().flatMap(m -> list(m.get("events"))).map(e -> e.get("type").asText()).toList();
    }

    private static java.util.stream.Stream<JsonNode> list(JsonNode array) {
        List<JsonNode> out = new java.util.ArrayList<>();
        array.forEach(out::add);
        return out.stream();
    }
}
