package io.reploid.examples;

import io.reploid.ReploidException;
import io.reploid.client.ReploidClient;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code client}: talks to a {@link TestService} through a gateway as one client id. With an {@code OP}
 * it sends that one request, prints the JSON answer on one line of stdout and exits with
 * {@value #EXIT_OK} when the answer says {@code "ok":true}, {@value #EXIT_NOT_OK} when it says
 * {@code "ok":false}, and {@value #EXIT_NO_ANSWER} when no answer came from the service (the gateways are
 * unreachable, the request timed out, the gateway refused it), with the reason on stderr. Without
 * {@code OP} it reads requests from stdin, one per line (see {@link ClientPrompt}).
 *
 * <p>Not thread-safe (one run per instance).
 */
@Command(name = "client", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Send a request to TestService as one client and print the JSON answer.",
                "",
                "With OP, sends that request and prints the answer on one line of stdout. Without OP, reads "
                        + "requests from stdin, one per line: incr k, get k, set k v, whoami, quit.", ""},
        exitCodeListHeading = "Exit codes:%n",
        exitCodeList = {"0:answer with \"ok\":true", "1:answer with \"ok\":false",
                "2:no answer (connection failed, timeout, gateway error)"})
public final class TestClient implements Callable<Integer> {
    /** The answer says {@code "ok":true}. */
    public static final int EXIT_OK = 0;
    /** The answer says {@code "ok":false}. */
    public static final int EXIT_NOT_OK = 1;
    /** No answer from the service. */
    public static final int EXIT_NO_ANSWER = 2;

    @Spec
    CommandSpec spec;

    @Option(names = "--gateway", required = true, paramLabel = "HOST:PORT[,HOST:PORT...]",
            description = "Client ports of the gateways, tried in order.")
    String gateways;

    @Option(names = "--id", required = true, paramLabel = "CLIENT", description = "The client id the gateway pins.")
    String clientId;

    @Option(names = "--metadata", paramLabel = "KEY=VALUE",
            description = "Hello metadata, for example zone=a (for FewestClientsInZone); repeatable.")
    Map<String, String> metadata = new LinkedHashMap<>();

    @Option(names = "--timeout", defaultValue = "5", paramLabel = "SECONDS",
            description = "Timeout of the connection and of each request (default: ${DEFAULT-VALUE}).")
    double timeoutSeconds;

    @Parameters(index = "0", arity = "0..1", paramLabel = "OP",
            description = "incr, get, set or whoami (or a whole JSON request such as '{\"op\":\"whoami\"}').")
    String op;

    @Parameters(index = "1", arity = "0..1", paramLabel = "KEY", description = "The key of incr, get and set.")
    String key;

    @Parameters(index = "2..*", arity = "0..*", paramLabel = "VALUE",
            description = "The value of set: JSON when it parses as JSON (5, true, {\"a\":1}), else a string "
                    + "(several words are joined with spaces).")
    List<String> value = new ArrayList<>();

    @Override
    public Integer call() throws InterruptedException {
        if (!(timeoutSeconds > 0)) {
            throw new IllegalArgumentException("--timeout: " + timeoutSeconds + " (expected: > 0)");
        }
        Duration timeout = Duration.ofNanos((long) (timeoutSeconds * 1e9));
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try (ReploidClient client = ReploidClient.builder()
                .clientId(clientId)
                .gateways(gateways)
                .metadata(metadata)
                .connectTimeout(timeout)
                .requestTimeout(timeout)
                .build()) {
            String failure = await(client.connect(), timeout);
            if (failure != null) {
                err.println("client: cannot connect to " + gateways + ": " + failure);
                err.flush();
                return EXIT_NO_ANSWER;
            }
            if (op == null) {
                BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
                return new ClientPrompt(client, timeout, out, err).run(in);
            }
            String valueText = value.isEmpty() ? null : String.join(" ", value);
            return send(client, request(op, key, valueText), timeout, out, err);
        }
    }

    /** The request for the command-line words; an {@code op} that is a JSON object is sent as it is. */
    static byte[] request(String op, String key, String value) {
        if (op.stripLeading().startsWith("{") && key == null) {
            return op.getBytes(StandardCharsets.UTF_8);
        }
        return TestRequest.of(op, key, value);
    }

    /** Sends one request, prints the answer (or the failure on {@code err}) and returns the exit code. */
    static int send(ReploidClient client, byte[] request, Duration timeout, PrintWriter out, PrintWriter err)
            throws InterruptedException {
        CompletableFuture<byte[]> answer = client.request(request, timeout);
        String failure = await(answer, timeout);
        if (failure != null) {
            err.println("client: no answer: " + failure);
            err.flush();
            return EXIT_NO_ANSWER;
        }
        byte[] bytes = answer.join();
        out.println(new String(bytes, StandardCharsets.UTF_8));
        out.flush();
        return TestRequest.isOk(bytes) ? EXIT_OK : EXIT_NOT_OK;
    }

    /** Waits for {@code future}; returns {@code null} on success, else why it failed. */
    private static String await(CompletableFuture<?> future, Duration timeout) throws InterruptedException {
        try {
            // The client enforces the timeout itself; the margin only guards against a lost completion.
            future.get(timeout.toMillis() + 5_000, TimeUnit.MILLISECONDS);
            return null;
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            return cause instanceof ReploidException ? cause.getMessage() : String.valueOf(cause);
        } catch (TimeoutException e) {
            future.cancel(false);
            return "no answer within " + timeout.toMillis() + " ms";
        }
    }
}
