package io.reploid.examples;

import io.reploid.gateway.internal.dashboard.Dashboard;
import io.reploid.gateway.internal.dashboard.DashboardServer;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code app}: a purely simulated cluster (hundreds of instances, many thousands of virtual clients) in
 * the gateway's dashboard: the same page and the same HTTP server code as a real gateway's admin port, fed
 * by a {@link LiveCluster} instead of a gateway, with every action enabled and the balancing simulator's
 * scores of all strategies beside it. Runs until Ctrl-C or the end of {@code --duration}. Not thread-safe
 * (one run per instance).
 */
@Command(name = "app", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Serve the live dashboard for a simulated cluster: hundreds of instances, thousands of "
                + "virtual clients, real balancers, crashes, drains and workloads from the page.", ""})
final class AppCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--port", defaultValue = "7480", paramLabel = "PORT",
            description = "HTTP port of the dashboard; 0 for any free port (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--host", defaultValue = "127.0.0.1", paramLabel = "H",
            description = "Address the dashboard binds to (default: ${DEFAULT-VALUE}).")
    String host;

    @Option(names = "--instances", defaultValue = "200", paramLabel = "N",
            description = "Instances at the start (default: ${DEFAULT-VALUE}).")
    int instances;

    @Option(names = "--clients", defaultValue = "20000", paramLabel = "M",
            description = "Virtual clients (default: ${DEFAULT-VALUE}).")
    int clients;

    @Option(names = "--balancer", defaultValue = "least-clients", paramLabel = "SPEC",
            description = "Balancer spec (default: ${DEFAULT-VALUE}).")
    String balancer;

    @Option(names = "--workload", defaultValue = "churn", paramLabel = "NAME",
            description = "uniform, zipf, churn, heterogeneous or scale-out (default: ${DEFAULT-VALUE}).")
    String workload;

    @Option(names = "--seed", defaultValue = "1", paramLabel = "S",
            description = "Seed of the simulation (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--duration", paramLabel = "SECONDS", description = "Stop after this long (default: at Ctrl-C).")
    Double durationSeconds;

    @Override
    public Integer call() throws InterruptedException {
        if (instances <= 0 || clients < 0) {
            throw new IllegalArgumentException("--instances must be > 0 and --clients >= 0");
        }
        if (durationSeconds != null && !(durationSeconds > 0)) {
            throw new IllegalArgumentException("--duration: " + durationSeconds + " (expected: > 0)");
        }
        PrintWriter out = spec.commandLine().getOut();
        try (StrategyScores scores = new StrategyScores();
             LiveCluster cluster = new LiveCluster(instances, clients, balancer, workload, seed);
             ShutdownSignal signal = new ShutdownSignal("app");
             DashboardServer server = DashboardServer.start(host, port, new Dashboard(
                     new LiveSnapshots(cluster, scores), cluster, false, "actions are off", Duration.ofMillis(500),
                     "app"))) {
            cluster.onWorkload(() -> scores.score(cluster.workloadName(), instances, clients, cluster.balancerName()));
            scores.score(cluster.workloadName(), instances, clients, cluster.balancerName());
            cluster.start();
            out.printf("Dashboard: %s%n", AdminUrl.of(host, server.port()));
            out.printf("App: %d simulated instances, %d virtual clients, balancer %s, workload %s; Ctrl-C to stop%n",
                    instances, clients, balancer, cluster.workloadName());
            out.flush();
            signal.await(durationSeconds == null ? null : Duration.ofMillis(Math.round(durationSeconds * 1000)));
            out.println("App: stopping");
            out.flush();
        }
        return 0;
    }
}
