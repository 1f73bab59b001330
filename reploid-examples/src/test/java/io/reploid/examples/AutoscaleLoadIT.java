package io.reploid.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged jar, end to end: a gateway autoscales service processes ({@code --provisioner process})
 * while {@code load --verify} runs. A burst of other clients makes the cluster scale out; when the burst
 * ends (its pins expire), the cluster scales in, draining its victims by live migration while the verified
 * clients keep sending: no request of theirs may fail, and no increment may be lost or applied twice.
 */
class AutoscaleLoadIT {
    private static final Duration PATIENCE = Duration.ofSeconds(120);

    @TempDir
    Path dir;

    @Test
    void scaleOutThenScaleInUnderVerifiedLoadLosesNothing() throws Exception {
        Path jar = Paths.get(System.getProperty("reploid.examples.jar"));
        try (ProcessCluster cluster = new ProcessCluster(jar, dir, List.of("-Xmx256m"))) {
            cluster.startGateway("--autoscale", "min=1,max=4,target=0.5,down-window=3s,cooldown=1s",
                    "--provisioner", "process", "--autoscale-interval-ms", "500", "--instance-capacity", "40",
                    "--instance-logs", dir.resolve("instances").toString(),
                    "--pin-idle-timeout-s", "2", "--balancer", "round-robin");
            await().atMost(PATIENCE).pollInterval(Duration.ofMillis(250)).ignoreExceptions()
                    .until(() -> cluster.healthyInstances() == 1);

            // A burst takes 25 of 40 places, over the 0.5 target: a second instance starts.
            cluster.startLoad("burst", List.of("--clients", "25", "--duration", "30", "--id-prefix", "burst"));
            await().atMost(PATIENCE).pollInterval(Duration.ofMillis(250)).ignoreExceptions()
                    .until(() -> serving(cluster) >= 2);
            // The verified clients spread over both instances (round-robin), so the victim of the scale-in holds
            // some of them and moves them by live migration while they send.
            cluster.startLoad("steady", List.of("--clients", "10", "--duration", "60", "--verify",
                    "--id-prefix", "steady"));
            await().atMost(PATIENCE).pollInterval(Duration.ofMillis(50)).ignoreExceptions()
                    .until(() -> cluster.err("steady").contains(" connected to "));
            // The burst ends; its pins expire; the autoscaler drains and removes instances under the steady load.
            await().atMost(PATIENCE).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                    .until(() -> removed(cluster) >= 1);

            Process steady = cluster.process("steady");
            assertThat(steady.waitFor(3, TimeUnit.MINUTES)).as("steady load finished").isTrue();
            String last = cluster.lastLine("steady");
            assertThat(last).as("steady load's output\n%s\n%s", cluster.out("steady"), cluster.err("steady"))
                    .startsWith("{");
            JsonNode result = TestService.JSON.readTree(last);
            System.out.printf("AutoscaleLoadIT: %s%nscaling events: %s%n", last, scalingEvents(cluster));
            assertThat(result.get("errors").longValue()).as("failed requests\n%s", cluster.err("steady")).isZero();
            assertThat(result.get("lost").longValue()).as("lost increments").isZero();
            assertThat(result.get("duplicated").longValue()).as("duplicated increments").isZero();
            assertThat(result.get("requests").longValue()).isPositive();
            assertThat(steady.exitValue()).as(cluster.err("steady")).isZero();
            String events = scalingEvents(cluster);
            assertThat(events).as("the victim held verified clients that moved").contains("scale-in")
                    .doesNotContainPattern("draining auto-\\d+ \\(0 clients\\)");
        }
    }

    /** Instances that serve their clients (healthy, or full). */
    private static long serving(ProcessCluster cluster) throws Exception {
        return cluster.instances().stream().map(i -> i.path("state").asText())
                .filter(s -> s.equals("healthy") || s.equals("full")).count();
    }

    private static long removed(ProcessCluster cluster) throws Exception {
        long n = 0;
        for (JsonNode e : cluster.admin("/api/events").path("events")) {
            if (e.path("type").asText().equals("removed") && e.path("message").asText().contains("process removed it")) {
                n++;
            }
        }
        return n;
    }

    private static String scalingEvents(ProcessCluster cluster) throws Exception {
        StringBuilder out = new StringBuilder();
        for (JsonNode e : cluster.admin("/api/events").path("events")) {
            String type = e.path("type").asText();
            if (type.startsWith("scale") || type.equals("removing") || type.equals("removed")) {
                out.append("\n  ").append(type).append(' ').append(e.path("instance").asText()).append(": ")
                        .append(e.path("message").asText());
            }
        }
        return out.toString();
    }
}
