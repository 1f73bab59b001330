package io.reploid.gateway;

import static java.util.Objects.requireNonNull;

import io.reploid.client.ReploidClient;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * One client's closed loop of {@code incr} requests on its own counter ({@link CounterHandler} answers
 * {@code instance:value}): the next request goes out when the previous one is answered, and every
 * acknowledged value is checked by the rule of {@code load --verify}. With {@code acked} the latest
 * acknowledged value and {@code expected = acked + 1}: a smaller value means {@code expected - v}
 * acknowledged increments were lost; a larger one means increments applied twice, unless explained by
 * requests that failed without an answer (each may have been applied once).
 *
 * <p>Thread-safe: the loop's callbacks run one at a time (each request is sent by the previous one's
 * callback) and publish what the test thread reads through volatile fields and concurrent maps.
 */
final class CounterLoop {
    private static final byte[] INCR = "incr".getBytes(StandardCharsets.UTF_8);

    final String clientId;
    final ReploidClient client;
    private final Map<String, Long> lastValueBy = new ConcurrentHashMap<>();
    private final CompletableFuture<Void> stopped = new CompletableFuture<>();
    private volatile boolean running;
    private volatile long acks;
    private volatile long acked;
    private volatile String instance;
    private volatile int instanceChanges;
    private volatile long lost;
    private volatile long duplicated;
    private volatile long failed;
    private volatile long uncertain;
    private volatile long acksAtMark;
    private volatile String instanceAtMark;

    CounterLoop(String clientId, ReploidClient client) {
        this.clientId = requireNonNull(clientId, "clientId");
        this.client = requireNonNull(client, "client");
    }

    /** Starts the loop (the client must be connected or connecting). */
    void start() {
        running = true;
        send();
    }

    /** Ends the loop after the request in flight; the future completes when it has. */
    CompletableFuture<Void> stop() {
        running = false;
        return stopped;
    }

    private void send() {
        client.request(INCR).whenComplete(this::answered);
    }

    private void answered(byte[] answer, Throwable failure) {
        if (failure == null) {
            String text = new String(answer, StandardCharsets.UTF_8);
            int colon = text.lastIndexOf(':');
            acknowledged(text.substring(0, colon), Long.parseLong(text.substring(colon + 1)));
        } else {
            failed++;
            uncertain++;
        }
        if (!running) {
            stopped.complete(null);
        } else if (failure == null) {
            send();
        } else { // a failed future may be complete already: never recurse on it
            CompletableFuture.delayedExecutor(10, TimeUnit.MILLISECONDS).execute(this::send);
        }
    }

    private void acknowledged(String from, long value) {
        long expected = acked + 1;
        if (value < expected) {
            lost += expected - value;
        } else if (value > expected) {
            long gap = value - expected;
            long explained = Math.min(gap, uncertain);
            uncertain -= explained;
            duplicated += gap - explained;
        }
        acked = value;
        if (instance != null && !instance.equals(from)) {
            instanceChanges++;
        }
        instance = from;
        lastValueBy.put(from, value);
        acks++;
    }

    /** Remembers this moment: {@link #acksSinceMark()} counts from here. */
    void mark() {
        acksAtMark = acks;
        instanceAtMark = instance;
    }

    /** Acknowledged requests since the latest {@link #mark()}. */
    long acksSinceMark() {
        return acks - acksAtMark;
    }

    /** The instance that answered the last acknowledged request before the latest {@link #mark()}. */
    String instanceAtMark() {
        return instanceAtMark;
    }

    long acks() {
        return acks;
    }

    /** The value of the latest acknowledged increment. */
    long acked() {
        return acked;
    }

    /** The instance that answered the latest acknowledged increment. */
    String instance() {
        return instance;
    }

    /** How often the instance that answered changed from one acknowledged request to the next. */
    int instanceChanges() {
        return instanceChanges;
    }

    /** The latest value an instance answered, or 0 when it answered none. */
    long lastValueFrom(String instanceId) {
        return lastValueBy.getOrDefault(instanceId, 0L);
    }

    long lost() {
        return lost;
    }

    long duplicated() {
        return duplicated;
    }

    /** Requests that failed for good (their deadline passed). */
    long failed() {
        return failed;
    }

    @Override
    public String toString() {
        return clientId + "(acked " + acked + " from " + instance + ", lost " + lost + ", duplicated " + duplicated
                + ", failed " + failed + ")";
    }
}
