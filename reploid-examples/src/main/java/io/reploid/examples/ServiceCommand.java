package io.reploid.examples;

import io.reploid.service.ReploidService;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code service}: runs one {@link TestService} instance until Ctrl-C. It keeps reconnecting to the
 * gateways in the background, so it may be started before them. Not thread-safe (one run per instance).
 */
@Command(name = "service", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Run a TestService instance until Ctrl-C.",
                "",
                "Per-client counters and key/values in JSON. Requests: {\"op\":\"incr\",\"key\":K}, {\"op\":\"get\",\"key\":K} (null when missing), "
                        + "{\"op\":\"set\",\"key\":K,\"value\":V}, {\"op\":\"whoami\"}."})
final class ServiceCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--gateway", required = true, paramLabel = "HOST:PORT[,HOST:PORT...]",
            description = "Service ports of the gateways to register with.")
    String gateways;

    @Option(names = "--id", required = true, paramLabel = "ID", description = "This instance's id, unique in the cluster.")
    String id;

    @Option(names = "--capacity", defaultValue = "1000", paramLabel = "N",
            description = "Most clients this instance accepts (default: ${DEFAULT-VALUE}).")
    int capacity;

    @Option(names = "--weight", defaultValue = "1", paramLabel = "N",
            description = "Relative share of new clients for weighted balancers (default: ${DEFAULT-VALUE}).")
    int weight;

    @Option(names = "--label", paramLabel = "KEY=VALUE",
            description = "A label balancers can see, for example zone=a; repeatable.")
    Map<String, String> labels = new LinkedHashMap<>();

    @Option(names = "--handler-threads", paramLabel = "N",
            description = "Handler threads (default: one per core, as TestService never blocks).")
    Integer handlerThreads;

    @Option(names = "--event-loop-threads", defaultValue = "0", paramLabel = "N",
            description = "Network threads; 0 for twice the cores (default: ${DEFAULT-VALUE}).")
    int eventLoopThreads;

    @Override
    public Integer call() throws InterruptedException {
        ReploidService.Builder<TestService.State> builder = ReploidService.builder(new TestService(id))
                .gateways(gateways)
                .instanceId(id)
                .capacity(capacity)
                .weight(weight)
                .labels(labels)
                .eventLoopThreads(eventLoopThreads)
                .handlerThreads(handlerThreads != null ? handlerThreads : Runtime.getRuntime().availableProcessors());
        PrintWriter out = spec.commandLine().getOut();
        try (ShutdownSignal signal = new ShutdownSignal("service");
             ReploidService service = builder.build()) {
            out.printf("Service %s: connecting to %s (capacity %d)%n", id, gateways, capacity);
            out.flush();
            service.start().whenComplete((ignored, failure) -> {
                if (failure == null) {
                    out.printf("Service %s: registered%n", id);
                    out.flush();
                }
            });
            signal.await(null);
            out.println("Stopping service " + id);
            out.flush();
        }
        return 0;
    }
}
