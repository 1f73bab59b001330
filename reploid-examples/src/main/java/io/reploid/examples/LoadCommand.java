package io.reploid.examples;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code load}: a closed-loop load generator against {@link TestService}. {@code --clients} clients
 * (ids {@code load-<run>-<i>}, one random {@code <run>} per run) share one Netty event loop group and one
 * small callback executor; each sends {@code {"op":"incr","key":K}} and sends again as soon as the answer
 * arrives (after an error it waits 10 ms). Client {@code i} starts on gateway {@code i mod n} of the
 * {@code n} given and fails over to the next ones; with {@code --switch-gateway} it opens a new connection
 * to the next gateway for every request, to check that the gateways agree on its pin. After the warm-up,
 * answers are counted and their latency (from the request call to the answer's callback) is recorded in an
 * HdrHistogram for {@code --duration} seconds; then the clients stop, their last answers are awaited and
 * everything is closed.
 *
 * <p>Output: one human summary line, then as the last line a JSON object with {@code requests}
 * ({@code "ok":true} answers in the measured window), {@code throughput} (those per second),
 * {@code p50Ms}, {@code p99Ms}, {@code p999Ms}, {@code errors} (failures and {@code "ok":false} answers
 * over the whole run), {@code instanceChanges}, {@code clientsOnSeveralInstances} and {@code gatewayChanges}
 * (see {@link LoadResult}), and with {@code --verify} {@code lost} and {@code duplicated}, counted by the rule
 * of {@link CounterAudit} over the whole run, warm-up included, followed by the failover gaps of
 * {@link FailoverGaps} ({@code gapP50Ms}, {@code gapP99Ms}, {@code gapMaxMs}, {@code movedClients},
 * {@code movedGapP50Ms}, {@code movedGapP99Ms}). With {@code --verify}, stderr also gets the gaps of at
 * least {@code --long-gap-ms}, and the gaps that ended on another gateway, by the second they began
 * ({@link LongGaps}).
 *
 * <p>Exit code: 0, or 1 when verification found lost or duplicated increments, or 2 when the clients
 * could not connect. Not thread-safe (one run per instance).
 */
@Command(name = "load", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Closed-loop load on TestService; prints a summary, then a JSON line.",
                "",
                "N clients each send incr on their own counter, the next one as soon as the previous answer "
                        + "arrives; client i starts on gateway i mod n of the n given and fails over to the next "
                        + "ones. Prints a summary line, then as the last line a JSON object: requests "
                        + "(\"ok\":true answers in the measured time), throughput (requests/s), p50Ms, p99Ms, "
                        + "p999Ms, errors (whole run), instanceChanges (how often a client's answering instance "
                        + "changed, summed over the clients), clientsOnSeveralInstances (clients answered by more "
                        + "than one instance), gatewayChanges (how often a client's answer came through another "
                        + "gateway than the previous one, summed; 0 with --switch-gateway), and with --verify lost "
                        + "and duplicated, then the failover "
                        + "gaps (whole run): gapP50Ms, gapP99Ms, gapMaxMs over the clients of each one's longest "
                        + "time between two consecutive acknowledged answers; movedClients, the clients answered "
                        + "by more than one instance (their instance died); movedGapP50Ms, movedGapP99Ms over those. "
                        + "With --verify, stderr also lists the gaps of at least --long-gap-ms, and the gaps that "
                        + "ended on another gateway, by the second of the run they began in, so each fault's cost "
                        + "can be read apart.",
                "",
                "Verification: every client checks that the counter values it is answered are consecutive. "
                        + "Let acked be the value of its latest acknowledged increment (0 before the first) and "
                        + "uncertain the number of its requests that failed without an answer (timeout, lost "
                        + "connection): each may or may not have been applied, at most once. For an answer v, "
                        + "with expected = acked + 1:",
                "  v < expected: lost += expected - v (acknowledged increments disappeared);",
                "  v > expected: the gap v - expected is first explained by uncertain requests "
                        + "(explained = min(gap, uncertain), uncertain -= explained), the rest counts as "
                        + "duplicated;",
                "  then acked = v. An \"ok\":false answer applied nothing and changes nothing. The counts are "
                        + "the fewest anomalies that explain what the clients saw.",
                ""},
        exitCodeListHeading = "Exit codes:%n",
        exitCodeList = {"0:done (and verified, with --verify)", "1:--verify found lost or duplicated increments",
                "2:the clients could not connect"})
