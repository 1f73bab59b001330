package io.reploid.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the packaged jar as real processes on loopback: a gateway, two services, the client a few times
 * and a verified load run. Every process is stopped at the end, whatever happened.
 */
class JarSmokeIT {
    private static final Duration STARTUP = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    private final List<Process> processes = new ArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private Path jar;
    private int clientPort;
    private int servicePort;
    private int adminPort;

    @BeforeEach
    void findJarAndPorts() throws IOException {
        String property = System.getProperty("reploid.examples.jar");
        assertThat(property).as("system property reploid.examples.jar").isNotNull();
        jar = Paths.get(property);
        assertThat(jar).exists();
        int[] ports = freePorts(3);
        clientPort = ports[0];
        servicePort = ports[1];
        adminPort = ports[2];
    }

    @AfterEach
    void stopEverything() throws InterruptedException {
        for (Process p : processes) {
            p.destroy();
        }
        for (Process p : processes) {
            if (!p.waitFor(15, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                p.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void gatewayServicesClientAndLoadAsSeparateProcesses() throws Exception {
        start("gateway", "gateway", "--host", "127.0.0.1", "--client-port", str(clientPort),
                "--service-port", str(servicePort), "--admin-port", str(adminPort), "--id", "smoke-gw",
                "--pin-recovery-ms", "0", "--max-cpu", "-1"); // a busy build machine must not make instances full
        start("svc-1", "service", "--gateway", "127.0.0.1:" + servicePort, "--id", "svc-1", "--capacity", "100");
        start("svc-2", "service", "--gateway", "127.0.0.1:" + servicePort, "--id", "svc-2", "--capacity", "100");

        await().atMost(STARTUP).pollInterval(Duration.ofMillis(250)).ignoreExceptions()
                .until(() -> healthyInstances() == 2);
        assertThat(Files.readString(dir.resolve("gateway.out")))
                .contains("Admin: http://127.0.0.1:" + adminPort + "/");

        String gateway = "127.0.0.1:" + clientPort;
        Result first = run("client", "--gateway", gateway, "--id", "smoke-client", "incr", "k");
        Result second = run("client", "--gateway", gateway, "--id", "smoke-client", "incr", "k");
        Result whoami = run("client", "--gateway", gateway, "--id", "smoke-client", "whoami");
        Result bad = run("client", "--gateway", gateway, "--id", "smoke-client", "nonsense");

        assertThat(first.exitCode).as(first.err).isZero();
        JsonNode a = TestService.JSON.readTree(first.lastLine());
        JsonNode b = TestService.JSON.readTree(second.lastLine());
        JsonNode w = TestService.JSON.readTree(whoami.lastLine());
        assertThat(a.get("ok").booleanValue()).isTrue();
        assertThat(a.get("value").longValue()).isEqualTo(1);
        assertThat(b.get("value").longValue()).isEqualTo(2);
        assertThat(b.get("instance").textValue()).isEqualTo(a.get("instance").textValue()).startsWith("svc-");
        assertThat(whoami.exitCode).isZero();
        assertThat(w.get("instance")).isEqualTo(a.get("instance"));
        assertThat(bad.exitCode).isEqualTo(1);
        assertThat(TestService.JSON.readTree(bad.lastLine()).get("ok").booleanValue()).isFalse();

        Result load = run("load", "--gateway", gateway, "--clients", "4", "--duration", "2", "--verify");
        assertThat(load.exitCode).as(load.err).isZero();
        JsonNode summary = TestService.JSON.readTree(load.lastLine());
        assertThat(summary.get("requests").longValue()).isPositive();
        assertThat(summary.get("lost").longValue()).isZero();
        assertThat(summary.get("duplicated").longValue()).isZero();
        assertThat(summary.has("throughput") && summary.has("p50Ms") && summary.has("p99Ms")
                && summary.has("p999Ms") && summary.has("errors")).isTrue();
    }

    private int healthyInstances() throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + adminPort + "/api/cluster")).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
        int healthy = 0;
        for (JsonNode i : TestService.JSON.readTree(response.body()).path("instances")) {
            if (i.path("state").asText().equals("healthy")) {
                healthy++;
            }
        }
        return healthy;
    }

    /** Starts a long-running command, its output going to {@code name.out} and {@code name.err}. */
    private void start(String name, String... args) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command(args))
                .redirectOutput(dir.resolve(name + ".out").toFile())
                .redirectError(dir.resolve(name + ".err").toFile());
        processes.add(pb.start());
    }

    private record Result(int exitCode, String out, String err) {
        String lastLine() {
            List<String> lines = out.lines().toList();
            return lines.isEmpty() ? "" : lines.get(lines.size() - 1);
        }
    }

    /** Runs a command to its end (at most two minutes). */
    private Result run(String... args) throws IOException, InterruptedException {
        Path out = Files.createTempFile(dir, "run", ".out");
        Path err = Files.createTempFile(dir, "run", ".err");
        Process p = new ProcessBuilder(command(args)).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        processes.add(p);
        assertThat(p.waitFor(2, TimeUnit.MINUTES)).as("%s finished", List.of(args)).isTrue();
        return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }

    private List<String> command(String... args) {
        List<String> command = new ArrayList<>();
        command.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx256m");
        command.add("-jar");
        command.add(jar.toString());
        command.addAll(List.of(args));
        return command;
    }

    private static int[] freePorts(int n) throws IOException {
        ServerSocket[] sockets = new ServerSocket[n];
        int[] ports = new int[n];
        try {
            for (int i = 0; i < n; i++) {
                sockets[i] = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
                ports[i] = sockets[i].getLocalPort();
            }
        } finally {
            for (ServerSocket s : sockets) {
                if (s != null) {
                    s.close();
                }
            }
        }
        return ports;
    }

    private static String str(int port) {
        return Integer.toString(port);
    }
}
