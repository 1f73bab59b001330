package io.reploid.examples;

import io.reploid.service.Persistence;
import io.reploid.service.ReploidService;
import io.reploid.state.StateStore;
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
 * gateways in the background, so it may be started before them. {@code --persistence} and {@code --store}
 * choose how clients' state survives the instance (see {@link Persistence} and {@link StoreSpec}); the store
 * is closed after the instance. Not thread-safe (one run per instance).
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
            description = "Handler threads (default: one per core, as TestService never blocks; with "
                    + "write-through, whose store writes block, the runtime's default of max(16, 8 per core)).")
    Integer handlerThreads;

    @Option(names = "--event-loop-threads", defaultValue = "0", paramLabel = "N",
            description = "Network threads; 0 for twice the cores (default: ${DEFAULT-VALUE}).")
    int eventLoopThreads;

    @Option(names = "--persistence", defaultValue = "none", paramLabel = "MODE",
            description = "How clients' state survives this instance: none, write-through, write-behind, "
                    + "write-behind:<millis>ms or replicated:<k> (default: ${DEFAULT-VALUE}). write-through and "
                    + "write-behind need --store.")
    String persistence;

    @Option(names = "--store", paramLabel = "memory|file:DIR|jdbc:URL",
            description = "Where clients' records are written (write-through, write-behind; optional with "
                    + "replicated): memory (this process only), file:DIR (one process per directory) or a JDBC URL "
                    + "shared by every instance, e.g. jdbc:postgresql://127.0.0.1:5432/app?user=app&password=secret.")
    String store;

    @Option(names = "--drain-timeout-s", defaultValue = "20", paramLabel = "SECONDS",
            description = "On Ctrl-C or SIGTERM, first drain: the gateways move this instance's clients to other "
                    + "instances with their state, for at most this long; then stop. 0 stops at once (default: ${DEFAULT-VALUE}).")
    int drainTimeoutSeconds;

    @Option(names = "--peer-port", paramLabel = "PORT",
            description = "Port peers replicate to, with replicated:<k>; 0 for any free port (default: any free port).")
    Integer peerPort;

    @Override
    public Integer call() throws Exception {
        Persistence mode = Persistence.parse(persistence);
        ReploidService.Builder<TestService.State> builder = ReploidService.builder(new TestService(id))
                .gateways(gateways)
                .instanceId(id)
                .capacity(capacity)
                .weight(weight)
                .labels(labels)
                .eventLoopThreads(eventLoopThreads)
                .persistence(mode);
        if (handlerThreads != null) {
            builder.handlerThreads(handlerThreads);
        } else if (mode.mode() != Persistence.Mode.WRITE_THROUGH) {
            builder.handlerThreads(Runtime.getRuntime().availableProcessors());
        }
        if (peerPort != null) {
            builder.peerPort(peerPort);
        }
        PrintWriter out = spec.commandLine().getOut();
        try (StateStore stateStore = store == null ? null : StoreSpec.open(store);
             ShutdownSignal signal = new ShutdownSignal("service");
             ReploidService service = build(builder, stateStore)) {
            out.printf("Service %s: connecting to %s (capacity %d)%n", id, gateways, capacity);
            out.printf("Service %s: persistence %s%s%n", id, mode, stateStore == null ? "" : ", " + stateStore);
            out.flush();
            service.start().whenComplete((ignored, failure) -> {
                if (failure == null) {
                    out.printf("Service %s: registered%n", id);
                    out.flush();
                }
            });
            signal.await(null);
            if (drainTimeoutSeconds > 0 && service.clientCount() > 0 && service.registeredGateways() > 0) {
                out.printf("Service %s: draining %d clients (at most %d s)%n", id, service.clientCount(),
                        drainTimeoutSeconds);
                out.flush();
                try {
                    service.drain().get(drainTimeoutSeconds, java.util.concurrent.TimeUnit.SECONDS);
                    out.printf("Service %s: drained%n", id);
                } catch (java.util.concurrent.TimeoutException e) {
                    out.printf("Service %s: %d clients still here after %d s; stopping anyway%n", id,
                            service.clientCount(), drainTimeoutSeconds);
                }
            }
            out.println("Stopping service " + id);
            out.flush();
        }
        return 0;
    }

    private static ReploidService build(ReploidService.Builder<TestService.State> builder, StateStore store) {
        if (store != null) {
            builder.stateStore(store);
        }
        return builder.build();
    }
}
