package io.reploid.examples;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Starts {@link TestService} instances as operating-system processes of the examples jar,
 * {@code java -jar reploid-examples.jar service --gateway ... --id auto-N ...}, with the java binary of this
 * JVM; each one's output goes to {@code auto-N.out} and {@code auto-N.err} in a log directory.
 * {@link #remove} stops one with SIGTERM, then SIGKILL when it has not exited after the stop timeout;
 * {@link #close()} stops them all that way.
 *
 * <p>Thread-safe. Starting and stopping processes run on the provisioner's own threads.
 */
final class LocalProcessProvisioner implements LocalProvisioner {
    private final Path jar;
    private final Path logs;
    private final List<String> jvmOptions;
    private final List<String> serviceOptions;
    private final Duration stopTimeout;
    private final Gateways gateways = new Gateways();
    private final AtomicInteger next = new AtomicInteger();
    private final Map<String, Process> processes = new ConcurrentSkipListMap<>();
    private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "process-provisioner");
        t.setDaemon(true);
        return t;
    });
    private boolean closed; // guarded by processes

    /**
     * @param jar            the examples jar the processes run
     * @param logs           where their output goes; created if missing
     * @param jvmOptions     options of every process's JVM, such as {@code -Xmx256m}
     * @param serviceOptions options of the {@code service} command after {@code --gateway} and {@code --id},
     *                       such as {@code --capacity 100}
     * @param stopTimeout    how long a process may take to exit after SIGTERM before it gets SIGKILL
     */
    LocalProcessProvisioner(Path jar, Path logs, List<String> jvmOptions, List<String> serviceOptions,
                            Duration stopTimeout) throws IOException {
        this.jar = requireNonNull(jar, "jar");
        this.logs = Files.createDirectories(requireNonNull(logs, "logs"));
        this.jvmOptions = List.copyOf(jvmOptions);
        this.serviceOptions = List.copyOf(serviceOptions);
        this.stopTimeout = requireNonNull(stopTimeout, "stopTimeout");
    }

    /** The java binary this JVM runs on. */
    static String javaBinary() {
        return ProcessHandle.current().info().command()
                .orElseGet(() -> Paths.get(System.getProperty("java.home"), "bin", "java").toString());
    }

    /** The directory of the processes' output files. */
    Path logs() {
        return logs;
    }

    @Override
    public void connectTo(String serviceAddresses) {
        gateways.set(serviceAddresses);
    }

    @Override
    public String name() {
        return "process";
    }

    @Override
    public CompletionStage<List<String>> scaleOut(int count) {
        return gateways.get().thenApplyAsync(addresses -> {
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                String id = "auto-" + next.incrementAndGet();
                synchronized (processes) {
                    if (closed) {
                        throw new IllegalStateException("the provisioner is closed");
                    }
                    processes.put(id, start(id, addresses));
                }
                ids.add(id);
            }
            return List.copyOf(ids);
        }, executor);
    }

    private Process start(String id, String addresses) {
        List<String> command = new ArrayList<>();
        command.add(javaBinary());
        command.addAll(jvmOptions);
        command.addAll(List.of("-jar", jar.toString(), "service", "--gateway", addresses, "--id", id));
        command.addAll(serviceOptions);
        try {
            return new ProcessBuilder(command)
                    .redirectOutput(logs.resolve(id + ".out").toFile())
                    .redirectError(logs.resolve(id + ".err").toFile())
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + String.join(" ", command) + ": " + e.getMessage(), e);
        }
    }

    @Override
    public CompletionStage<Void> remove(String instanceId) {
        return CompletableFuture.runAsync(() -> {
            Process p = processes.remove(instanceId);
            if (p != null) {
                stop(p);
            }
        }, executor);
    }

    /** SIGTERM, then SIGKILL after the stop timeout. */
    private void stop(Process p) {
        p.destroy();
        try {
            if (!p.waitFor(stopTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                p.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    /** The processes started and not removed that still run. */
    @Override
    public List<String> managed() {
        List<String> out = new ArrayList<>();
        processes.forEach((id, p) -> {
            if (p.isAlive()) {
                out.add(id);
            }
        });
        return out;
    }

    @Override
    public void close() {
        List<Process> all;
        synchronized (processes) {
            closed = true;
            all = new ArrayList<>(processes.values());
            processes.clear();
        }
        all.forEach(Process::destroy);
        List<CompletableFuture<Void>> stops = new ArrayList<>();
        for (Process p : all) {
            stops.add(CompletableFuture.runAsync(() -> stop(p), executor));
        }
        CompletableFuture.allOf(stops.toArray(CompletableFuture[]::new)).orTimeout(
                stopTimeout.toMillis() + 15_000, TimeUnit.MILLISECONDS).exceptionally(e -> null).join();
        executor.shutdown();
    }

    @Override
    public String toString() {
        return "process (" + jar + ", logs in " + logs + ")";
    }
}