final class LoadCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--gateway", required = true, paramLabel = "HOST:PORT[,HOST:PORT...]",
            description = "Client ports of the gateways. Client i starts on gateway i mod n and fails over to "
                    + "the next ones in turn.")
    String gateways;

    @Option(names = "--switch-gateway",
            description = "Every request after a client's first goes on a new connection, to the next gateway "
                    + "of its list (same client id, so the same pin): checks that the gateways agree. Latency "
                    + "then includes connecting.")
    boolean switchGateway;

    @Option(names = "--clients", defaultValue = "64", paramLabel = "N",
            description = "Concurrent clients (default: ${DEFAULT-VALUE}).")
    int clients;

    @Option(names = "--duration", defaultValue = "10", paramLabel = "SECONDS",
            description = "Measured time (default: ${DEFAULT-VALUE}).")
    double durationSeconds;

    @Option(names = "--warmup", defaultValue = "0", paramLabel = "SECONDS",
            description = "Load before the measured time, not measured (default: ${DEFAULT-VALUE}).")
    double warmupSeconds;

    @Option(names = "--verify", description = "Check that no acknowledged increment is lost or duplicated, "
            + "and report the failover gaps.")
    boolean verify;

    @Option(names = "--key", defaultValue = "load", paramLabel = "K",
            description = "The counter each client increments in its own state (default: ${DEFAULT-VALUE}).")
    String key;

    @Option(names = "--io-threads", defaultValue = "1", paramLabel = "N",
            description = "Threads of the event loop group the clients share (default: ${DEFAULT-VALUE}).")
    int ioThreads;

    @Option(names = "--callback-threads", defaultValue = "1", paramLabel = "N",
            description = "Threads that complete the clients' requests (default: ${DEFAULT-VALUE}).")
    int callbackThreads;

    @Option(names = "--timeout", defaultValue = "5", paramLabel = "SECONDS",
            description = "Connect and request timeout (default: ${DEFAULT-VALUE}).")
    double timeoutSeconds;

    @Option(names = "--long-gap-ms", defaultValue = "250", paramLabel = "MS",
            description = "With --verify, list on stderr the gaps between two answers of a client of at least "
                    + "this long, by the second they began (default: ${DEFAULT-VALUE}).")
    double longGapMillis;

    @Option(names = "--id-prefix", paramLabel = "PREFIX",
            description = "Client ids are PREFIX-0, PREFIX-1, ... (default: load-<random>).")
    String idPrefix;

    @Override
    public Integer call() throws InterruptedException {
        LoadSettings settings = new LoadSettings(gateways, clients, seconds("--duration", durationSeconds),
                seconds("--warmup", warmupSeconds), verify, key,
                idPrefix != null ? idPrefix : "load-" + UUID.randomUUID().toString().substring(0, 8),
                ioThreads, callbackThreads, seconds("--timeout", timeoutSeconds), switchGateway,
                longGap());
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        LoadResult result;
        try {
            result = new LoadRun(settings).execute(err);
        } catch (LoadRun.ConnectFailure e) {
            err.println("load: " + e.getMessage());
            err.flush();
            return 2;
        }
        out.println(result.summary());
        out.println(result.json());
        out.flush();
        return result.passed() ? 0 : 1;
    }

    private Duration longGap() {
        if (!(longGapMillis > 0) || longGapMillis > 3_600_000) {
            throw new IllegalArgumentException("--long-gap-ms: " + longGapMillis + " (expected: > 0, at most an hour)");
        }
        return Duration.ofNanos(Math.round(longGapMillis * 1e6));
    }

    private static Duration seconds(String option, double seconds) {
        if (!(seconds >= 0) || seconds > 365 * 24 * 3600) {
            throw new IllegalArgumentException(option + ": " + seconds + " (expected: 0 to one year, in seconds)");
        }
        return Duration.ofNanos(Math.round(seconds * 1e9));
    }
}
