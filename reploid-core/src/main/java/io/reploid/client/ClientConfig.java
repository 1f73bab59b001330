package io.reploid.client;

import io.netty.channel.EventLoopGroup;
import io.reploid.internal.protocol.Frame;
import io.reploid.internal.protocol.Protocol;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * The settings of one client, checked by {@link ReploidClient.Builder}. Immutable and thread-safe (the
 * listeners, group and executor it refers to are the user's).
 *
 * @param eventLoopGroup the user's group, or {@code null} when the client makes its own
 * @param callbackExecutor where futures are completed and listeners run
 * @param pushListener receives pushes, or {@code null} to drop them
 * @param stateListener receives state changes, or {@code null}
 * @param firstRequestId the id of the client's first request (time-based unless a test fixes it)
 */
record ClientConfig(
        String clientId,
        List<InetSocketAddress> gateways,
        Map<String, String> metadata,
        Duration requestTimeout,
        Duration connectTimeout,
        int maxInFlight,
        int maxPending,
        Duration minBackoff,
        Duration maxBackoff,
        Duration pingInterval,
        boolean retries,
        Duration minRetryBackoff,
        Duration maxRetryBackoff,
        int maxFrameSize,
        Consumer<byte[]> pushListener,
        Consumer<ReploidClient.State> stateListener,
        EventLoopGroup eventLoopGroup,
        Executor callbackExecutor,
        long firstRequestId) {

    /** Bytes of a REQUEST frame besides its payload: type byte and request id. */
    static final int REQUEST_OVERHEAD = 1 + 8;

    static ClientConfig of(ReploidClient.Builder b) {
        Map<String, String> metadata = Collections.unmodifiableMap(new LinkedHashMap<>(b.metadata));
        return new ClientConfig(b.clientId, b.gateways, metadata, b.requestTimeout, b.connectTimeout,
                b.maxInFlight, b.maxPending, b.minBackoff, b.maxBackoff, b.pingInterval, b.retries,
                b.minRetryBackoff, b.maxRetryBackoff, b.maxFrameSize,
                b.pushListener, b.stateListener, b.eventLoopGroup,
                b.callbackExecutor != null ? b.callbackExecutor : Callbacks.sharedPool(),
                b.firstRequestId > 0 ? b.firstRequestId : Session.firstRequestId());
    }

    /** The handshake this client sends on every connection. */
    Frame.Hello hello() {
        return new Frame.Hello(Protocol.VERSION, clientId, metadata);
    }

    /** Largest request payload that fits in one frame. */
    int maxPayload() {
        return maxFrameSize - REQUEST_OVERHEAD;
    }
}
