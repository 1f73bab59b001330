package io.reploid.examples;

import io.reploid.gateway.ReploidGateway;
import io.reploid.health.ResourceLimits;
import io.reploid.internal.HostAndPort;
import io.reploid.jdbc.JdbcPinDirectory;
import io.reploid.scaling.ScalingPolicies;
import io.reploid.scaling.ScalingPolicy;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code gateway}: runs a {@link ReploidGateway} until Ctrl-C, then closes it. Prints the admin URL and the
 * pin directory on stdout once the ports are bound. Several gateways of one cluster agree on pins either
 * through the embedded directory ({@code --peers}: the gateways link on their service ports) or through a
 * PostgreSQL directory ({@code --directory}); the two exclude each other. With {@code --autoscale} and
 * {@code --provisioner} the gateway scales the instances ({@link ProvisionerSpec}); the provisioner's
 * instances in this JVM or on this machine register with this gateway's service port. Not thread-safe (one
 * run per instance), except {@link #stop()}.
 */
@Command(name = "gateway", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Run a gateway until Ctrl-C.")
final class GatewayCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--client-port", defaultValue = "7400", paramLabel = "PORT",
            description = "Port clients connect to; 0 for any free port (default: ${DEFAULT-VALUE}).")
    int clientPort;

    @Option(names = "--service-port", defaultValue = "7401", paramLabel = "PORT",
            description = "Port service instances connect to; 0 for any free port (default: ${DEFAULT-VALUE}).")
    int servicePort;

    @Option(names = "--admin-port", defaultValue = "7480", paramLabel = "PORT",
            description = "Admin HTTP port; 0 for any free port (default: ${DEFAULT-VALUE}).")
    int adminPort;

    @Option(names = "--balancer", defaultValue = "least-clients", paramLabel = "NAME",
            description = "A registered balancer (least-clients, round-robin, p2c, bounded-load:factor=1.25, ...) "
                    + "or a LoadBalancer class name such as io.reploid.examples.FewestClientsInZone "
                    + "(default: ${DEFAULT-VALUE}).")
    String balancer;

    @Option(names = "--host", defaultValue = "0.0.0.0", paramLabel = "H",
            description = "Address the client and service ports bind to (default: ${DEFAULT-VALUE}).")
    String host;

    @Option(names = "--admin-host", defaultValue = "127.0.0.1", paramLabel = "H",
            description = "Address the admin port binds to (default: ${DEFAULT-VALUE}).")
    String adminHost;

    @Option(names = "--id", paramLabel = "ID", description = "Gateway id (default: random).")
    String id;

    @Option(names = "--pin-recovery-ms", defaultValue = "2000", paramLabel = "MS",
            description = "After start, how long new clients wait so restarted instances can announce "
                    + "their clients first; 0 disables (default: ${DEFAULT-VALUE}).")
    long pinRecoveryMillis;

    @Option(names = "--max-cpu", defaultValue = "0.9", paramLabel = "FRACTION",
            description = "Process CPU in [0, 1] over which an instance takes no new clients; negative for no "
                    + "limit (default: ${DEFAULT-VALUE}).")
    double maxCpu;

    @Option(names = "--max-heap", defaultValue = "0.9", paramLabel = "FRACTION",
            description = "Heap used over heap max over which an instance takes no new clients; negative for no "
                    + "limit (default: ${DEFAULT-VALUE}).")
    double maxHeap;

    @Option(names = "--slow-start-ms", defaultValue = "0", paramLabel = "MS",
            description = "Ramp a newly ready instance's share of new clients up over this window (default 0: off).")
    long slowStartMillis;

    @Option(names = "--pin-idle-timeout-s", defaultValue = "0", paramLabel = "SECONDS",
            description = "Remove the pin of a client away longer than this and tell its instance to drop "
                    + "its state (default 0: keep pins).")
    long pinIdleSeconds;

    @Option(names = "--rebalance", paramLabel = "FRACTION@MS",
            description = "Bounded rebalancing by live migration: at most FRACTION of all pins moved "
                    + "every MS milliseconds, e.g. 0.05@10000 (default: off).")
    String rebalance;

    @Option(names = "--event-loop-threads", defaultValue = "0", paramLabel = "N",
            description = "Network threads; 0 for twice the cores (default: ${DEFAULT-VALUE}).")
    int eventLoopThreads;

    @Option(names = "--autoscale", paramLabel = "SPEC",
            description = "Scale the instances with this policy, such as min=1,max=10,target=0.7 (keys min, max, "
                    + "target, metric, tolerance, up-window, down-window, cooldown, max-step, max-step-down: "
                    + "docs/scaling.md); needs --provisioner (default: no autoscaling).")
    String autoscale;

    @Option(names = "--provisioner", paramLabel = "inprocess|process|kubernetes:NS/KIND/NAME",
            description = "What starts and removes instances for --autoscale: TestService instances in this JVM "
                    + "(inprocess) or as processes of this jar (process), or the replicas of a Kubernetes "
                    + "StatefulSet or Deployment.")
    String provisioner;

    @Option(names = "--autoscale-interval-ms", defaultValue = "15000", paramLabel = "MS",
            description = "How often the leader gateway makes a scaling decision (default: ${DEFAULT-VALUE}).")
    long autoscaleIntervalMillis;

    @Option(names = "--instance-capacity", defaultValue = "1000", paramLabel = "N",
            description = "Capacity of the instances inprocess and process start (default: ${DEFAULT-VALUE}).")
    int instanceCapacity;

    @Option(names = "--instance-logs", paramLabel = "DIR",
            description = "Where process instances write their output, as ID.out and ID.err (default: a new "
                    + "temporary directory).")
    Path instanceLogs;

    @Option(names = "--peers", split = ",", paramLabel = "HOST:PORT",
            description = "Service ports of other gateways of the cluster. The gateways link on their service "
                    + "ports, learn the rest from any gateway they reach (one address is enough) and agree on pins "
                    + "through these links (the embedded directory). Not with --directory.")
    List<String> peers = new ArrayList<>();

    @Option(names = "--directory", paramLabel = "JDBC_URL",
            description = "Keep the pins in a PostgreSQL pin directory shared by every gateway instead of the "
                    + "embedded one, e.g. jdbc:postgresql://127.0.0.1:5432/app?user=app&password=secret. "
                    + "Not with --peers.")
    String directory;

    @Option(names = "--advertise", paramLabel = "HOST:PORT",
            description = "The address other gateways and instances reach this gateway's service port on "
                    + "(default: the bind host and service port, 127.0.0.1 for 0.0.0.0).")
    String advertise;

    /** Set while {@link #call()} runs. */
    private volatile ShutdownSignal running;

    @Override
    public Integer call() throws Exception {
        if ((autoscale == null) != (provisioner == null)) {
            throw new ParameterException(spec.commandLine(), autoscale == null
                    ? "--provisioner needs --autoscale (a policy such as min=1,max=10,target=0.7)"
                    : "--autoscale needs --provisioner (" + ProvisionerSpec.FORMS + ")");
        }
        ReploidGateway.Builder builder = builder();
        ProvisionerSpec.Opened scaling = null;
        if (autoscale != null) {
            ScalingPolicy policy = ScalingPolicies.parse(autoscale);
            scaling = ProvisionerSpec.open(provisioner, instanceCapacity, instanceLogs);
            builder.autoscale(policy, scaling.provisioner()).autoscaleInterval(Duration.ofMillis(autoscaleIntervalMillis));
        }
        PrintWriter out = spec.commandLine().getOut();
        try (AutoCloseable afterGateway = scaling == null ? () -> { } : scaling.after();
             ShutdownSignal signal = new ShutdownSignal("gateway");
             ReploidGateway gateway = start(builder, scaling)) {
            running = signal;
            out.printf("Gateway %s: clients on %s:%d, services on %s:%d, balancer %s%n", gateway.gatewayId(),
                    host, gateway.clientPort(), host, gateway.servicePort(), balancer);
            out.printf("Directory: %s%n", directoryDescription());
            out.printf("Admin: %s%n", AdminUrl.of(adminHost, gateway.adminPort()));
            if (scaling != null) {
                if (scaling.provisioner() instanceof LocalProvisioner local) {
                    local.connectTo(localAddress(gateway.servicePort()));
                }
                out.printf("Autoscaling: %s through %s, every %d ms%n", autoscale.strip(), scaling.provisioner(),
                        autoscaleIntervalMillis);
            }
            out.flush();
            signal.await(null);
            out.println("Stopping gateway " + gateway.gatewayId());
            out.flush();
        } finally {
            running = null;
        }
        return 0;
    }

    /**
     * The gateway's builder from the options.
     *
     * @throws ParameterException for options that contradict each other or do not parse
     */
    ReploidGateway.Builder builder() {
        if (directory != null && !peers.isEmpty()) {
            throw new ParameterException(spec.commandLine(), "--peers and --directory exclude each other: "
                    + "--peers links the gateways into the embedded pin directory, --directory keeps the pins in "
                    + "PostgreSQL instead (give every gateway the same --directory and no --peers)");
        }
        if (directory != null && !directory.strip().startsWith("jdbc:")) {
            throw new ParameterException(spec.commandLine(), "--directory '" + directory
                    + "' is not a JDBC URL (expected: jdbc:postgresql://HOST:PORT/DB?user=U&password=P)");
        }
        ReploidGateway.Builder builder = ReploidGateway.builder()
                .clientPort(clientPort).servicePort(servicePort).adminPort(adminPort)
                .host(host).adminHost(adminHost)
                .balancer(balancer)
                .pinRecoveryWindow(Duration.ofMillis(pinRecoveryMillis))
                .resourceLimits(new ResourceLimits(maxCpu, maxHeap, -1, -1))
                .slowStart(Duration.ofMillis(slowStartMillis))
                .pinIdleTimeout(Duration.ofSeconds(pinIdleSeconds))
                .eventLoopThreads(eventLoopThreads);
        if (rebalance != null) {
            int at = rebalance.indexOf('@');
            if (at <= 0) {
                throw new ParameterException(spec.commandLine(),
                        "--rebalance '" + rebalance + "' is not FRACTION@MS (for example 0.05@10000)");
            }
            builder.rebalance(Double.parseDouble(rebalance.substring(0, at)),
                    Duration.ofMillis(Long.parseLong(rebalance.substring(at + 1))));
        }
        if (id != null) {
            builder.gatewayId(id);
        }
        try {
            if (!peers.isEmpty()) {
                builder.peers(peers);
            }
            if (advertise != null) {
                builder.advertisedAddress(advertise);
            }
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage(), e);
        }
        if (directory != null) {
            builder.directory(JdbcPinDirectory.connect(directory.strip()));
        }
        return builder;
    }

    /** Which pin directory the gateway uses, for its first lines; never shows a password. */
    String directoryDescription() {
        if (directory != null) {
            return "PostgreSQL at " + withoutPassword(directory.strip());
        }
        return peers.isEmpty() ? "embedded (no peers given; other gateways may link to this one)"
                : "embedded, linked to the gateways at " + String.join(", ", peers);
    }

    /** A JDBC URL with the value of its {@code password} parameter replaced by {@code ***}. */
    static String withoutPassword(String jdbcUrl) {
        return jdbcUrl.replaceAll("(?i)(password=)[^&;]*", "$1***");
    }

    /**
     * Builds and starts the gateway. A gateway that fails to start closes its provisioner itself; if the build
     * fails, no gateway took the provisioner, so it is closed here.
     */
    private static ReploidGateway start(ReploidGateway.Builder builder, ProvisionerSpec.Opened scaling) {
        ReploidGateway gateway;
        try {
            gateway = builder.build();
        } catch (RuntimeException e) {
            if (scaling != null) {
                scaling.provisioner().close();
            }
            throw e;
        }
        return gateway.start();
    }

    /** The service port as instances on this machine reach it. */
    private String localAddress(int servicePort) {
        boolean wildcard = host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]") || host.isEmpty();
        return HostAndPort.format(InetSocketAddress.createUnresolved(wildcard ? "127.0.0.1" : host, servicePort));
    }

    /** Stops a running {@link #call()} as Ctrl-C would; for tests that run the command in a thread. */
    void stop() {
        ShutdownSignal s = running;
        if (s != null) {
            s.signal();
        }
    }
}
