/**
 * A simulator that scores placement strategies: {@link io.reploid.balance.simulation.Simulation} runs real
 * {@link io.reploid.balance.LoadBalancer}s over a seeded {@link io.reploid.balance.simulation.Workload}
 * with {@link io.reploid.balance.simulation.MembershipEvent}s and returns a
 * {@link io.reploid.balance.simulation.Report} of balance, movement and pick cost, against an ideal
 * baseline. See {@code docs/balancing.md}.
 */
package io.reploid.balance.simulation;
