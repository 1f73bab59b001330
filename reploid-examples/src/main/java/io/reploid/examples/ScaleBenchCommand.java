package io.reploid.examples;

import io.netty.channel.EventLoopGroup;
import io.reploid.InstanceState;
import io.reploid.client.ReploidClient;
import io.reploid.gateway.InstanceInfo;
import io.reploid.gateway.ReploidGateway;
import io.reploid.health.ResourceLimits;
import io.reploid.internal.Transports;
import io.reploid.scaling.ScalingPolicies;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code scale-bench}: measures the autoscaler's reaction to a load step in one JVM on 127.0.0.1. A
 * gateway autoscales TestService instances started in its JVM ({@code inprocess}) from one instance;
 * at once, enough clients connect to put clients/capacity well over the target. Prints the time from the
 * step to the scale-out decision, to the new instances registered and to the first client placed on one
 * of them, for each run. Benchmarks measure; they assert nothing.
 *
 * <p>Not thread-safe (one run per instance).
 */
@Command(name = "scale-bench", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Measure the scale-out reaction time in one JVM on 127.0.0.1; stops by itself.",
                "",
                "An autoscaling gateway (inprocess provisioner) with one instance of --capacity; then --clients "
                        + "connect at once. Prints, per run, milliseconds from the load step to the scale-out "
                        + "decision, to every new instance registered, and to the first client placed on a new "
                        + "instance."})
final class ScaleBenchCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--interval-ms", defaultValue = "15000", paramLabel = "MS",
            description = "The autoscaler's sync period (default: ${DEFAULT-VALUE}, the HPA's).")
    long intervalMillis;

    @Option(names = "--capacity", defaultValue = "100", paramLabel = "N",
            description = "Clients an instance takes (default: ${DEFAULT-VALUE}).")
    int capacity;

    @Option(names = "--clients", defaultValue = "250", paramLabel = "N",
            description = "Clients of the load step (default: ${DEFAULT-VALUE}).")
    int clients;

    @Option(names = "--policy", defaultValue = "min=1,max=10,target=0.7", paramLabel = "SPEC",
            description = "The scaling policy (default: ${DEFAULT-VALUE}).")
    String policy;

    @Option(names = "--settle-ms", defaultValue = "16000", paramLabel = "MS",
            description = "Wait after the first instance before the load step: past the policy's cooldown "
                    + "(default: ${DEFAULT-VALUE}).")
    long settleMillis;

    @Option(names = "--runs", defaultValue = "3", paramLabel = "N", description = "Runs (default: ${DEFAULT-VALUE}).")
    int runs;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        for (int run = 1; run <= runs; run++) {
            out.println(once(run));
            out.flush();
        }
        return 0;
    }

    private String once(int run) throws Exception {
        InProcessProvisioner provisioner = new InProcessProvisioner(capacity);
        EventLoopGroup group = Transports.newGroup(2, "scale-bench");
        List<ReploidClient> all = new ArrayList<>();
        List<java.util.concurrent.CompletableFuture<Void>> connecting = new ArrayList<>();
        try (ReploidGateway gateway = ReploidGateway.builder().host("127.0.0.1").clientPort(0).servicePort(0)
                .adminPort(0).pinRecoveryWindow(Duration.ZERO).resourceLimits(ResourceLimits.NONE)
                .acceptableHeartbeatPause(Duration.ofSeconds(3)).pingTimeout(Duration.ofSeconds(5))
                .autoscale(ScalingPolicies.parse(policy), provisioner)
                .autoscaleInterval(Duration.ofMillis(intervalMillis)).build().start()) {
            provisioner.connectTo("127.0.0.1:" + gateway.servicePort());
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (serving(gateway).size() < 1 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            List<String> before = serving(gateway);
            // Past the policy's cooldown after that first scale-out, and a random phase against the sync period,
            // as a load step on a settled cluster would have.
            Thread.sleep(settleMillis + (long) (Math.random() * intervalMillis));
            long step = System.nanoTime();
            for (int i = 0; i < clients; i++) {
                ReploidClient c = ReploidClient.builder().clientId("sb-" + run + "-" + i)
                        .gateway("127.0.0.1:" + gateway.clientPort()).eventLoopGroup(group).build();
                connecting.add(c.connect());
                all.add(c);
            }
            long decided = -1;
            long registered = -1;
            long firstClient = -1;
            int target = -1;
            while (System.nanoTime() < step + TimeUnit.SECONDS.toNanos(Math.max(120, 4 * intervalMillis / 1000))) {
                long now = System.nanoTime();
                for (int i = 0; i < all.size(); i++) {
                    if (connecting.get(i).isCompletedExceptionally()) {
                        connecting.set(i, all.get(i).connect()); // refused while every instance was full: again
                    }
                }
                List<String> ids = serving(gateway);
                if (decided < 0 && provisioner.managed().size() > before.size()) {
                    decided = now;
                    target = provisioner.managed().size();
                }
                if (decided >= 0 && registered < 0 && ids.size() >= target) {
                    registered = now;
                }
                if (firstClient < 0) {
                    for (InstanceInfo i : gateway.instances()) {
                        if (!before.contains(i.id()) && i.clients() > 0) {
                            firstClient = now;
                        }
                    }
                }
                if (registered >= 0 && firstClient >= 0) {
                    break;
                }
                Thread.sleep(2);
            }
            return String.format("{\"run\":%d,\"intervalMillis\":%d,\"clients\":%d,\"capacity\":%d,\"instancesAfter\":%d,"
                            + "\"toDecisionMillis\":%d,\"toRegisteredMillis\":%d,\"toFirstClientMillis\":%d}",
                    run, intervalMillis, clients, capacity, target, millis(step, decided), millis(step, registered),
                    millis(step, firstClient));
        } finally {
            all.forEach(ReploidClient::close);
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    private static long millis(long from, long to) {
        return to < 0 ? -1 : (to - from) / 1_000_000;
    }

    private static List<String> serving(ReploidGateway gateway) {
        return gateway.instances().stream()
                .filter(i -> i.state() == InstanceState.HEALTHY || i.state() == InstanceState.FULL)
                .map(InstanceInfo::id).toList();
    }
}
