package io.reploid.examples;

import com.fasterxml.jackson.databind.JsonNode;
import io.reploid.client.ReploidClient;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;
import java.util.function.IntFunction;

/**
 * One closed-loop client of the load tool: sends {@code incr} on its own key, and sends the next request
 * from the callback of the previous answer. Reuses one request array (the client never changes it), and
 * reads the counter from the answer without parsing it into objects.
 *
 * <p>Also records, for {@code load --verify}, the longest time between two consecutive acknowledged answers
 * (and each gap of at least {@link LoadRun#longGapNanos()}, by when it began), how often the answering
 * instance changed (a failover, see {@link FailoverGaps}), which instances answered, and how often the
 * answer came through another gateway than the previous one (the client failed over to another gateway;
 * not counted with {@code --switch-gateway}, where that is every request).
 *
 * <p>With {@code --switch-gateway} it sends every request after the first on a new connection, to the next
 * gateway of its list, after closing the previous one (whose answer has arrived). A client picks its
 * request ids from the time in milliseconds (shifted left by 20 bits) plus 20 random bits, and the service
 * answers a repeated id of the same client from its record instead of running it; so a new connection is
 * built only once the clock has moved past the millisecond in which the previous one was, and two
 * connections of this client never draw their ids from the same millisecond.
 *
 * <p>Thread-safety: its fields are used by one callback at a time, each started after the previous one
 * finished (by the request it sent), so they need no locks; they are read after the run, once the
 * callback executor has stopped. {@link #close()} may be called from any thread.
 */
final class LoadClient implements BiConsumer<byte[], Throwable>, Runnable {
    /** {@link #counterValue} of an answer that is not {@code "ok":true} with an integer value. */
    static final long NOT_OK = Long.MIN_VALUE;
    private static final byte[] OK_VALUE_PREFIX = "{\"ok\":true,\"value\":".getBytes(StandardCharsets.UTF_8);
    private static final byte[] INSTANCE_KEY = "\"instance\":\"".getBytes(StandardCharsets.UTF_8);

    final CounterAudit audit = new CounterAudit();
    private final byte[] request;
    private final LoadRun run;
    private final IntFunction<ReploidClient> connections;
    private final boolean switchGateway;
    private final AtomicBoolean finished = new AtomicBoolean();
    private final Set<String> instances = new LinkedHashSet<>(4); // the ids of the instances that answered
    private volatile ReploidClient client;
    private volatile boolean closed;
    private long sentNanos;
    private long lastAckNanos;
    private long longestGapNanos;
    private byte[] instance; // the id of the instance that answered last, as in the answer
    private int instanceChanges;
    private int gatewayChanges;
    private InetSocketAddress gateway; // the gateway of the latest acknowledged answer
    private int connectionsOpened;
    private long lastConnectionMillis;

    /**
     * @param connections   a new, unconnected client for this client id whose first gateway is the
     *                      {@code k}-th of this client's order ({@code k = 0} for the first connection)
     * @param switchGateway whether each request after the first goes on a new connection to the next gateway
     */
    LoadClient(IntFunction<ReploidClient> connections, boolean switchGateway, String key, LoadRun run) {
        this.connections = connections;
        this.switchGateway = switchGateway;
        this.request = TestRequest.of("incr", key, null);
        this.run = run;
        this.client = newConnection();
    }

    /** The client of the current connection. */
    ReploidClient client() {
        return client;
    }

    private ReploidClient newConnection() {
        lastConnectionMillis = System.currentTimeMillis();
        return connections.apply(connectionsOpened++);
    }

    /** Sends the first request. */
    void start() {
        send();
    }

    private void send() {
        if (switchGateway && lastAckNanos != 0) {
            sendOnNextGateway();
            return;
        }
        sentNanos = System.nanoTime();
        client.request(request).whenComplete(this);
    }

    /** Closes the current connection and sends the request on a new one, to the next gateway. */
    private void sendOnNextGateway() {
        if (System.currentTimeMillis() <= lastConnectionMillis) {
            run.sendLater(this, 1); // see the class comment: never two connections in one millisecond
            return;
        }
        ReploidClient previous = client;
        ReploidClient next = newConnection();
        client = next;
        previous.close();
        if (closed) {
            next.close(); // the run closed this client while the connection was being replaced
        }
        sentNanos = System.nanoTime();
        next.connect().whenComplete((connected, failure) -> {
            if (failure == null) {
                next.request(request).whenComplete(this);
            } else {
                notConnected();
            }
        });
    }

    /** A new connection failed: the request was not sent, so it cannot have been applied. */
    private void notConnected() {
        run.recordError();
        if (!run.isSending()) {
            finish();
        } else {
            run.retryLater(this);
        }
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
                    long gap = now - lastAckNanos;
                    longestGapNanos = Math.max(longestGapNanos, gap);
                    if (gap >= run.longGapNanos()) {
                        run.recordLongGap(lastAckNanos, gap);
                    }
                }
                noteGateway(now);
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

    /** Counts a change of gateway since the previous acknowledged answer, with the gap it cost. */
    private void noteGateway(long now) {
        if (switchGateway) {
            return;
        }
        InetSocketAddress current = client.gateway(); // null if the connection closed since the answer
        if (current == null) {
            return;
        }
        if (gateway != null && !gateway.equals(current)) {
            gatewayChanges++;
            run.recordGatewayChange(lastAckNanos, now - lastAckNanos);
        }
        gateway = current;
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
        instances.add(new String(instance, StandardCharsets.UTF_8));
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

    /** How often an answer came through another gateway than the previous one (0 with switchGateway). */
    int gatewayChanges() {
        return gatewayChanges;
    }

    /** The instances that answered, in the order they first did. */
    Set<String> instances() {
        return Collections.unmodifiableSet(instances);
    }

    /** Closes the current connection; a connection being opened is closed as soon as it is. */
    void close() {
        closed = true;
        client.close();
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
