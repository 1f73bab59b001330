package io.reploid.examples;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code failover-bench}: measures failover with real processes of this jar on 127.0.0.1. For each
 * persistence mode it starts a gateway and three services, runs {@code load} without faults for the
 * throughput, then a verified {@code load} during which it kills the service with the most clients
 * ({@code kill -9}) or stops it ({@code kill -STOP}, let go again once it is declared dead). It reads the
 * gateway's events for the detection time (from the fault to the {@code suspect} and {@code dead} events)
 * and the load's failover gaps for the recovery the moved clients saw, stops every process, and prints one
 * Markdown table row per mode. Benchmarks measure; they assert nothing.
 *
 * <p>Not thread-safe (one run per instance).
 */
@Command(name = "failover-bench", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Measure failure detection, failover recovery and throughput per persistence mode, "
                + "with real processes on 127.0.0.1; stops by itself.",
                "",
                "Per mode: a gateway and 3 services; load without faults (throughput); then load --verify during "
                        + "which the service with the most clients is killed (kill -9) or stopped (kill -STOP, "
                        + "continued once dead). Prints a Markdown table: throughput and its ratio to none, "
                        + "detection (fault to the gateway's suspect and dead events), recovery (longest gap "
                        + "between two answers of the clients that moved: p50, p99, and the longest of any "
                        + "client), lost and duplicated increments."})
final class FailoverBenchCommand implements Callable<Integer> {
    private static final long POLL_MILLIS = 20;

    @Spec
    CommandSpec spec;

    @Option(names = "--modes", defaultValue = "none,write-through,write-behind,replicated:1", split = ",",
            paramLabel = "MODE[,MODE...]", description = "Persistence modes to measure (default: ${DEFAULT-VALUE}).")
    List<String> modes;

    @Option(names = "--store", paramLabel = "jdbc:URL",
            description = "The store of write-through and write-behind, shared by the services: a JDBC URL such as "
                    + "jdbc:postgresql://127.0.0.1:5432/bench?user=bench&password=secret. Without it those modes are "
                    + "skipped.")
    String store;

    @Option(names = "--fault", defaultValue = "kill", paramLabel = "kill|stop",
            description = "kill: SIGKILL, the kernel closes its connections (a process crash); stop: SIGSTOP, its "
                    + "connections stay open and silent (a hung process, a lost machine) (default: ${DEFAULT-VALUE}).")
    String fault;

    @Option(names = "--clients", defaultValue = "200", paramLabel = "N",
            description = "Load clients (default: ${DEFAULT-VALUE}).")
    int clients;

    @Option(names = "--warmup", defaultValue = "10", paramLabel = "SECONDS",
            description = "Warm-up of the throughput run (default: ${DEFAULT-VALUE}).")
    int warmupSeconds;

    @Option(names = "--throughput-duration", defaultValue = "10", paramLabel = "SECONDS",
            description = "Measured time of the throughput run (default: ${DEFAULT-VALUE}).")
    int throughputSeconds;

    @Option(names = "--duration", defaultValue = "20", paramLabel = "SECONDS",
            description = "Length of the failover run (default: ${DEFAULT-VALUE}).")
    int durationSeconds;

    @Option(names = "--fault-after", defaultValue = "8", paramLabel = "SECONDS",
            description = "When the fault happens, counted from the moment the failover run's clients are "
                    + "connected (default: ${DEFAULT-VALUE}).")
    int faultAfterSeconds;

    @Option(names = "--work-dir", paramLabel = "DIR",
            description = "Where the processes' output goes, one directory per mode (default: a new temporary directory).")
    Path workDir;

    /** What one mode measured. */
    private record Row(String mode, double throughput, long suspectMillis, long deadMillis, JsonNode verify) {
    }

    @Override
    public Integer call() throws Exception {
        if (!fault.equals("kill") && !fault.equals("stop")) {
            throw new IllegalArgumentException("fault: '" + fault + "' (expected: kill or stop)");
        }
        if (faultAfterSeconds >= durationSeconds) {
            throw new IllegalArgumentException("fault-after: " + faultAfterSeconds + " (expected: < duration "
                    + durationSeconds + ")");
        }
        Path jar = ProcessCluster.thisJar();
        Path dir = workDir != null ? Files.createDirectories(workDir) : Files.createTempDirectory("failover-bench");
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        err.printf("failover-bench: %d clients, fault %s after %d s of %d s; output in %s%n", clients, fault,
                faultAfterSeconds, durationSeconds, dir);
        err.flush();
        List<Row> rows = new ArrayList<>();
        for (String mode : modes) {
            List<String> options = new ArrayList<>(List.of("--persistence", mode));
            if (mode.startsWith("write-")) {
                if (store == null) {
                    err.printf("failover-bench: %s skipped: it needs --store jdbc:URL%n", mode);
                    err.flush();
                    continue;
                }
                options.addAll(List.of("--store", store));
            }
            try (ProcessCluster cluster = new ProcessCluster(jar, dir.resolve(mode.replace(':', '-')),
                    List.of("-Xmx256m"))) {
                Row row = measure(cluster, mode, options, err);
                rows.add(row);
                err.printf("failover-bench: %s: %s%n", mode, row);
                err.flush();
            }
        }
        printTable(out, rows);
        return 0;
    }

