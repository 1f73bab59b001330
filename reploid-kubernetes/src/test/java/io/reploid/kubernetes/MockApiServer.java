package io.reploid.kubernetes;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * fabric8's mock API server in CRUD mode on loopback: it stores, versions and selects objects like an API
 * server, but runs no controllers, so tests create and delete the pods a controller would. One per test
 * class; {@link #reset()} empties it.
 */
final class MockApiServer implements AutoCloseable {
    static final String NAMESPACE = "games";
    /** The mock logs every request through java.util.logging at INFO; held here so the setting is not collected. */
    private static final Logger MOCK_LOG = Logger.getLogger("io.fabric8.mockwebserver");

    static {
        MOCK_LOG.setLevel(Level.WARNING);
    }

    private final KubernetesMockServer server;
    private final List<KubernetesClient> clients = new ArrayList<>();
    final KubernetesClient client;

    MockApiServer() {
        server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
                new KubernetesCrudDispatcher(), false);
        server.init(InetAddress.getLoopbackAddress(), 0);
        client = newClient(builder -> { });
    }

    /** Another client of this server, closed with it; {@code customizer} can add interceptors. */
    KubernetesClient newClient(Consumer<KubernetesClientBuilder> customizer) {
        KubernetesClient created = server.createClient(customizer);
        clients.add(created);
        return created;
    }

    /** Forgets every object and every recorded request. */
    void reset() throws InterruptedException {
        server.reset();
        while (server.takeRequest(1, TimeUnit.MILLISECONDS) != null) {
            // drop what earlier tests sent
        }
    }

    /** The requests received since the last call (or reset), oldest first. */
    List<RecordedRequest> takeRequests() throws InterruptedException {
        List<RecordedRequest> requests = new ArrayList<>();
        for (RecordedRequest r; (r = server.takeRequest(1, TimeUnit.MILLISECONDS)) != null; ) {
            requests.add(r);
        }
        return requests;
    }

    StatefulSet createStatefulSet(String name, int replicas) {
        return create(new StatefulSetBuilder()
                .withNewMetadata().withNamespace(NAMESPACE).withName(name).endMetadata()
                .withNewSpec().withReplicas(replicas).withServiceName(name)
                .withNewSelector().addToMatchLabels("app", name).endSelector()
                .withNewTemplate().withNewMetadata().addToLabels("app", name).endMetadata()
                .withNewSpec().addNewContainer().withName("service").withImage("reploid-examples").endContainer().endSpec()
                .endTemplate()
                .endSpec().build());
    }

    Deployment createDeployment(String name, int replicas) {
        return create(new DeploymentBuilder()
                .withNewMetadata().withNamespace(NAMESPACE).withName(name).endMetadata()
                .withNewSpec().withReplicas(replicas)
                .withNewSelector().addToMatchLabels("app", name).endSelector()
                .withNewTemplate().withNewMetadata().addToLabels("app", name).endMetadata()
                .withNewSpec().addNewContainer().withName("service").withImage("reploid-examples").endContainer().endSpec()
                .endTemplate()
                .endSpec().build());
    }

    /** What the workload's controller would do: a pod with the template's labels. */
    Pod createPod(String name, String app) {
        return create(new PodBuilder()
                .withNewMetadata().withNamespace(NAMESPACE).withName(name).withLabels(Map.of("app", app)).endMetadata()
                .withNewSpec().addNewContainer().withName("service").withImage("reploid-examples").endContainer().endSpec()
                .build());
    }

    <T extends HasMetadata> T create(T object) {
        return client.resource(object).create();
    }

    int statefulSetReplicas(String name) {
        return client.apps().statefulSets().inNamespace(NAMESPACE).withName(name).get().getSpec().getReplicas();
    }

    int deploymentReplicas(String name) {
        return client.apps().deployments().inNamespace(NAMESPACE).withName(name).get().getSpec().getReplicas();
    }

    Map<String, String> podAnnotations(String name) {
        Map<String, String> annotations = client.pods().inNamespace(NAMESPACE).withName(name).get().getMetadata().getAnnotations();
        return annotations == null ? Map.of() : annotations;
    }

    @Override
    public void close() {
        clients.forEach(KubernetesClient::close);
        server.destroy();
    }
}
