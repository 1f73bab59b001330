package io.reploid.examples;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Processes of the examples jar on 127.0.0.1: gateways (the first one named {@value #FIRST_GATEWAY}, more
 * with {@link #startGateway(String, List)}), service instances registered with the first gateway, and load
 * runs against every gateway, each started with this JVM's {@code java} and its output in {@code NAME.out}
 * and {@code NAME.err} of a log directory; the gateways' admin APIs read over HTTP; and the faults of a real
 * cluster: {@link #kill} (SIGKILL, as {@code kill -9}) and {@link #pause}/{@link #resume}
 * ({@code kill -STOP}/{@code -CONT}, a hung process or a machine cut off: no FIN, just silence).
 * {@link #close()} stops every process started here (SIGTERM, then SIGKILL), whatever happened. Used by
 * {@code failover-bench} and the integration tests.
 *
 * <p>Not thread-safe: one thread drives it.
 */
final class ProcessCluster implements AutoCloseable {
    /** The name of the first gateway, the one instances register with and the admin API is read from. */
    static final String FIRST_GATEWAY = "gateway";
    private static final Duration HTTP_TIMEOUT = Duration.ofSeconds(5);

    private final Path jar;
    private final Path logs;
    private final List<String> jvmOptions;
    private final Map<String, GatewayPorts> gateways = new LinkedHashMap<>();
    private final Map<String, Process> byName = new LinkedHashMap<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    /**
     * @param jar        the examples jar
     * @param logs       where each process's output goes
     * @param jvmOptions options for every process's JVM, such as {@code -Xmx256m}
     */
    ProcessCluster(Path jar, Path logs, List<String> jvmOptions) throws IOException {
        this.jar = jar;
        this.logs = Files.createDirectories(logs);
        this.jvmOptions = List.copyOf(jvmOptions);
        gatewayPorts(FIRST_GATEWAY);
    }

    /** The loopback ports of one gateway process, chosen before it starts. */
    private record GatewayPorts(int client, int service, int admin) {
    }

    /** The jar this class was loaded from. */
    static Path thisJar() {
        try {
            Path p = Paths.get(ProcessCluster.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            if (!p.toString().endsWith(".jar")) {
                throw new IllegalStateException("not run from the examples jar (" + p
                        + "; expected: java -jar reploid-examples.jar ...)");
            }
            return p;
        } catch (URISyntaxException e) {
            throw new IllegalStateException("cannot locate the examples jar", e);
        }
    }

    /** The first gateway's client port, as {@code host:port}. */
    String clientAddress() {
        return clientAddress(FIRST_GATEWAY);
    }

    /** A gateway's client port, as {@code host:port}. */
    String clientAddress(String gateway) {
        return "127.0.0.1:" + gatewayPorts(gateway).client();
    }

    /** A gateway's service port (where instances and other gateways connect), as {@code host:port}. */
    String serviceAddress(String gateway) {
        return "127.0.0.1:" + gatewayPorts(gateway).service();
    }

    /** The client ports of every gateway named so far, in the order they were named, comma-separated. */
    String clientAddresses() {
        return String.join(",", gateways.keySet().stream().map(this::clientAddress).toList());
    }

    /**
     * Starts the first gateway on loopback, with id {@value #FIRST_GATEWAY}: recovery window off, and no CPU or
     * heap limit, since every process shares this machine's CPU.
     */
    Process startGateway(String... options) throws IOException {
        return startGateway(FIRST_GATEWAY, List.of(options));
    }

    /**
     * Starts a gateway named {@code name} on loopback with ports of its own (chosen when the name is first
     * used) and {@code --id NAME}, as {@link #startGateway(String...)} does; {@code options} add to those, for
     * example {@code --peers} with another gateway's {@link #serviceAddress(String)}.
     */
    Process startGateway(String name, List<String> options) throws IOException {
        GatewayPorts ports = gatewayPorts(name);
        List<String> args = new ArrayList<>(List.of("gateway", "--host", "127.0.0.1", "--id", name,
                "--client-port", Integer.toString(ports.client()), "--service-port", Integer.toString(ports.service()),
                "--admin-port", Integer.toString(ports.admin()), "--pin-recovery-ms", "0", "--max-cpu", "-1",
                "--max-heap", "-1"));
        args.addAll(options);
        return start(name, args);
    }

    /** Starts a service instance {@code id} registered with the first gateway (it learns the others from it). */
    Process startService(String id, List<String> options) throws IOException {
        List<String> args = new ArrayList<>(List.of("service", "--gateway", serviceAddress(FIRST_GATEWAY),
                "--id", id));
        args.addAll(options);
        return start(id, args);
    }

    /**
     * Starts {@code load} against every gateway named so far ({@link #clientAddresses()}); {@code name} names
     * its output files.
     */
    Process startLoad(String name, List<String> options) throws IOException {
        List<String> args = new ArrayList<>(List.of("load", "--gateway", clientAddresses()));
        args.addAll(options);
        return start(name, args);
    }

    private GatewayPorts gatewayPorts(String name) {
        return gateways.computeIfAbsent(name, n -> {
            try {
                int[] ports = freePorts(3);
                return new GatewayPorts(ports[0], ports[1], ports[2]);
            } catch (IOException e) {
                throw new UncheckedIOException("no free loopback ports", e);
            }
        });
    }

    private Process start(String name, List<String> args) throws IOException {
        if (byName.containsKey(name)) {
            throw new IllegalArgumentException("a process named " + name + " was started already");
        }
        List<String> command = new ArrayList<>();
        command.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.add("-jar");
        command.add(jar.toString());
        command.addAll(args);
        Process p = new ProcessBuilder(command)
                .redirectOutput(logs.resolve(name + ".out").toFile())
                .redirectError(logs.resolve(name + ".err").toFile())
                .start();
        byName.put(name, p);
        return p;
    }

    /** What a process wrote to stdout. */
    String out(String name) throws IOException {
        return Files.readString(logs.resolve(name + ".out"), StandardCharsets.UTF_8);
    }

    /** What a process wrote to stderr (its log). */
    String err(String name) throws IOException {
        return Files.readString(logs.resolve(name + ".err"), StandardCharsets.UTF_8);
    }

    /** The last line a process wrote to stdout; empty when none. */
    String lastLine(String name) throws IOException {
        List<String> lines = out(name).lines().toList();
        return lines.isEmpty() ? "" : lines.get(lines.size() - 1);
    }

    // ------------------------------------------------------------------ faults

    /** Kills a process with SIGKILL (as {@code kill -9}). */
    void kill(String name) throws InterruptedException {
        Process p = process(name);
        p.destroyForcibly();
        p.waitFor(10, TimeUnit.SECONDS);
    }

    /** Stops a process with SIGSTOP: it keeps its sockets open and does nothing. */
    void pause(String name) throws IOException, InterruptedException {
        signal(name, "-STOP");
    }

    /** Lets a {@link #pause paused} process run again (SIGCONT). */
    void resume(String name) throws IOException, InterruptedException {
        signal(name, "-CONT");
    }

    private void signal(String name, String signal) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", signal, Long.toString(process(name).pid()))
                .redirectErrorStream(true).start();
        if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
            throw new IOException("kill " + signal + " " + name + " failed: "
                    + new String(kill.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    Process process(String name) {
        Process p = byName.get(name);
        if (p == null) {
            throw new IllegalArgumentException("no process named " + name);
        }
        return p;
    }

    // ------------------------------------------------------------------ admin API

    /** {@code GET path} on the first gateway's admin port, as JSON. */
    JsonNode admin(String path) throws IOException, InterruptedException {
        return admin(FIRST_GATEWAY, path);
    }

    /** {@code GET path} on a gateway's admin port, as JSON. */
    JsonNode admin(String gateway, String path) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + gatewayPorts(gateway).admin() + path)).timeout(HTTP_TIMEOUT).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException("GET " + path + ": HTTP " + response.statusCode() + " " + response.body());
        }
        return TestService.JSON.readTree(response.body());
    }

    /** The instances the first gateway lists. */
    List<JsonNode> instances() throws IOException, InterruptedException {
        return instances(FIRST_GATEWAY);
    }

    /** The instances a gateway lists. */
    List<JsonNode> instances(String gateway) throws IOException, InterruptedException {
        List<JsonNode> out = new ArrayList<>();
        admin(gateway, "/api/cluster").path("instances").forEach(out::add);
        return out;
    }

    /** An instance's state at the gateway ({@code healthy}, {@code suspect}, {@code dead}, ...), or {@code null}. */
    String state(String id) throws IOException, InterruptedException {
        for (JsonNode i : instances()) {
            if (i.path("id").asText().equals(id)) {
                return i.path("state").asText();
            }
        }
        return null;
    }

    /** Instances in state {@code healthy} at the first gateway. */
    int healthyInstances() throws IOException, InterruptedException {
        return healthyInstances(FIRST_GATEWAY);
    }

    /** Instances in state {@code healthy} at a gateway. */
    int healthyInstances(String gateway) throws IOException, InterruptedException {
        return (int) instances(gateway).stream().filter(i -> i.path("state").asText().equals("healthy")).count();
    }

    /** Requests the first gateway forwarded to instances so far. */
    long requestsForwarded() throws IOException, InterruptedException {
        return requestsForwarded(FIRST_GATEWAY);
    }

    /** Requests a gateway forwarded to instances so far. */
    long requestsForwarded(String gateway) throws IOException, InterruptedException {
        return instances(gateway).stream().mapToLong(i -> i.path("requests").path("total").asLong()).sum();
    }

    /** The live instance with the most clients. */
    String busiestInstance() throws IOException, InterruptedException {
        JsonNode best = null;
        for (JsonNode i : instances()) {
            if (!i.path("state").asText().equals("dead")
                    && (best == null || i.path("clients").asInt() > best.path("clients").asInt())) {
                best = i;
            }
        }
        if (best == null) {
            throw new IllegalStateException("no live instance");
        }
        return best.path("id").asText();
    }

    /** The clients pinned to an instance. */
    int clientsOf(String id) throws IOException, InterruptedException {
        for (JsonNode i : instances()) {
            if (i.path("id").asText().equals(id)) {
                return i.path("clients").asInt();
            }
        }
        return 0;
    }

    /** The gateway's events after sequence number {@code after}, oldest first. */
    List<JsonNode> events(long after) throws IOException, InterruptedException {
        List<JsonNode> out = new ArrayList<>();
        admin("/api/events?after=" + after).path("events").forEach(out::add);
        return out;
    }

    /** The sequence number of the gateway's latest event. */
    long lastEvent() throws IOException, InterruptedException {
        return admin("/api/events").path("last").asLong();
    }

    // ------------------------------------------------------------------ stopping

    /** Stops every process started here: SIGTERM, then SIGKILL for those still running after 10 s. */
    @Override
    public void close() {
        for (Process p : byName.values()) {
            resumeQuietly(p); // a stopped process cannot act on SIGTERM
            p.destroy();
        }
        for (Process p : byName.values()) {
            try {
                if (!p.waitFor(10, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    p.waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                p.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }

    private static void resumeQuietly(Process p) {
        if (!p.isAlive()) {
            return;
        }
        try {
            new ProcessBuilder("kill", "-CONT", Long.toString(p.pid())).start().waitFor(5, TimeUnit.SECONDS);
        } catch (IOException e) {
            // no kill command: nothing was stopped with it either
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
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
}
