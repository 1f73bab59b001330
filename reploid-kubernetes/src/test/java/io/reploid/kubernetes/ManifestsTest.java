package io.reploid.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The manifests in {@code docs/kubernetes/} are valid objects that fit together, the provisioner works on
 * the StatefulSet they define, and the Role there allows every request the provisioner makes.
 */
class ManifestsTest {
    private static final Path DOCS = Path.of("..", "docs", "kubernetes");

    private static MockApiServer server;

    @BeforeAll
    static void startServer() {
        server = new MockApiServer();
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    private static List<HasMetadata> load(String file) throws IOException {
        try (InputStream in = Files.newInputStream(DOCS.resolve(file))) {
            return server.client.load(in).items();
        }
    }

    private static <T> T only(List<HasMetadata> objects, Class<T> type) {
        List<T> matching = objects.stream().filter(type::isInstance).map(type::cast).toList();
        assertThat(matching).as(type.getSimpleName()).hasSize(1);
        return matching.get(0);
    }

    private static <T> T join(CompletionStage<T> stage) {
        return stage.toCompletableFuture().join();
    }

    @Test
    void theStatefulSetRegistersEachPodUnderItsNameBehindAHeadlessService() throws IOException {
        List<HasMetadata> objects = load("statefulset.yaml");
        Service service = only(objects, Service.class);
        StatefulSet statefulSet = only(objects, StatefulSet.class);

        assertThat(service.getSpec().getClusterIP()).isEqualTo("None");
        assertThat(statefulSet.getSpec().getServiceName()).isEqualTo(service.getMetadata().getName());
        Map<String, String> podLabels = statefulSet.getSpec().getTemplate().getMetadata().getLabels();
        assertThat(podLabels).containsAllEntriesOf(statefulSet.getSpec().getSelector().getMatchLabels())
                .containsAllEntriesOf(service.getSpec().getSelector());

        Container container = statefulSet.getSpec().getTemplate().getSpec().getContainers().get(0);
        assertThat(container.getCommand()).containsSubsequence("java", "-jar", "/app/reploid-examples.jar");
        assertThat(container.getArgs()).startsWith("service").containsSubsequence("--id", "$(HOSTNAME)").contains("--gateway");
        EnvVar hostname = container.getEnv().stream().filter(e -> e.getName().equals("HOSTNAME")).findFirst().orElseThrow();
        assertThat(hostname.getValueFrom().getFieldRef().getFieldPath()).isEqualTo("metadata.name");
    }

    @Test
    void theRoleIsBoundToTheGatewaysAccount() throws IOException {
        List<HasMetadata> objects = load("rbac.yaml");
        ServiceAccount account = only(objects, ServiceAccount.class);
        Role role = only(objects, Role.class);
        RoleBinding binding = only(objects, RoleBinding.class);

        assertThat(binding.getRoleRef().getKind()).isEqualTo("Role");
        assertThat(binding.getRoleRef().getName()).isEqualTo(role.getMetadata().getName());
        assertThat(binding.getSubjects()).singleElement().satisfies(subject -> {
            assertThat(subject.getKind()).isEqualTo("ServiceAccount");
            assertThat(subject.getName()).isEqualTo(account.getMetadata().getName());
            assertThat(subject.getNamespace()).isEqualTo(account.getMetadata().getNamespace());
        });
        assertThat(List.of(role, binding, account)).allSatisfy(o ->
                assertThat(o.getMetadata().getNamespace()).isEqualTo(MockApiServer.NAMESPACE));
    }

    /** Every request of a scale-out and a scale-in, of a StatefulSet and of a Deployment, is one the Role allows. */
    @Test
    void theRoleAllowsEveryRequestOfTheProvisioner() throws Exception {
        server.reset();
        for (HasMetadata object : load("statefulset.yaml")) {
            server.create(object);
        }
        server.createPod("game-0", "game");
        server.createPod("game-1", "game");
        server.createDeployment("web", 1);
        server.createPod("web-7d4b9c-a1b2c", "web");
        server.takeRequests();

        try (KubernetesProvisioner game = KubernetesProvisioner.parse("games/StatefulSet/game", server.client)
                .refreshInterval(Duration.ofHours(1)).build();
             KubernetesProvisioner web = KubernetesProvisioner.parse("games/Deployment/web", server.client)
                     .refreshInterval(Duration.ofHours(1)).build()) {
            assertThat(join(game.scaleOut(1))).containsExactly("game-2");
            join(game.remove("game-2"));
            join(game.refresh());
            assertThat(game.managed()).containsExactly("game-0", "game-1");
            join(web.scaleOut(1));
            join(web.remove("web-7d4b9c-a1b2c"));
        }

        List<RecordedRequest> requests = server.takeRequests();
        Role role = only(load("rbac.yaml"), Role.class);
        assertThat(requests).isNotEmpty().allSatisfy(request -> {
            ApiRequest api = ApiRequest.of(request);
            assertThat(role.getRules()).as("a rule for %s", api).anyMatch(api::isAllowedBy);
        });
        assertThat(requests).extracting(r -> ApiRequest.of(r).toString()).contains(
                "get apps/statefulsets", "update apps/statefulsets", "list /pods",
                "get apps/deployments", "update apps/deployments", "patch /pods");
    }

    /** The verb, API group and resource an RBAC rule is checked against, from a recorded request. */
    private record ApiRequest(String verb, String group, String resource) {
        static ApiRequest of(RecordedRequest request) {
            URI uri = URI.create(request.getPath());
            String[] path = uri.getPath().substring(1).split("/");
            // /api/v1/namespaces/NS/RESOURCE[/NAME[/SUB]] or /apis/GROUP/VERSION/namespaces/NS/RESOURCE[/NAME[/SUB]]
            int at = path[0].equals("api") ? 2 : 3;
            String group = path[0].equals("api") ? "" : path[1];
            assertThat(path[at]).isEqualTo("namespaces");
            String resource = path[at + 2] + (path.length > at + 4 ? "/" + path[at + 4] : "");
            boolean named = path.length > at + 3;
            boolean watch = uri.getQuery() != null && uri.getQuery().contains("watch=true");
            String verb = switch (request.getMethod()) {
                case "GET" -> watch ? "watch" : named ? "get" : "list";
                case "PUT" -> "update";
                case "PATCH" -> "patch";
                case "POST" -> "create";
                case "DELETE" -> named ? "delete" : "deletecollection";
                default -> request.getMethod();
            };
            return new ApiRequest(verb, group, resource);
        }

        boolean isAllowedBy(PolicyRule rule) {
            return rule.getApiGroups().contains(group) && rule.getResources().contains(resource) && rule.getVerbs().contains(verb);
        }

        @Override
        public String toString() {
            return verb + " " + group + "/" + resource;
        }
    }
}
