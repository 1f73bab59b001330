package io.reploid.examples;

import io.reploid.balance.simulation.Report;
import io.reploid.balance.simulation.Simulation;
import io.reploid.balance.simulation.Workload;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code simulate}: scores placement strategies in the balancing simulator and prints the report table
 * (see {@link Simulation} and docs/balancing.md). Deterministic for a seed, pick timings aside. Not
 * thread-safe (one run per instance).
 */
@Command(name = "simulate", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Scores placement strategies on a synthetic workload; prints a table.",
                "",
                "Every strategy runs over the same seeded trace of arrivals, departures and membership "
                        + "changes; an ideal baseline with perfect knowledge is added. Columns: peak-to-average "
                        + "utilisation (max over steps, mean, at the end), coefficient of variation at the end, "
                        + "clients a fresh placement moves per membership change (moved) against the least a "
                        + "balanced placement must (min), stray moves in %% of clients that had no reason to "
                        + "move, rejected picks of full or excluded instances (bad, must be 0), picks that "
                        + "found nothing while room was left (unplaced), clients refused for lack of room, "
                        + "and the mean cost of a pick in ns, measured after the run (rough: the JMH benchmarks are the "
                        + "reference).",
                ""})
final class SimulateCommand implements Callable<Integer> {
    static final String ALL = "round-robin,random,least-clients,least-loaded,p2c,weighted,ring-hash,rendezvous,"
            + "maglev,bounded-load,resource-aware";

    @Spec
    CommandSpec spec;

    @Option(names = "--strategies", paramLabel = "SPEC[,SPEC...]", defaultValue = ALL,
            description = "Balancer specs separated by commas; a key=value part belongs to the spec before it "
                    + "(bounded-load:factor=1.5,vnodes=50). Default: every built-in strategy.")
    String strategies;

    @Option(names = "--instances", paramLabel = "N", defaultValue = "100",
            description = "Instances at the start (default: ${DEFAULT-VALUE}).")
    int instances;

    @Option(names = "--clients", paramLabel = "M", defaultValue = "10000",
            description = "Clients the workload brings (default: ${DEFAULT-VALUE}).")
    int clients;

    @Option(names = "--steps", paramLabel = "S", defaultValue = "100",
            description = "Steps of one simulated second each (default: ${DEFAULT-VALUE}).")
    int steps;

    @Option(names = "--capacity", paramLabel = "C",
            description = "Mean capacity of an instance (default: twice the mean clients per instance).")
    Integer capacity;

    @Option(names = "--workload", paramLabel = "NAME", defaultValue = "uniform",
            description = "uniform, zipf, churn, heterogeneous or scale-out (default: ${DEFAULT-VALUE}).")
    String workload;

    @Option(names = "--events", paramLabel = "KIND:COUNT@PERCENT%[,...]", defaultValue = "",
            description = "Membership changes: join, leave (drained over 5 steps) or crash COUNT instances "
                    + "when PERCENT%% of the steps have passed, e.g. join:10@50%%,crash:3@70%%.")
    String events;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "1",
            description = "Seed of the workload and of every pick's randomness (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--no-ideal", description = "Leave out the ideal baseline.")
    boolean noIdeal;

    @Option(names = "--csv", paramLabel = "FILE", description = "Also write the summary as CSV.")
    Path csv;

    @Option(names = "--steps-csv", paramLabel = "FILE",
            description = "Also write every step's peak-to-average and cv per strategy as CSV.")
    Path stepsCsv;

    @Option(names = "--movements-csv", paramLabel = "FILE",
            description = "Also write every membership change's movement per strategy as CSV.")
    Path movementsCsv;

    @Override
    public Integer call() throws IOException {
        Simulation.Builder builder = Simulation.builder()
                .instances(instances)
                .clients(clients)
                .steps(steps)
                .workload(Workload.named(workload))
                .events(events)
                .seed(seed)
                .ideal(!noIdeal)
                .strategies(strategies);
        if (capacity != null) {
            builder.capacity(capacity);
        }
        Report report = builder.build().run();
        PrintWriter out = spec.commandLine().getOut();
        out.print(report.table());
        out.flush();
        write(csv, report.csv());
        write(stepsCsv, report.stepsCsv());
        write(movementsCsv, report.movementsCsv());
        return 0;
    }

    private static void write(Path file, String content) throws IOException {
        if (file != null) {
            Files.writeString(file, content, StandardCharsets.UTF_8);
        }
    }
}
