/**
 * The balancing SPI and the built-in strategies. A {@link io.reploid.balance.LoadBalancer} receives
 * {@link io.reploid.balance.ClusterView} snapshots one at a time and publishes an immutable
 * {@link io.reploid.balance.Picker} that the gateway uses on its hot path;
 * {@link io.reploid.balance.LoadBalancerProvider}s make balancers by name and are found through
 * {@link java.util.ServiceLoader}; {@link io.reploid.balance.LoadBalancers} has static factories of the
 * built-in strategies (round-robin, random, least-clients, least-loaded, p2c, weighted, ring-hash,
 * rendezvous, maglev, bounded-load, resource-aware) and of the affinity and slow-start wrappers. The
 * {@code simulation} subpackage scores strategies; see {@code docs/balancing.md}.
 */
package io.reploid.balance;
