package io.reploid.client;

import static java.util.Objects.requireNonNull;

import io.netty.channel.EventLoopGroup;
import io.reploid.ErrorCode;
import io.reploid.ReploidException;
import io.reploid.internal.HostAndPort;
import io.reploid.internal.protocol.Ids;
import io.reploid.internal.protocol.Protocol;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * A connection to a Reploid cluster through one of its gateways, on behalf of one client id. The gateway
 * pins the client to a service instance; every request goes to that instance, and the instance may push
 * messages back at any time.
 *
 * <pre>{@code
 * try (ReploidClient client = ReploidClient.builder()
 *         .clientId("player-42")
 *         .gateways("gw1.example.com:7400,gw2.example.com:7400")
 *         .onPush(bytes -> System.out.println("pushed " + bytes.length + " bytes"))
 *         .build()) {
 *     client.connect().join();
 *     byte[] answer = client.request("hello".getBytes(StandardCharsets.UTF_8)).join();
 * }
 * }</pre>
 *
 * <p><b>Requests.</b> At most {@link Builder#maxInFlight(int) maxInFlight} requests are sent and
 * unanswered at a time; further requests wait in a FIFO queue and are sent as answers arrive. Requests
 * made while the client is not connected wait in the same queue and are sent after the next handshake.
 * When {@code maxInFlight + maxPending} requests are outstanding (retried ones included),
 * {@link #request(byte[])} fails at once with {@link ErrorCode#OVERLOADED}. Each request has a deadline
 * counted from the {@code request} call; when it passes the request fails with {@link ErrorCode#TIMEOUT}
 * and a late answer is dropped.
 *
 * <p><b>Retries.</b> A request keeps its id however often it is sent, and a service that records the
 * answers of a client's recent requests (and restores them with the client's state on another instance)
 * answers a repeated id from that record instead of applying the request twice. So, unless
 * {@link Builder#retries(boolean) retries(false)}, the client sends a request again by itself:
 * <ul>
 *   <li>when it failed with a {@linkplain ErrorCode#retriable() retriable} error such as
 *       {@link ErrorCode#INSTANCE_UNAVAILABLE} (its instance died; the gateway moves the client to
 *       another one), {@link ErrorCode#OVERLOADED}, {@link ErrorCode#SHUTTING_DOWN} or
 *       {@link ErrorCode#NO_CAPACITY}: after a {@linkplain Builder#retryBackoff(Duration, Duration)
 *       backoff}, on whatever connection the client has then;
 *   <li>when the connection closed while it was in flight ({@link ErrorCode#CONNECTION_LOST}: it may or
 *       may not have been applied): right after the next handshake, through the next gateway.
 * </ul>
 * It does so as often as fits before the request's deadline; when the deadline passes the request fails
 * with {@link ErrorCode#TIMEOUT} whose cause is the last retriable error. A {@code TIMEOUT} error from the
 * gateway or service is final, and so is every non-retriable error: the request fails with it at once. A
 * cancelled or timed-out request is never sent again.
 *
 * <p><b>Order.</b> Requests are sent for the first time in the order of their {@code request} calls (calls
 * on different threads: in the order in which they reach the client's event loop). A request to be sent
 * again goes before every request that was first sent after it: retried requests are sent again in the
 * order of their first sends, and while one of them waits for its backoff, the client sends neither a
 * retried request first sent after it nor any request for the first time (requests in flight are not
 * recalled). So, for a service that runs a client's requests one at a time in arrival order: with
 * {@link Builder#maxInFlight(int) maxInFlight(1)}, requests run in the order of their {@code request}
 * calls, across instance failovers and reconnects, except that a request which timed out or was cancelled
 * may have run, or may still run after later ones; with more requests in flight, a request that was
 * already sent when an earlier one failed may reach the new instance before the earlier one's retry.
 *
 * <p><b>Reconnecting.</b> When an established connection closes, the requests sent on it are queued to be
 * sent again (with {@code retries(false)} they fail with {@link ErrorCode#CONNECTION_LOST}), queued
 * requests stay queued, and the client connects to the next gateway of its list, round-robin, waiting
 * with exponential backoff after each round in which every gateway failed. After
 * {@link ErrorCode#SESSION_REPLACED} (another connection said hello with the same client id) or
 * {@link ErrorCode#UNSUPPORTED_VERSION} the client does not reconnect: everything outstanding, retries
 * included, fails with that error and the client is closed.
 *
 * <p><b>Threads.</b> Implementations are thread-safe. Network I/O runs on a Netty event loop; futures are
 * completed and listeners are called on the {@link Builder#callbackExecutor(java.util.concurrent.Executor)
 * callback executor}, never on an event loop, so user code may block there without stalling the client
 * (though a blocked callback executor delays every completion that runs on it). Push and state listeners
 * are called one at a time, in the order the events happened.
 *
 * <p>Failures are {@link ReploidException}s; {@link ReploidException#retriable()} says whether sending the
 * same request again may succeed.
 */
public interface ReploidClient extends AutoCloseable {

    /** A new builder. */
    static Builder builder() {
        return new Builder();
    }

    /**
     * Connects to the first gateway that accepts, trying the configured gateways in order (the first one
     * first; after a failed round the next call goes on where the last attempt stopped). Does nothing
     * when the client is connected or connecting, except to return a future for that connection.
     *
     * @return a future completed (on the callback executor) after the gateway's {@code WELCOME}, or failed
     *     with the {@link ReploidException} of the last attempt when every gateway refused or was
     *     unreachable ({@link ErrorCode#CLOSED} when the client is closed). Once connected, the client
     *     reconnects by itself after a lost connection.
     */
    CompletableFuture<Void> connect();

    /**
     * Sends a request with the {@linkplain Builder#requestTimeout(Duration) default timeout}.
     *
     * @see #request(byte[], Duration)
     */
    CompletableFuture<byte[]> request(byte[] payload);

    /**
     * Sends a request to the instance this client is pinned to.
     *
     * <p>The client does not copy {@code payload}: the caller must not change the array after passing it.
     * The array of a completed future is a fresh copy of the response and belongs to the caller.
     * Cancelling the future gives up the request: it is not sent (again), and an answer that arrives
     * later is dropped.
     *
     * @param payload the request body, forwarded to the service unread
     * @param timeout how long after this call the request may take, including time spent queued
     * @return a future completed on the callback executor with the response, or failed with a
     *     {@link ReploidException}: the service's or gateway's non-retriable error,
     *     {@link ErrorCode#TIMEOUT} (caused by the last retriable error when the request was retried),
     *     {@link ErrorCode#OVERLOADED} (at once, when too many requests are outstanding),
     *     {@link ErrorCode#FRAME_TOO_LARGE} (at once, when the payload does not fit in one frame) or
     *     {@link ErrorCode#CLOSED}; with {@link Builder#retries(boolean) retries(false)} also a retriable
     *     error such as {@link ErrorCode#CONNECTION_LOST} or {@link ErrorCode#INSTANCE_UNAVAILABLE}
     * @throws NullPointerException when {@code payload} or {@code timeout} is null
     * @throws IllegalArgumentException when {@code timeout} is not positive
     */
    CompletableFuture<byte[]> request(byte[] payload, Duration timeout);

    /** The instance the latest {@code WELCOME} pinned this client to, or {@code null} before the first. */
    String instanceId();

    /** The gateway this client is connected to, or {@code null} while it is not connected. */
    InetSocketAddress gateway();

    /** Whether the client has completed a handshake on its current connection. */
    boolean isConnected();

    /**
     * Requests sent to the gateway and not yet answered, failed or timed out; a request waiting to be sent
     * again is not in flight.
     */
    int inFlight();

    /** The state of the client's connection. */
    State state();

    /**
     * Closes the connection and fails every outstanding request (including those waiting to be sent
     * again) and pending {@link #connect()} with {@link ErrorCode#CLOSED}. Idempotent. Waits briefly for
     * the client's own event loop (if it made one) to stop; a shared {@link Builder#eventLoopGroup event
     * loop group} is left running.
     */
    @Override
    void close();

    /** The state of a client's connection, reported to {@link Builder#onStateChange}. */
    enum State {
        /** Not connected and not trying: before {@link #connect()}, or after a round of attempts failed. */
        IDLE,
        /** Connecting or waiting to reconnect. */
        CONNECTING,
        /** Connected: the gateway answered the handshake. */
        CONNECTED,
        /** Closed by {@link #close()} or by an error after which the client does not reconnect. */
        CLOSED
    }

    /**
     * Configures and builds a {@link ReploidClient}. {@link #clientId} and one of the {@code gateway(s)}
     * methods are required; everything else has a default. Setters check their argument at once and
     * {@link #build()} checks the combination, with messages that name the setting.
     *
     * <p>Not thread-safe; a builder may build several clients (each with its own connection).
     */
    final class Builder {
        /** Smallest accepted maxFrameSize: room for a handshake answer with the longest ids. */
        private static final int MIN_FRAME_SIZE = 1024;

        String clientId;
        List<InetSocketAddress> gateways;
        final Map<String, String> metadata = new LinkedHashMap<>();
        Duration requestTimeout = Duration.ofSeconds(10);
        Duration connectTimeout = Duration.ofSeconds(3);
        int maxInFlight = 256;
        int maxPending = 10_000;
        Duration minBackoff = Duration.ofMillis(100);
        Duration maxBackoff = Duration.ofSeconds(5);
        Duration pingInterval = Duration.ofSeconds(5);
        boolean retries = true;
        Duration minRetryBackoff = Duration.ofMillis(10);
        Duration maxRetryBackoff = Duration.ofMillis(500);
        int maxFrameSize = Protocol.DEFAULT_MAX_FRAME_SIZE;
        Consumer<byte[]> pushListener;
        Consumer<State> stateListener;
        EventLoopGroup eventLoopGroup;
        Executor callbackExecutor;
        /** Package-private, for tests that name request ids: the first id, 0 for a time-based start. */
        long firstRequestId;

        Builder() {
        }

        /**
         * The client id the gateway pins: 1 to 255 UTF-8 bytes without control characters. Required.
         *
         * @throws IllegalArgumentException when the id is not acceptable
         */
        public Builder clientId(String clientId) {
            this.clientId = Ids.checkArgument("clientId", clientId);
            return this;
        }

        /** The single gateway to connect to, as {@code host:port}. Replaces earlier gateways. */
        public Builder gateway(String hostPort) {
            this.gateways = List.of(HostAndPort.parse(hostPort));
            return this;
        }

        /**
         * The gateways to connect to, as comma-separated {@code host:port}s, tried in this order.
         * Replaces earlier gateways.
         */
        public Builder gateways(String commaSeparated) {
            this.gateways = List.copyOf(HostAndPort.parseList(commaSeparated));
            return this;
        }

        /** The gateways to connect to, tried in this order. Replaces earlier gateways. */
        public Builder gateways(List<InetSocketAddress> gateways) {
            requireNonNull(gateways, "gateways");
            if (gateways.isEmpty()) {
                throw new IllegalArgumentException("gateways: [] (expected: at least one address)");
            }
            for (int i = 0; i < gateways.size(); i++) {
                if (gateways.get(i) == null) {
                    throw new NullPointerException("gateways[" + i + "]");
                }
            }
            this.gateways = List.copyOf(gateways);
            return this;
        }

        /** Adds an entry to the metadata sent in the handshake (the service sees it on attach). */
        public Builder metadata(String key, String value) {
            requireNonNull(key, "key");
            requireNonNull(value, "value");
            checkString("metadata key", key);
            checkString("metadata value of '" + key + "'", value);
            metadata.put(key, value);
            return this;
        }

        /** Adds every entry of {@code metadata} to the metadata sent in the handshake. */
        public Builder metadata(Map<String, String> metadata) {
            requireNonNull(metadata, "metadata").forEach(this::metadata);
            return this;
        }

        /** How long a request may take, counted from the {@code request} call. Default 10 s. */
        public Builder requestTimeout(Duration timeout) {
            this.requestTimeout = positive("requestTimeout", timeout);
            return this;
        }

        /** How long one connection attempt (TCP connect and handshake) may take. Default 3 s. */
        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = positive("connectTimeout", timeout);
            return this;
        }

        /** Most requests sent and not yet answered. Default 256. */
        public Builder maxInFlight(int maxInFlight) {
            if (maxInFlight <= 0) {
                throw new IllegalArgumentException("maxInFlight: " + maxInFlight + " (expected: > 0)");
            }
            this.maxInFlight = maxInFlight;
            return this;
        }

        /** Most requests waiting to be sent, beyond {@code maxInFlight}. Default 10,000. */
        public Builder maxPending(int maxPending) {
            if (maxPending < 0) {
                throw new IllegalArgumentException("maxPending: " + maxPending + " (expected: >= 0)");
            }
            this.maxPending = maxPending;
            return this;
        }

        /**
         * The wait between rounds of reconnect attempts: exponential from {@code min} to {@code max}, with
         * jitter, reset by every successful handshake. Default 100 ms to 5 s.
         */
        public Builder reconnectBackoff(Duration min, Duration max) {
            checkBackoff("reconnectBackoff", min, max);
            this.minBackoff = min;
            this.maxBackoff = max;
            return this;
        }

        /**
         * Whether a request that failed with a retriable error, or was in flight on a connection that
         * closed, is sent again with the same id until it is answered, fails with a non-retriable error or
         * reaches its deadline (see "Retries" in {@link ReploidClient}). When false, every error fails the
         * request at once, {@link ErrorCode#CONNECTION_LOST} included. Default true.
         */
        public Builder retries(boolean retries) {
            this.retries = retries;
            return this;
        }

        /**
         * The wait before a request that failed with a retriable error is sent again: exponential from
         * {@code min} to {@code max}, with jitter, growing with each retry of the same request. A request
         * whose connection closed is sent again right after the next handshake instead. Default 10 ms to
         * 500 ms.
         */
        public Builder retryBackoff(Duration min, Duration max) {
            checkBackoff("retryBackoff", min, max);
            this.minRetryBackoff = min;
            this.maxRetryBackoff = max;
            return this;
        }

        /**
         * How long the connection may be silent before the client sends a {@code PING}; after three silent
         * intervals the client closes the connection and reconnects. Default 5 s.
         */
        public Builder pingInterval(Duration interval) {
            this.pingInterval = positive("pingInterval", interval);
            return this;
        }

        /**
         * Largest frame (type byte and body) the client accepts or sends. A larger incoming frame closes
         * the connection; a request whose payload does not fit fails with
         * {@link ErrorCode#FRAME_TOO_LARGE}. Default 1 MiB, like the gateway's.
         */
        public Builder maxFrameSize(int maxFrameSize) {
            if (maxFrameSize < MIN_FRAME_SIZE) {
                throw new IllegalArgumentException("maxFrameSize: " + maxFrameSize
                        + " (expected: >= " + MIN_FRAME_SIZE + ")");
            }
            this.maxFrameSize = maxFrameSize;
            return this;
        }

        /**
         * Receives the payload of every push, one at a time, in order, on the callback executor. The array
         * belongs to the listener. An exception it throws is logged. Without a listener pushes are dropped.
         *
         * <p>A slow listener slows the connection down: while 256 pushes wait for it, the client stops
         * reading from the gateway (responses included) and reads again once 64 are left.
         */
        public Builder onPush(Consumer<byte[]> listener) {
            this.pushListener = requireNonNull(listener, "listener");
            return this;
        }

        /** Receives every change of {@link ReploidClient#state()}, in order, on the callback executor. */
        public Builder onStateChange(Consumer<State> listener) {
            this.stateListener = requireNonNull(listener, "listener");
            return this;
        }

        /**
         * The event loops to run the connection on, typically shared by many clients. The client does not
         * shut it down. Default: a group of one thread of the client's own, shut down by
         * {@link ReploidClient#close()}.
         */
        public Builder eventLoopGroup(EventLoopGroup group) {
            this.eventLoopGroup = requireNonNull(group, "group");
            return this;
        }

        /**
         * Where futures are completed and listeners run. It must not run tasks on the calling thread (a
         * direct executor would run user code on the event loop). Default: a shared pool of daemon threads
         * named {@code reploid-client-callback-N}.
         */
        public Builder callbackExecutor(Executor executor) {
            this.callbackExecutor = requireNonNull(executor, "executor");
            return this;
        }

        /**
         * Builds a client; it does not connect until {@link ReploidClient#connect()}.
         *
         * @throws IllegalStateException when a required setting is missing or settings do not fit together
         */
        public ReploidClient build() {
            if (clientId == null) {
                throw new IllegalStateException("clientId is missing (expected: clientId(String))");
            }
            if (gateways == null) {
                throw new IllegalStateException("gateways are missing (expected: gateway(\"host:port\") or gateways(...))");
            }
            if (metadata.size() > Protocol.MAX_MAP_ENTRIES) {
                throw new IllegalStateException("metadata: " + metadata.size() + " entries (expected: at most "
                        + Protocol.MAX_MAP_ENTRIES + ")");
            }
            int hello = helloSize();
            if (hello > maxFrameSize) {
                throw new IllegalStateException("the handshake with this clientId and metadata is " + hello
                        + " bytes (expected: at most maxFrameSize " + maxFrameSize + ")");
            }
            if ((long) maxInFlight + maxPending > Integer.MAX_VALUE) {
                throw new IllegalStateException("maxInFlight + maxPending: " + ((long) maxInFlight + maxPending)
                        + " (expected: at most " + Integer.MAX_VALUE + ")");
            }
            return new Session(ClientConfig.of(this));
        }

        private int helloSize() {
            int size = 1 + 4 + 2 + 2 + utf8Length(clientId) + 2;
            for (Map.Entry<String, String> e : metadata.entrySet()) {
                size += 2 + utf8Length(e.getKey()) + 2 + utf8Length(e.getValue());
            }
            return size;
        }

        private static void checkBackoff(String what, Duration min, Duration max) {
            positive(what + " min", min);
            positive(what + " max", max);
            if (min.toMillis() < 1) {
                throw new IllegalArgumentException(what + " min: " + min + " (expected: >= 1 ms)");
            }
            if (max.compareTo(min) < 0) {
                throw new IllegalArgumentException(what + ": " + min + ".." + max + " (expected: min <= max)");
            }
        }

        private static void checkString(String what, String s) {
            int length = utf8Length(s);
            if (length > 0xFFFF) {
                throw new IllegalArgumentException(what + " is " + length + " UTF-8 bytes (expected: at most 65535)");
            }
        }

        private static int utf8Length(String s) {
            return s.getBytes(StandardCharsets.UTF_8).length;
        }

        private static Duration positive(String what, Duration d) {
            requireNonNull(d, what);
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(what + ": " + d + " (expected: > 0)");
            }
            return d;
        }
    }
}
