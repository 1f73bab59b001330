package io.reploid.service.internal;

import io.reploid.service.Persistence;
import io.reploid.service.ServiceHandler;
import io.reploid.state.StateStore;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;

/**
 * A validated service configuration. Immutable (the handler and executor aside) and thread-safe.
 *
 * @param executor the caller's handler executor, or {@code null} for a runtime-owned one of
 *                 {@code handlerThreads} threads
 * @param store    the state store, or {@code null}
 * @param peerHost the host of the peer port, or {@code null} for every interface
 */
record ServiceConfig<S>(
        ServiceHandler<S> handler,
        List<InetSocketAddress> gateways,
        String instanceId,
        int capacity,
        int weight,
        Map<String, String> labels,
        String advertisedAddress,
        int handlerThreads,
        ExecutorService executor,
        int maxInFlight,
        int maxFrameSize,
        long backoffMinMillis,
        long backoffMaxMillis,
        int eventLoopThreads,
        Persistence persistence,
        StateStore store,
        int dedupWindow,
        String peerHost,
        int peerPort,
        long replicationTimeoutMillis) {
}
