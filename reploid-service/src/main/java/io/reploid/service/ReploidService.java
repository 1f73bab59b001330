package io.reploid.service;

import io.reploid.service.internal.ServiceBuilder;
import io.reploid.state.StateStore;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;

/**
 * A running service instance: connected to every gateway it was given, it registers, reports its load,
 * holds the sessions of the clients pinned to it and hands their requests to its {@link ServiceHandler}.
 *
 * <pre>{@code
 * ReploidService service = ReploidService.builder(new Counter())
 *         .gateways("127.0.0.1:7401")
 *         .instanceId("counter-1")
 *         .build();
 * service.start().join();
 * }</pre>
 *
 * <p>Thread-safe.
 */
public interface ReploidService extends AutoCloseable {

    /** A builder of a service that calls {@code handler}. */
    static <S> Builder<S> builder(ServiceHandler<S> handler) {
        return new ServiceBuilder<>(handler);
    }

    /**
     * Connects to every gateway in the background; a connection that fails or closes is opened again
     * with exponential backoff until {@link #close()}. Calling it again does not connect again; it returns
     * a future of the same outcome.
     *
     * @return completes when the instance is registered with at least one gateway; fails when the
     *         service is closed first
     */
    CompletableFuture<Void> start();

    /** The id this instance registers with. */
    String instanceId();

    /** Clients whose sessions this instance holds. */
    int clientCount();

    /** Gateways this instance is registered with right now. */
    int registeredGateways();

    /**
     * Drains this instance: it reports itself draining to every gateway, which stop placing new clients
     * here and move its clients to other instances with their state (live migration, at a bounded rate;
     * requests of a moving client wait and are replayed on the new instance). Call it before {@link #close()}
     * for a restart or a scale-in that clients do not notice.
     *
     * @return completes when this instance holds no client; never fails (pair it with a timeout)
     */
    CompletableFuture<Void> drain();

    /** Whether {@link #drain()} was called (or a gateway asked this instance to drain). */
    boolean isDraining();

    /**
     * Stops: closes the gateway connections and stops reconnecting, waits a few seconds for running
     * handler calls when the runtime owns the executor, then stops its threads. Idempotent.
     */
    @Override
    void close();

    /**
     * Configures a {@link ReploidService}. Each method validates its argument at once, and {@link #build()}
     * validates the combination. Not thread-safe.
     *
     * @param <S> the type of a client's state
     */
    interface Builder<S> {

        /** Adds the service port of a gateway, as {@code host:port}. */
        Builder<S> gateway(String hostPort);

        /** Adds gateways' service ports as {@code host:port[,host:port...]}. */
        Builder<S> gateways(String commaSeparated);

        /** Adds gateways' service ports. */
        Builder<S> gateways(List<InetSocketAddress> addresses);

        /** The id of this instance, unique among the instances of a cluster. Required. */
        Builder<S> instanceId(String instanceId);

        /** Most clients this instance accepts; default 1000. */
        Builder<S> capacity(int capacity);

        /** Relative share of new clients for weighted balancers; default 1. */
        Builder<S> weight(int weight);

        /** Adds a label that balancers and operators can see. */
        Builder<S> label(String key, String value);

        /** Adds labels. */
        Builder<S> labels(Map<String, String> labels);

        /**
         * The address peers can reach this instance on to share state, sent to the gateways in REGISTER.
         * Default: with {@link Persistence#replicated replicated} persistence, {@code host:peerPort} (the
         * {@link #peerHost}, else the local address of the connection to the gateway); otherwise empty.
         */
        Builder<S> advertisedAddress(String address);

        /**
         * How clients' state survives this instance's death; default {@link Persistence#none()}. Every mode
         * but {@code none} needs {@link ServiceHandler#stateCodec()}; write-through and write-behind need a
         * {@link #stateStore}.
         */
        Builder<S> persistence(Persistence persistence);

        /**
         * Where clients' records are written (write-through, write-behind; optional with replicated, where it
         * is also written behind, every {@link Persistence#DEFAULT_FLUSH_INTERVAL}) and restored from. The
         * store stays the caller's: {@link ReploidService#close()} does not close it.
         */
        Builder<S> stateStore(StateStore store);

        /**
         * How many recent answers each client keeps so that a retried request is answered again instead of
         * run twice; default 1,024. Exactly-once holds while a client has at most this many requests in
         * flight (the Java client allows 256 by default). The answers are kept in memory with the client's
         * state and in its record, so large responses make large sessions and records. A request that
         * reuses a recorded id with a different payload is run as a new request.
         */
        Builder<S> dedupWindow(int requests);

        /**
         * The port peers connect to for replication ({@link Persistence#replicated}); default 0, an
         * ephemeral port.
         */
        Builder<S> peerPort(int port);

        /**
         * The host the peer port listens on and is advertised with ({@link Persistence#replicated}). Default:
         * listen on every interface and advertise the local address of the connection to the gateway.
         */
        Builder<S> peerHost(String host);

        /**
         * How long a response waits for its replicas' acknowledgements ({@link Persistence#replicated})
         * before it fails with a retriable error; default 2 s.
         */
        Builder<S> replicationTimeout(Duration timeout);

        /** Threads of the runtime's own handler executor; default {@code max(16, 8 * cores)}. */
        Builder<S> handlerThreads(int threads);

        /**
         * Runs handler calls on the caller's executor instead of the runtime's own. {@link ReploidService#close()}
         * does not shut it down. Not combinable with {@link #handlerThreads}.
         */
        Builder<S> executor(ExecutorService executor);

        /**
         * Most requests queued or running before the instance stops reading from the gateways (it reads
         * again below half); default 10,000.
         */
        Builder<S> maxInFlight(int maxInFlight);

        /** Largest frame accepted from a gateway, in bytes; default 1 MiB. */
        Builder<S> maxFrameSize(int bytes);

        /** Delay before reconnecting: from {@code min}, doubling up to {@code max}; default 100 ms to 5 s. */
        Builder<S> reconnectBackoff(Duration min, Duration max);

        /** Network threads; default 0, which means Netty's default (twice the cores). */
        Builder<S> eventLoopThreads(int threads);

        /**
         * A new service, not yet started.
         *
         * @throws IllegalStateException when no gateway or no instance id was given, or settings conflict
         */
        ReploidService build();
    }
}
