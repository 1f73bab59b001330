package io.reploid.examples;

import static org.awaitility.Awaitility.await;

import io.reploid.InstanceState;
import io.reploid.directory.GatewayMember;
import io.reploid.gateway.ReploidGateway;
import io.reploid.health.ResourceLimits;
import io.reploid.service.ReploidService;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;

/**
 * Real gateways (one, or several linked by the embedded pin directory) and real {@link TestService}
 * instances in this JVM, on loopback with ephemeral ports, closed together; and a way to run a command with
 * its stdout and stderr captured. Not thread-safe.
 */
final class ExampleCluster implements AutoCloseable {
    final ReploidGateway gateway;
    final List<ReploidGateway> gateways = new ArrayList<>();
    private final List<ReploidService> services = new ArrayList<>();

    ExampleCluster(int instances) {
        this(instances, 1);
    }

    /** {@code gateways} gateways, the others linked to the first; the instances register with the first. */
    ExampleCluster(int instances, int gatewayCount) {
        gateway = startGateway(List.of());
        try {
            for (int g = 1; g < gatewayCount; g++) {
                startGateway(List.of("127.0.0.1:" + gateway.servicePort()));
            }
            for (int i = 1; i <= instances; i++) {
                String id = "svc-" + i;
                ReploidService s = ReploidService.builder(new TestService(id))
                        .gateway("127.0.0.1:" + gateway.servicePort())
                        .instanceId(id)
                        .handlerThreads(4)
                        .eventLoopThreads(1)
                        .build();
                services.add(s);
                s.start().orTimeout(30, TimeUnit.SECONDS).join();
            }
            // Registered is not yet placeable: wait until every gateway takes new clients on every instance.
            await().atMost(Duration.ofSeconds(30)).until(() -> gateways.stream().allMatch(g ->
                    g.instances().size() == instances
                            && g.instances().stream().allMatch(i -> i.state() == InstanceState.HEALTHY)
                            && g.gateways().stream().filter(GatewayMember::live).count() == gatewayCount));
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    private ReploidGateway startGateway(List<String> peers) {
        ReploidGateway g = ReploidGateway.builder()
                .host("127.0.0.1").clientPort(0).servicePort(0).adminPort(0)
                .pinRecoveryWindow(Duration.ZERO)
                // The instances share this JVM, whose CPU (JIT at start) says nothing about any one of them.
                .resourceLimits(ResourceLimits.NONE)
                .eventLoopThreads(2)
                .peers(peers)
                .build().start();
        gateways.add(g);
        return g;
    }

    String clientAddress() {
        return "127.0.0.1:" + gateway.clientPort();
    }

    /** Every gateway's client port, the first gateway's first, comma-separated. */
    String clientAddresses() {
        return String.join(",", gateways.stream().map(g -> "127.0.0.1:" + g.clientPort()).toList());
    }

    /** The result of one command run. */
    record Run(int exitCode, String out, String err) {
        List<String> outLines() {
            return out.lines().toList();
        }

        String lastLine() {
            List<String> lines = outLines();
            return lines.isEmpty() ? "" : lines.get(lines.size() - 1);
        }
    }

    /** Runs {@code command} with {@code args}, as the jar would, capturing what it prints. */
    static Run run(Object command, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(command);
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    @Override
    public void close() {
        services.forEach(ReploidService::close);
        gateways.forEach(ReploidGateway::close);
    }
}
