package io.reploid.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged jar as a gateway that autoscales with {@code --provisioner process}: it starts its instances
 * as processes of the same jar, and stops them when it stops.
 */
class ProcessAutoscaleIT {
    private static final Duration PATIENCE = Duration.ofSeconds(90);

    @TempDir
    Path dir;

    @Test
    void theGatewayStartsInstanceProcessesAndStopsThemWhenItStops() throws Exception {
        Path jar = Paths.get(System.getProperty("reploid.examples.jar"));
        Path logs = dir.resolve("instances");
        try (ProcessCluster cluster = new ProcessCluster(jar, dir, List.of("-Xmx256m"))) {
            Process gateway = cluster.startGateway("--autoscale", "min=2,max=3", "--provisioner", "process",
                    "--autoscale-interval-ms", "500", "--instance-capacity", "100", "--instance-logs", logs.toString());
            await().atMost(PATIENCE).pollInterval(Duration.ofMillis(250)).ignoreExceptions()
                    .until(() -> cluster.healthyInstances() == 2);
            List<String> ids = new ArrayList<>();
            for (JsonNode i : cluster.instances()) {
                ids.add(i.path("id").asText());
            }
            assertThat(ids).containsExactly("auto-1", "auto-2");
            assertThat(cluster.admin("/api/autoscaler").path("provisioner").asText()).isEqualTo("process");
            assertThat(logs.resolve("auto-1.out")).exists();
            await().atMost(PATIENCE).until(() -> Files.readString(logs.resolve("auto-1.out")).contains("registered"));
            List<ProcessHandle> children = gateway.children().toList();
            assertThat(children).hasSize(2);

            gateway.destroy(); // SIGTERM: the gateway closes, and its provisioner stops the instances
            assertThat(gateway.waitFor(60, TimeUnit.SECONDS)).isTrue();
            await().atMost(PATIENCE).until(() -> children.stream().noneMatch(ProcessHandle::isAlive));
            assertThat(cluster.out("gateway")).contains("Autoscaling: min=2,max=3 through process");
        }
    }
}
