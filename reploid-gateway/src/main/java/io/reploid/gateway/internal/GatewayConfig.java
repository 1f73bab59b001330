package io.reploid.gateway.internal;

import io.reploid.balance.LoadBalancer;
import java.time.Duration;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Everything a gateway is configured with; built and validated by
 * {@link io.reploid.gateway.ReploidGateway.Builder}. Immutable.
 */
public record GatewayConfig(
        String gatewayId,
        String host,
        int clientPort,
        int servicePort,
        String adminHost,
        int adminPort,
        Supplier<LoadBalancer> balancer,
        String balancerName,
        int maxFrameSize,
        int maxInFlightPerClient,
        int clientLowWaterMark,
        int clientHighWaterMark,
        long maxClientPendingBytes,
        Duration handshakeTimeout,
        Duration heartbeatInterval,
        Duration acceptableHeartbeatPause,
        Duration suspectTimeout,
        io.reploid.health.HealthCheck healthCheck,
        Duration deadRetention,
        Duration pinRecoveryWindow,
        Duration pinIdleTimeout,
        double rebalanceFraction,
        Duration rebalanceInterval,
        int eventLoopThreads,
        LongSupplier nanoClock,
        io.reploid.gateway.AdminActions adminActions,
        boolean remoteAdminActions,
        java.util.List<String> peers,
        String advertisedAddress,
        io.reploid.directory.PinDirectory directory,
        Duration claimTimeout,
        int migrationRate,
        int migrationConcurrency) {
}
