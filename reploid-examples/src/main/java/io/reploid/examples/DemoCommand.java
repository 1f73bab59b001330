package io.reploid.examples;

import io.netty.channel.EventLoopGroup;
import io.reploid.gateway.ReploidGateway;
import io.reploid.health.ResourceLimits;
import io.reploid.internal.Transports;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code demo}: a whole cluster in one JVM: a gateway, {@code --instances} {@link TestService}s in zones
 * {@code a}, {@code b}, {@code c}, ... and {@code --clients} clients (each in a random zone) that
 * increment a counter a few times a second ({@link DemoCluster}). Prints the admin URL, which serves the
 * dashboard with its actions enabled, then a table of the instances every {@code --interval} seconds,
 * until Ctrl-C or the end of {@code --duration}; then closes everything.
 * Not thread-safe (one run per instance).
 */
@Command(name = "demo", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Run a gateway, TestService instances and clients under light load in this JVM, "
                + "and print the instances every few seconds.")
final class DemoCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--client-port", defaultValue = "7400", paramLabel = "PORT",
            description = "Client port; 0 for any free port (default: ${DEFAULT-VALUE}).")
    int clientPort;

    @Option(names = "--service-port", defaultValue = "7401", paramLabel = "PORT",
            description = "Service port; 0 for any free port (default: ${DEFAULT-VALUE}).")
    int servicePort;

    @Option(names = "--admin-port", defaultValue = "7480", paramLabel = "PORT",
            description = "Admin HTTP port; 0 for any free port (default: ${DEFAULT-VALUE}).")
    int adminPort;

    @Option(names = "--host", defaultValue = "127.0.0.1", paramLabel = "H",
            description = "Address the gateway binds to (default: ${DEFAULT-VALUE}).")
    String host;

    @Option(names = "--balancer", defaultValue = "io.reploid.examples.FewestClientsInZone", paramLabel = "NAME",
            description = "Balancer name or class (default: ${DEFAULT-VALUE}).")
    String balancer;

    @Option(names = "--instances", defaultValue = "3", paramLabel = "N",
            description = "TestService instances (default: ${DEFAULT-VALUE}).")
    int instances;

    @Option(names = "--capacity", defaultValue = "40", paramLabel = "N",
            description = "Capacity of each instance (default: ${DEFAULT-VALUE}).")
    int capacity;

    @Option(names = "--clients", defaultValue = "50", paramLabel = "N",
            description = "Clients (default: ${DEFAULT-VALUE}).")
    int clients;

    @Option(names = "--rate", defaultValue = "2", paramLabel = "PER_SECOND",
            description = "Requests per second of each client (default: ${DEFAULT-VALUE}).")
    double rate;

    @Option(names = "--interval", defaultValue = "3", paramLabel = "SECONDS",
            description = "Seconds between tables (default: ${DEFAULT-VALUE}).")
    double intervalSeconds;

    @Option(names = "--duration", paramLabel = "SECONDS", description = "Stop after this long (default: at Ctrl-C).")
    Double durationSeconds;

    @Override
    public Integer call() throws InterruptedException {
        positive("--instances", instances);
        positive("--capacity", capacity);
        positive("--clients", clients);
        if (!(rate > 0) || !(intervalSeconds > 0) || (durationSeconds != null && !(durationSeconds > 0))) {
            throw new IllegalArgumentException("--rate, --interval and --duration must be > 0");
        }
        PrintWriter out = spec.commandLine().getOut();
        EventLoopGroup clientGroup = Transports.newGroup(1, "demo-clients");
        DemoCluster demo = new DemoCluster(capacity, rate, clientGroup);
        try (ShutdownSignal signal = new ShutdownSignal("demo");
             ReploidGateway gateway = ReploidGateway.builder()
                     .host(host).clientPort(clientPort).servicePort(servicePort).adminPort(adminPort)
                     .balancer(balancer).pinRecoveryWindow(Duration.ZERO)
                     // The instances share this JVM, whose CPU says nothing about any one of them.
                     .resourceLimits(ResourceLimits.NONE)
                     .adminActions(demo)
                     .build().start()) {
            try {
                demo.attach(gateway);
                out.printf("Admin: %s%n", AdminUrl.of("127.0.0.1", gateway.adminPort()));
                out.printf("Dashboard: %s (live view; add, crash and drain instances from it)%n",
                        AdminUrl.of("127.0.0.1", gateway.adminPort()));
                out.printf("Demo: gateway on %s:%d (clients) and %s:%d (services), balancer %s%n",
                        host, gateway.clientPort(), host, gateway.servicePort(), balancer);
                out.flush();
                demo.startInstances(instances);
                demo.startClients(clients);
                out.printf("Demo: %d instances, %d clients at %s requests/s each; Ctrl-C to stop%n",
                        instances, clients, rate);
                out.flush();
                long end = durationSeconds == null ? Long.MAX_VALUE
                        : System.nanoTime() + Math.round(durationSeconds * 1e9);
                long interval = Math.round(intervalSeconds * 1e9);
                while (true) {
                    long wait = Math.min(interval, end - System.nanoTime());
                    if (wait <= 0 || signal.await(Duration.ofNanos(wait))) {
                        break;
                    }
                    printTable(out, gateway, demo);
                }
                printTable(out, gateway, demo);
                out.println("Demo: stopping");
                out.flush();
            } finally {
                demo.close();
            }
        } finally {
            clientGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        }
        return 0;
    }

    private void printTable(PrintWriter out, ReploidGateway gateway, DemoCluster demo) {
        out.printf("%n%s  clients connected %d, pinned %d; answers %,d, errors %,d%n",
                LocalTime.now().truncatedTo(ChronoUnit.SECONDS), gateway.connectedClients(), gateway.pinCount(),
                demo.answered(), demo.failed());
        out.print(InstanceTable.format(gateway.instances()));
        out.flush();
    }

    /** Zone {@code a}, {@code b}, ... of instance {@code index}. */
    static String zone(int index) {
        return index < 26 ? String.valueOf((char) ('a' + index)) : "z" + index;
    }

    private static void positive(String option, int value) {
        if (value <= 0) {
            throw new IllegalArgumentException(option + ": " + value + " (expected: > 0)");
        }
    }
}
