package io.reploid.examples;

import io.reploid.client.ReploidClient;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;

/**
 * The interactive mode of {@link TestClient}: reads one request per line ({@code incr k}, {@code get k},
 * {@code set k some value}, {@code whoami}, or a whole JSON object), prints each answer on one line of
 * stdout and failures on stderr, until {@code quit}, {@code exit} or the end of input. The prompt goes to
 * stderr so stdout holds only answers. Not thread-safe.
 */
final class ClientPrompt {
    private final ReploidClient client;
    private final Duration timeout;
    private final PrintWriter out;
    private final PrintWriter err;

    ClientPrompt(ReploidClient client, Duration timeout, PrintWriter out, PrintWriter err) {
        this.client = client;
        this.timeout = timeout;
        this.out = out;
        this.err = err;
    }

    /** Runs until {@code quit} or the end of {@code in}; returns the exit code (0). */
    int run(BufferedReader in) throws InterruptedException {
        err.println("Pinned to instance " + client.instanceId() + "; type incr k, get k, set k v, whoami, help or quit.");
        while (true) {
            err.print("> ");
            err.flush();
            String line;
            try {
                line = in.readLine();
            } catch (IOException e) {
                err.println("client: cannot read stdin: " + e.getMessage());
                err.flush();
                return TestClient.EXIT_NO_ANSWER;
            }
            if (line == null) {
                return TestClient.EXIT_OK;
            }
            String trimmed = line.strip();
            if (trimmed.isEmpty()) {
                continue;
            }
            if (trimmed.equals("quit") || trimmed.equals("exit")) {
                return TestClient.EXIT_OK;
            }
            if (trimmed.equals("help")) {
                err.println("incr KEY | get KEY | set KEY VALUE | whoami | {json} | quit");
                continue;
            }
            TestClient.send(client, request(trimmed), timeout, out, err);
        }
    }

    /** The request of one line: OP, then an optional KEY, then the rest of the line as the VALUE. */
    static byte[] request(String line) {
        String[] words = line.strip().split("\\s+", 3);
        if (words[0].startsWith("{")) {
            return TestClient.request(line.strip(), null, null);
        }
        return TestRequest.of(words[0], words.length > 1 ? words[1] : null, words.length > 2 ? words[2] : null);
    }
}
