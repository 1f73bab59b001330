package io.reploid.service.internal;

import io.reploid.service.ServiceHandler;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;

/**
 * A validated service configuration. Immutable (the handler and executor aside) and thread-safe.
 *
 * @param executor the caller's handler executor, or {@code null} for a runtime-owned one of
 *                 {@code handlerThreads} threads
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
        int eventLoopThreads) {
}
