/**
 * The balancing SPI: a {@link io.reploid.balance.LoadBalancer} receives {@link io.reploid.balance.ClusterView}
 * snapshots one at a time and publishes an immutable {@link io.reploid.balance.Picker} that the gateway
 * uses on its hot path; {@link io.reploid.balance.LoadBalancerProvider}s make balancers by name and are
 * found through {@link java.util.ServiceLoader}; {@link io.reploid.balance.LoadBalancers} has the built-in
 * strategies.
 */
package io.reploid.balance;
