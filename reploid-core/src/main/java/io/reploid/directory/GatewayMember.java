package io.reploid.directory;

import java.util.Objects;

/**
 * One gateway of the cluster as a directory knows it.
 *
 * <p>Immutable and thread-safe.
 *
 * @param gatewayId its id
 * @param serviceAddress {@code host:port} of its service port (where instances and other gateways connect)
 * @param adminAddress {@code host:port} of its admin API, or empty
 * @param leader whether it holds the cluster's leadership
 * @param live whether the directory saw it recently (connected, or its lease is fresh)
 */
public record GatewayMember(String gatewayId, String serviceAddress, String adminAddress, boolean leader,
                            boolean live) {
    public GatewayMember {
        Objects.requireNonNull(gatewayId, "gatewayId");
        Objects.requireNonNull(serviceAddress, "serviceAddress");
        Objects.requireNonNull(adminAddress, "adminAddress");
    }
}
