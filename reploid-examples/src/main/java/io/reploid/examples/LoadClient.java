package io.reploid.examples;

import com.fasterxml.jackson.databind.JsonNode;
import io.reploid.client.ReploidClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;

/**
 * One closed-loop client of the load tool: sends {@code incr} on its own key, and sends the next request
 * from the callback of the previous answer. Reuses one request array (the client never changes it), and
 * reads the counter from the answer without parsing it into objects.
 *
 * <p>Also records, for {@code load --verify}, the longest time between two consecutive acknowledged answers
 * and how often the answering instance changed (a failover, see {@link FailoverGaps}).
 *
 * <p>Thread-safety: its fields are used by one callback at a time, each started after the previous one
 * finished (by the request it sent), so they need no locks; they are read after the run, once the
 * callback executor has stopped.
 */
final class LoadClient implements BiConsumer<byte[], Throwable>, Runnable {
    /** {@link #counterValue} of an answer that is not {@code "ok":true} with an integer value. */
    static final long NOT_OK = Long.MIN_VALUE;
    private static final byte[] OK_VALUE_PREFIX = "{\"ok\":true,\"value\":".getBytes(StandardCharsets.UTF_8);
    private static final byte[] INSTANCE_KEY = "\"instance\":\"".getBytes(StandardCharsets.UTF_8);

    final ReploidClient client;
    final CounterAudit audit = new CounterAudit();
    private final byte[] request;
    private final LoadRun run;
    private final AtomicBoolean finished = new AtomicBoolean();
    private long sentNanos;
    private long lastAckNanos;
    private long longestGapNanos;
    private byte[] instance; // the id of the instance that answered last, as in the answer
    private int instanceChanges;

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
        long now = System.nanoTime();
        long micros = (now - sentNanos) / 1_000;
        boolean ok = false;
        if (failure == null) {
            long value = counterValue(answer);
            if (value != NOT_OK) {
                ok = true;
                audit.acknowledged(value);
                run.recordSuccess(micros);
                if (lastAckNanos != 0) {
                    longestGapNanos = Math.max(longestGapNanos, now - lastAckNanos);
                }
                lastAckNanos = now;
                noteInstance(answer);
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

    /**
     * Remembers which instance answered (an {@code incr} answer ends with {@code "instance":"ID"} and the
     * closing brace), counting changes, without allocating while it stays the same.
     */
    private void noteInstance(byte[] answer) {
        int start = instanceIdStart(answer);
        if (start < 0) {
            return;
        }
        int end = answer.length - 2;
        if (instance != null && Arrays.equals(answer, start, end, instance, 0, instance.length)) {
            return;
        }
        if (instance != null) {
            instanceChanges++;
        }
        instance = Arrays.copyOfRange(answer, start, end);
    }

    /**
     * Where the instance id starts in an answer that ends with {@code "instance":"ID"} and the closing
     * brace (the id ends two bytes before the end); -1 for another layout.
     */
    static int instanceIdStart(byte[] answer) {
        int end = answer.length - 2; // the closing quote of the id
        if (end < INSTANCE_KEY.length || answer[end + 1] != '}' || answer[end] != '"') {
            return -1;
        }
        int start = end;
        while (start > 0 && answer[start - 1] != '"') {
            start--;
        }
        int key = start - INSTANCE_KEY.length;
        return key >= 0 && Arrays.equals(answer, key, start, INSTANCE_KEY, 0, INSTANCE_KEY.length) ? start : -1;
    }

    /** The longest time between two consecutive acknowledged answers, in nanoseconds; 0 before the second. */
    long longestGapNanos() {
        return longestGapNanos;
    }

    /** How often the instance that answered changed from one acknowledged answer to the next. */
    int instanceChanges() {
        return instanceChanges;
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
