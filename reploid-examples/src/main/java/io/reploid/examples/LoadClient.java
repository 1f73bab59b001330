package io.reploid.examples;

import com.fasterxml.jackson.databind.JsonNode;
import io.reploid.client.ReploidClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;

/**
 * One closed-loop client of the load tool: sends {@code incr} on its own key, and sends the next request
 * from the callback of the previous answer. Reuses one request array (the client never changes it), and
 * reads the counter from the answer without parsing it into objects.
 *
 * <p>Thread-safety: its fields are used by one callback at a time, each started after the previous one
 * finished (by the request it sent), so they need no locks.
 */
final class LoadClient implements BiConsumer<byte[], Throwable>, Runnable {
    /** {@link #counterValue} of an answer that is not {@code "ok":true} with an integer value. */
    static final long NOT_OK = Long.MIN_VALUE;
    private static final byte[] OK_VALUE_PREFIX = "{\"ok\":true,\"value\":".getBytes(StandardCharsets.UTF_8);

    final ReploidClient client;
    final CounterAudit audit = new CounterAudit();
    private final byte[] request;
    private final LoadRun run;
    private final AtomicBoolean finished = new AtomicBoolean();
    private long sentNanos;

    LoadClient(ReploidClient client, String key, LoadRun run) {
        this.client = client;
        this.request = TestRequest.of("incr", key, null);
        this.run = run;
    }

    /** Sends the first request. */
    void start() {
        send();
    }

    private void send() {
        sentNanos = System.nanoTime();
        client.request(request).whenComplete(this);
    }

    /** The answer (or failure) of the request in flight. */
    @Override
    public void accept(byte[] answer, Throwable failure) {
        long micros = (System.nanoTime() - sentNanos) / 1_000;
        boolean ok = false;
        if (failure == null) {
            long value = counterValue(answer);
            if (value != NOT_OK) {
                ok = true;
                audit.acknowledged(value);
                run.recordSuccess(micros);
            } else {
                run.recordError(); // "ok":false: the service applied nothing
            }
        } else {
            audit.failed();
            run.recordError();
        }
        if (!run.isSending()) {
            finish();
        } else if (ok) {
            send();
        } else {
            run.retryLater(this); // do not spin on a failing cluster, nor recurse on an immediate failure
        }
    }

    /** A delayed retry after an error. */
    @Override
    public void run() {
        if (run.isSending()) {
            send();
        } else {
            finish();
        }
    }

    private void finish() {
        if (finished.compareAndSet(false, true)) {
            run.clientFinished();
        }
    }

    /**
     * The counter in an {@code incr} answer: reads {@code {"ok":true,"value":N,...}} directly, and any
     * other layout with Jackson.
     *
     * @return the value, or {@link #NOT_OK} when the answer is not {@code "ok":true} with an integer value
     */
    static long counterValue(byte[] answer) {
        int n = OK_VALUE_PREFIX.length;
        if (answer.length > n && startsWith(answer, OK_VALUE_PREFIX)) {
            long value = 0;
            int i = n;
            for (; i < answer.length && i - n < 18; i++) {
                int digit = answer[i] - '0';
                if (digit < 0 || digit > 9) {
                    break;
                }
                value = value * 10 + digit;
            }
            if (i > n && i < answer.length && (answer[i] == ',' || answer[i] == '}')) {
                return value;
            }
        }
        return slowCounterValue(answer);
    }

    private static long slowCounterValue(byte[] answer) {
        try {
            JsonNode root = TestService.JSON.readTree(answer);
            if (root != null && root.path("ok").asBoolean(false) && root.path("value").isIntegralNumber()
                    && root.path("value").canConvertToLong()) {
                return root.path("value").longValue();
            }
        } catch (IOException e) {
            // unreadable: not ok
        }
        return NOT_OK;
    }

    private static boolean startsWith(byte[] bytes, byte[] prefix) {
        for (int i = 0; i < prefix.length; i++) {
            if (bytes[i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }
}