    private Row measure(ProcessCluster cluster, String mode, List<String> options, PrintWriter err) throws Exception {
        cluster.startGateway();
        for (int i = 1; i <= 3; i++) {
            cluster.startService("svc-" + i, options);
        }
        awaitTrue("3 healthy instances", 60, () -> quietly(() -> cluster.healthyInstances() == 3));

        cluster.startLoad("throughput", List.of("--clients", Integer.toString(clients), "--warmup",
                Integer.toString(warmupSeconds), "--duration", Integer.toString(throughputSeconds)));
        JsonNode steady = finish(cluster, "throughput", warmupSeconds + throughputSeconds);

        cluster.startLoad("failover", List.of("--clients", Integer.toString(clients), "--duration",
                Integer.toString(durationSeconds), "--verify"));
        awaitTrue("load connected", 120, () -> quietly(() -> cluster.err("failover").contains(" connected to ")));
        Thread.sleep(TimeUnit.SECONDS.toMillis(faultAfterSeconds));
        String victim = cluster.busiestInstance();
        long seq = cluster.lastEvent();
        long faultAt = System.currentTimeMillis();
        if (fault.equals("kill")) {
            cluster.kill(victim);
        } else {
            cluster.pause(victim);
        }
        long[] detected = {-1, -1};
        awaitTrue(victim + " declared dead", 60, () -> quietly(() -> {
            for (JsonNode e : cluster.events(seq)) {
                if (victim.equals(e.path("instance").asText())) {
                    long at = Instant.parse(e.path("time").asText()).toEpochMilli() - faultAt;
                    if (e.path("type").asText().equals("suspect") && detected[0] < 0) {
                        detected[0] = at;
                    } else if (e.path("type").asText().equals("dead")) {
                        detected[1] = at;
                    }
                }
            }
            return detected[1] >= 0;
        }));
        if (fault.equals("stop")) {
            cluster.resume(victim); // a zombie now: it must let go of its clients
        }
        JsonNode verify = finish(cluster, "failover", durationSeconds);
        err.printf("failover-bench: %s: %s%n", mode, cluster.out("failover").lines().findFirst().orElse(""));
        return new Row(mode, steady.path("throughput").asDouble(), detected[0], detected[1], verify);
    }

    /** Waits for a load run to end and returns its JSON line. */
    private static JsonNode finish(ProcessCluster cluster, String name, int seconds) throws Exception {
        Process p = cluster.process(name);
        if (!p.waitFor(seconds + 60L, TimeUnit.SECONDS)) {
            throw new IllegalStateException(name + " did not finish; see " + name + ".err");
        }
        String last = cluster.lastLine(name);
        if (!last.startsWith("{")) {
            throw new IllegalStateException(name + " exited with " + p.exitValue() + " without a result: "
                    + cluster.err(name));
        }
        return TestService.JSON.readTree(last);
    }

    private static void printTable(PrintWriter out, List<Row> rows) {
        double none = rows.stream().filter(r -> r.mode.equals("none")).mapToDouble(Row::throughput).findFirst()
                .orElse(Double.NaN);
        out.println("| mode | throughput | vs none | suspect after | dead after | clients moved "
                + "| recovery p50 | recovery p99 | longest gap | lost | duplicated |");
        out.println("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        for (Row r : rows) {
            JsonNode v = r.verify;
            out.println(String.format(Locale.ROOT,
                    "| %s | %,.0f /s | %s | %d ms | %d ms | %d | %.0f ms | %.0f ms | %.0f ms | %d | %d |",
                    r.mode, r.throughput, Double.isNaN(none) ? "-" : String.format(Locale.ROOT, "%.2f", r.throughput / none),
                    r.suspectMillis, r.deadMillis, v.path("movedClients").asInt(), v.path("movedGapP50Ms").asDouble(),
                    v.path("movedGapP99Ms").asDouble(), v.path("gapMaxMs").asDouble(), v.path("lost").asLong(),
                    v.path("duplicated").asLong()));
        }
        out.flush();
    }

    private static void awaitTrue(String what, int seconds, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("no " + what + " within " + seconds + " s");
            }
            Thread.sleep(POLL_MILLIS);
        }
    }

    /** A condition that reads the admin API: false while the gateway cannot be reached. */
    private static boolean quietly(Check check) {
        try {
            return check.test();
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @FunctionalInterface
    private interface Check {
        boolean test() throws IOException, InterruptedException;
    }
}
