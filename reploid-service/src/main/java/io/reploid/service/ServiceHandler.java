package io.reploid.service;

import io.reploid.state.StateCodec;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The service's own code: creates each client's state and answers its requests.
 *
 * <p><b>Threading.</b> The runtime calls a handler from its handler executor, never from a network
 * (event loop) thread, so every method may block. For one client, {@link #newState}, {@link #onAttach},
 * {@link #onDetach} and the requests run one at a time, in the order they arrived: the next call starts
 * only after the previous one returned and, for {@link #onRequestAsync}, after its {@code CompletionStage}
 * completed. Calls for different clients run in parallel, so a handler's shared fields must be
 * thread-safe while a client's state needs no locking when it is used only from that client's calls.
 * {@link #loadGauge()} and {@link #healthy()} run on the runtime's timer thread, concurrently with
 * everything else.
 *
 * <p>Example (from {@code ServiceHandlerExampleTest}):
 * <pre>{@code
 * final class Counter implements ServiceHandler<int[]> {
 *     public int[] newState(ClientSession<int[]> session) {
 *         return new int[1];
 *     }
 *
 *     public byte[] onRequest(ClientSession<int[]> session, byte[] request) {
 *         int count = ++session.state()[0];
 *         return Integer.toString(count).getBytes(StandardCharsets.UTF_8);
 *     }
 * }
 * }</pre>
 *
 * @param <S> the type of a client's state
 */
public interface ServiceHandler<S> {

    /**
     * Creates the state of a client that has none here yet, before any other call for that client.
     * May return {@code null} when the state is set later with {@link ClientSession#setState}. When it
     * throws, the call that needed the state fails and the next one tries again.
     */
    S newState(ClientSession<S> session) throws Exception;

    /**
     * Answers one request. Override this or {@link #onRequestAsync}. A thrown exception is sent to the
     * client as an error: {@link io.reploid.ErrorCode#HANDLER_ERROR}, or the code of a
     * {@link io.reploid.ReploidException}. The returned array belongs to the runtime, which sends it
     * without copying; {@code null} sends an empty response.
     *
     * @param request the request payload, owned by the handler from now on
     */
    default byte[] onRequest(ClientSession<S> session, byte[] request) throws Exception {
        throw new UnsupportedOperationException("override onRequest or onRequestAsync");
    }

    /**
     * Answers one request asynchronously. The client's next call starts only after the returned stage
     * completes. A failed stage is sent as an error, like an exception of {@link #onRequest}. By default
     * calls {@link #onRequest}.
     */
    default CompletionStage<byte[]> onRequestAsync(ClientSession<S> session, byte[] request) {
        try {
            return CompletableFuture.completedFuture(onRequest(session, request));
        } catch (Exception e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** The client connected to a gateway and is pinned here; {@link ClientSession#metadata()} is its hello. */
    default void onAttach(ClientSession<S> session) throws Exception {
    }

    /** The client disconnected. Its state is kept for its next visit. */
    default void onDetach(ClientSession<S> session) throws Exception {
    }

    /**
     * How a client's state is turned into bytes, or {@code null} (the default) when the state cannot
     * leave this instance. Persisting, replicating and migrating state require a codec, for example
     * {@link StateCodec#json(Class)}.
     */
    default StateCodec<S> stateCodec() {
        return null;
    }

    /** A load figure of the service's own choosing, sent to the gateways with every heartbeat. */
    default double loadGauge() {
        return 0;
    }

    /** Whether the service considers itself healthy; an unhealthy instance gets no new clients. */
    default boolean healthy() {
        return true;
    }
}
