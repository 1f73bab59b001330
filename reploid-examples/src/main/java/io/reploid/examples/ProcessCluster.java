package io.reploid.examples;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
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
 * Processes of the examples jar on 127.0.0.1: one gateway, service instances and load runs, each started
 * with this JVM's {@code java} and its output in {@code NAME.out} and {@code NAME.err} of a log directory;
 * the gateway's admin API read over HTTP; and the faults of a real cluster: {@link #kill} (SIGKILL, as
 * {@code kill -9}) and {@link #pause}/{@link #resume} ({@code kill -STOP}/{@code -CONT}, a hung process or a
 * machine cut off: no FIN, just silence). {@link #close()} stops every process started here (SIGTERM, then
 * SIGKILL), whatever happened. Used by {@code failover-bench} and the failover integration test.
 *
 * <p>Not thread-safe: one thread drives it.
 */
final class ProcessCluster implements AutoCloseable {
    private static final Duration HTTP_TIMEOUT = Duration.ofSeconds(5);

    private final Path jar;
    private final Path logs;
    private final List<String> jvmOptions;
    private final int clientPort;
    private final int servicePort;
    private final int adminPort;
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
        int[] ports = freePorts(3);
        this.clientPort = ports[0];
        this.servicePort = ports[1];
        this.adminPort = ports[2];
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

    /** The gateway's client port, as {@code host:port}. */
    String clientAddress() {
        return "127.0.0.1:" + clientPort;
    }

    /**
     * Starts the gateway on loopback: recovery window off, and no CPU or heap limit, since every process
     * shares this machine's CPU.
     */
    Process startGateway(String... options) throws IOException {
        List<String> args = new ArrayList<>(List.of("gateway", "--host", "127.0.0.1",
                "--client-port", Integer.toString(clientPort), "--service-port", Integer.toString(servicePort),
                "--admin-port", Integer.toString(adminPort), "--pin-recovery-ms", "0", "--max-cpu", "-1",
                "--max-heap", "-1"));
        args.addAll(List.of(options));
        return start("gateway", args);
    }

    /** Starts a service instance {@code id} registered with the gateway. */
    Process startService(String id, List<String> options) throws IOException {
        List<String> args = new ArrayList<>(List.of("service", "--gateway", "127.0.0.1:" + servicePort, "--id", id));
        args.addAll(options);
        return start(id, args);
    }

    /** Starts {@code load} against the gateway; {@code name} names its output files. */
    Process startLoad(String name, List<String> options) throws IOException {
        List<String> args = new ArrayList<>(List.of("load", "--gateway", clientAddress()));
        args.addAll(options);
        return start(name, args);
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

    /** {@code GET path} on the gateway's admin port, as JSON. */
    JsonNode admin(String path) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + adminPort + path)).timeout(HTTP_TIMEOUT).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException("GET " + path + ": HTTP " + response.statusCode() + " " + response.body());
        }
        return TestService.JSON.readTree(response.body());
    }

    /** The instances the gateway lists. */
    List<JsonNode> instances() throws IOException, InterruptedException {
        List<JsonNode> out = new ArrayList<>();
        admin("/api/cluster").path("instances").forEach(out::add);
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

    /** Instances in state {@code healthy}. */
    int healthyInstances() throws IOException, InterruptedException {
        return (int) instances().stream().filter(i -> i.path("state").asText().equals("healthy")).count();
    }

    /** Requests the gateway forwarded to instances so far. */
    long requestsForwarded() throws IOException, InterruptedException {
        return instances().stream().mapToLong(i -> i.path("requests").path("total").asLong()).sum();
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
