package io.reploid.gateway;

import static io.reploid.gateway.TestCluster.call;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** {@code GET /api/actions}, {@code POST /api/actions/...}, drain and balancer switching on a real gateway. */
class AdminActionsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    /** Records what it is asked to do and on which thread. */
    private static final class RecordingActions implements AdminActions {
        final List<String> calls = new CopyOnWriteArrayList<>();
        final List<String> threads = new CopyOnWriteArrayList<>();

        @Override
        public Set<Action> available() {
            return EnumSet.of(Action.ADD_INSTANCE, Action.CRASH_INSTANCE, Action.ADD_CLIENTS, Action.CHANGE_WORKLOAD);
        }

        @Override
        public String addInstance() {
            record("add-instance");
            return "started svc-9";
        }

        @Override
        public String crashInstance(String instanceId) {
            record("crash " + instanceId);
            if (!instanceId.startsWith("svc-")) {
                throw new NoSuchElementException("no instance '" + instanceId + "'");
            }
            return "crashed " + instanceId;
        }

        @Override
        public String addClients(int count) {
            record("add " + count);
            return "connected " + count + " clients";
        }

        @Override
        public String changeWorkload(String workload) {
            record("workload " + workload);
            if (!workloads().contains(workload)) {
                throw new IllegalArgumentException("workload '" + workload + "' (expected: steady or bursty)");
            }
            return "workload " + workload;
        }

        @Override
        public List<String> workloads() {
            return List.of("steady", "bursty");
        }

        private void record(String call) {
            calls.add(call);
            threads.add(Thread.currentThread().getName());
        }
    }

    private HttpResponse<String> get(ReploidGateway gateway, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(uri(gateway, path)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(ReploidGateway gateway, String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(uri(gateway, path)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static URI uri(ReploidGateway gateway, String path) {
        return URI.create("http://127.0.0.1:" + gateway.adminPort() + path);
    }

    private static JsonNode json(HttpResponse<String> r) throws Exception {
        return JSON.readTree(r.body());
    }

    @Test
    void withoutActionsNothingIsOffered() throws Exception {
        try (TestCluster cluster = new TestCluster()) {
            cluster.addInstance("svc-1", 10);
            JsonNode list = json(get(cluster.gateway, "/api/actions"));
            assertThat(list.get("enabled").asBoolean()).isFalse();
            assertThat(list.get("actions")).isEmpty();
            assertThat(list.get("reason").asText()).contains("adminActions");

            HttpResponse<String> drain = post(cluster.gateway, "/api/actions/drain-instance", "{\"instance\":\"svc-1\"}");
            assertThat(drain.statusCode()).isEqualTo(404);
            assertThat(json(drain).get("error").asText()).contains("not enabled");
            assertThat(cluster.gateway.instances().get(0).state()).isEqualTo(io.reploid.InstanceState.HEALTHY);
        }
    }

    @Test
    void runsTheApplicationsActionsOffTheEventLoop() throws Exception {
        RecordingActions actions = new RecordingActions();
        try (TestCluster cluster = new TestCluster(b -> b.adminActions(actions))) {
            JsonNode list = json(get(cluster.gateway, "/api/actions"));
            assertThat(list.get("enabled").asBoolean()).isTrue();
            assertThat(list.get("actions")).extracting(JsonNode::asText).containsExactly("add-instance",
                    "crash-instance", "drain-instance", "add-clients", "switch-balancer", "change-workload");
            assertThat(list.get("workloads")).extracting(JsonNode::asText).containsExactly("steady", "bursty");
            assertThat(list.get("balancers")).extracting(JsonNode::asText).contains("least-clients", "round-robin");

            HttpResponse<String> add = post(cluster.gateway, "/api/actions/add-instance", "{}");
            assertThat(add.statusCode()).isEqualTo(200);
            assertThat(json(add).get("message").asText()).isEqualTo("started svc-9");
            assertThat(post(cluster.gateway, "/api/actions/add-clients", "{\"count\": 5}").statusCode()).isEqualTo(200);
            assertThat(post(cluster.gateway, "/api/actions/change-workload", "{\"workload\":\"bursty\"}").statusCode())
                    .isEqualTo(200);
            assertThat(actions.calls).containsExactly("add-instance", "add 5", "workload bursty");
            assertThat(actions.threads).allSatisfy(t -> assertThat(t).isEqualTo("reploid-gateway-actions"));

            HttpResponse<String> unknown = post(cluster.gateway, "/api/actions/crash-instance", "{\"instance\":\"x\"}");
            assertThat(unknown.statusCode()).isEqualTo(404);
            assertThat(json(unknown).get("error").asText()).isEqualTo("no instance 'x'");
            HttpResponse<String> badWorkload = post(cluster.gateway, "/api/actions/change-workload",
                    "{\"workload\":\"wild\"}");
            assertThat(badWorkload.statusCode()).isEqualTo(400);
            assertThat(json(badWorkload).get("error").asText()).contains("wild");
        }
    }

    @Test
    void rejectsBadRequestsWithAClearError() throws Exception {
        RecordingActions actions = new RecordingActions();
        try (TestCluster cluster = new TestCluster(b -> b.adminActions(actions))) {
            HttpResponse<String> missing = post(cluster.gateway, "/api/actions/add-clients", "{}");
            assertThat(missing.statusCode()).isEqualTo(400);
            assertThat(json(missing).get("error").asText()).contains("\"count\" is required");
            assertThat(json(post(cluster.gateway, "/api/actions/add-clients", "{\"count\": 0}")).get("error").asText())
                    .isEqualTo("count: 0 (expected: 1 to 100000)");
            assertThat(post(cluster.gateway, "/api/actions/add-clients", "not json").statusCode()).isEqualTo(400);
            assertThat(post(cluster.gateway, "/api/actions/add-clients", "[1]").statusCode()).isEqualTo(400);

            HttpResponse<String> nope = post(cluster.gateway, "/api/actions/reboot", "{}");
            assertThat(nope.statusCode()).isEqualTo(404);
            assertThat(json(nope).get("error").asText()).contains("no action 'reboot'").contains("add-instance");
            HttpResponse<String> notOffered = post(cluster.gateway, "/api/actions/remove-clients", "{\"count\":1}");
            assertThat(notOffered.statusCode()).isEqualTo(404);
            assertThat(json(notOffered).get("error").asText()).contains("not available");

            HttpResponse<String> form = http.send(HttpRequest.newBuilder(uri(cluster.gateway, "/api/actions/add-instance"))
                    .header("Content-Type", "text/plain").POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(form.statusCode()).isEqualTo(415);
            HttpResponse<String> crossOrigin = http.send(HttpRequest.newBuilder(uri(cluster.gateway,
                    "/api/actions/add-instance")).header("Content-Type", "application/json")
                    .header("Origin", "http://evil.example").POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(crossOrigin.statusCode()).isEqualTo(403);
            HttpResponse<String> getAction = get(cluster.gateway, "/api/actions/add-instance");
            assertThat(getAction.statusCode()).isEqualTo(405);
            assertThat(getAction.headers().firstValue("allow")).hasValue("POST");
            assertThat(actions.calls).isEmpty();
        }
    }

    @Test
    void drainStopsNewPinsAndKeepsTheOldOnes() throws Exception {
        try (TestCluster cluster = new TestCluster(b -> b.adminActions(new RecordingActions()))) {
            cluster.addInstance("svc-1", 10);
            cluster.addInstance("svc-2", 10);
            call(cluster.client("early"), "incr");
            String home = cluster.gateway.pinnedInstance("early").orElseThrow();
            String other = home.equals("svc-1") ? "svc-2" : "svc-1";

            HttpResponse<String> drain = post(cluster.gateway, "/api/actions/drain-instance",
                    "{\"instance\":\"" + home + "\"}");
            assertThat(drain.statusCode()).isEqualTo(200);
            assertThat(json(drain).get("message").asText()).contains("draining");
            assertThat(cluster.gateway.drain(home)).isFalse();
            assertThat(cluster.gateway.instances()).filteredOn(i -> i.id().equals(home))
                    .extracting(InstanceInfo::state).containsExactly(io.reploid.InstanceState.DRAINING);
            for (int i = 0; i < 4; i++) {
                call(cluster.client("new-" + i), "incr");
                assertThat(cluster.gateway.pinnedInstance("new-" + i)).hasValue(other);
            }
            assertThat(eventTypes(cluster)).contains("draining");
            HttpResponse<String> unknown = post(cluster.gateway, "/api/actions/drain-instance", "{\"instance\":\"svc-7\"}");
            assertThat(unknown.statusCode()).isEqualTo(404);
            assertThatThrownBy(() -> cluster.gateway.drain("svc-7")).isInstanceOf(NoSuchElementException.class);
        }
    }

    @Test
    void switchesTheBalancerAtRunTime() throws Exception {
        try (TestCluster cluster = new TestCluster(b -> b.adminActions(new RecordingActions()).balancer("least-clients"))) {
            cluster.addInstance("svc-1", 100);
            cluster.addInstance("svc-2", 100);
            HttpResponse<String> ok = post(cluster.gateway, "/api/actions/switch-balancer", "{\"balancer\":\"round-robin\"}");
            assertThat(ok.statusCode()).isEqualTo(200);
            assertThat(json(ok).get("message").asText()).isEqualTo("balancer least-clients -> round-robin");
            assertThat(json(get(cluster.gateway, "/api/cluster")).get("gateway").get("balancer").asText())
                    .isEqualTo("round-robin");
            assertThat(eventTypes(cluster)).contains("balancer");
            for (int i = 0; i < 6; i++) {
                call(cluster.client("c-" + i), "incr");
            }
            assertThat(cluster.gateway.instances()).allSatisfy(i -> assertThat(i.clients()).isEqualTo(3));

            HttpResponse<String> bad = post(cluster.gateway, "/api/actions/switch-balancer", "{\"balancer\":\"no-such\"}");
            assertThat(bad.statusCode()).isEqualTo(400);
            assertThat(json(bad).get("error").asText()).contains("no-such");
            assertThat(json(get(cluster.gateway, "/api/cluster")).get("gateway").get("balancer").asText())
                    .isEqualTo("round-robin");
            cluster.gateway.switchBalancer("p2c");
            assertThat(json(get(cluster.gateway, "/api/cluster")).get("gateway").get("balancer").asText())
                    .isEqualTo("p2c");
        }
    }

    private List<String> eventTypes(TestCluster cluster) throws Exception {
        List<String> types = new java.util.ArrayList<>();
        json(get(cluster.gateway, "/api/events")).get("events").forEach(e -> types.add(e.get("type").asText()));
        return types;
    }
}
