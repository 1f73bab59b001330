package io.reploid.balance;

/**
 * A placement strategy. The gateway owns one balancer, feeds it a new {@link ClusterView} whenever the
 * set of eligible instances changes (and periodically as load reports arrive), and uses the
 * {@link Picker} it returns until the next update.
 *
 * <p>Threading: {@link #update} and {@link #close} are called by one thread at a time, never
 * concurrently, so a balancer may keep mutable state without locks. The pickers it returns are used
 * concurrently (see {@link Picker}).
 *
 * <p>The gateway never pins a client to an unhealthy, draining or full instance, whatever the picker
 * returns: a bad pick is logged and the picker is asked again with that instance excluded.
 *
 * <pre>{@code
 * final class FewestClients implements LoadBalancer {
 *     public Picker update(ClusterView view) {
 *         List<Instance> instances = view.instances();
 *         return request -> instances.stream()
 *                 .filter(i -> i.hasRoom() && !request.isExcluded(i))
 *                 .min(Comparator.comparingInt(Instance::clients))
 *                 .orElse(null);
 *     }
 * }
 * }</pre>
 */
public interface LoadBalancer extends AutoCloseable {

    /**
     * Takes a new snapshot of the eligible instances and returns the picker to use from now on.
     *
     * @return a picker, never {@code null} ({@link Picker#EMPTY} when nothing can be picked)
     */
    Picker update(ClusterView view);

    /** Releases whatever the balancer holds. The default does nothing. */
    @Override
    default void close() {
    }
}
