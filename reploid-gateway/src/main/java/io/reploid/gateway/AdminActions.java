package io.reploid.gateway;

import java.util.List;
import java.util.Set;

/**
 * Changes to a cluster that the dashboard may ask for: the application that embeds the gateway (a demo,
 * a test bed) owns its instances and clients, so it says what "add an instance" or "crash an instance"
 * means. Set with {@link ReploidGateway.Builder#adminActions(AdminActions)}; without it the gateway
 * serves no action. The gateway itself carries out {@link Action#DRAIN_INSTANCE} and
 * {@link Action#SWITCH_BALANCER} once actions are enabled, so an implementation may leave those out.
 *
 * <pre>{@code
 * ReploidGateway gateway = ReploidGateway.builder()
 *         .adminActions(new AdminActions() {
 *             public Set<Action> available() {
 *                 return EnumSet.of(Action.ADD_INSTANCE);
 *             }
 *
 *             public String addInstance() {
 *                 return "started " + cluster.startInstance();
 *             }
 *         })
 *         .build();
 * }</pre>
 *
 * <p>{@link #available()} and {@link #workloads()} are read once, when the gateway starts.
 *
 * <p>Threading: the gateway calls these methods one at a time on a thread of its own, never on a Netty
 * event loop, so they may block (start an instance and wait for it) for up to the HTTP request's timeout
 * of 30 s. They run concurrently with the application's other threads, so implementations must be safe
 * with those. A method returns a short message for the user; it throws {@link IllegalArgumentException}
 * for bad input (HTTP 400), {@link java.util.NoSuchElementException} for an unknown instance (404),
 * {@link IllegalStateException} when the action cannot be done now (409) and
 * {@link UnsupportedOperationException} when it is not offered (404). The defaults throw
 * {@link UnsupportedOperationException}.
 */
public interface AdminActions {

    /** An action, named in the admin API by {@link #wireName()}. */
    enum Action {
        /** Start one more instance. */
        ADD_INSTANCE("add-instance"),
        /** Stop an instance abruptly, so that the gateway sees its connection drop. */
        CRASH_INSTANCE("crash-instance"),
        /** Stop placing new clients on an instance; its clients stay. */
        DRAIN_INSTANCE("drain-instance"),
        /** Connect more clients. */
        ADD_CLIENTS("add-clients"),
        /** Disconnect some clients. */
        REMOVE_CLIENTS("remove-clients"),
        /** Replace the balancer that places new clients. */
        SWITCH_BALANCER("switch-balancer"),
        /** Change what the clients do (their rate, weights, churn). */
        CHANGE_WORKLOAD("change-workload");

        private final String wireName;

        Action(String wireName) {
            this.wireName = wireName;
        }

        /** The name in {@code /api/actions/{name}}. */
        public String wireName() {
            return wireName;
        }
    }

    /** The actions this implementation carries out; the dashboard offers only those (and the gateway's own). */
    Set<Action> available();

    /** Starts one more instance; returns what was done. */
    default String addInstance() {
        throw new UnsupportedOperationException("add-instance is not offered");
    }

    /** Stops an instance abruptly, without deregistering, as a crash would. */
    default String crashInstance(String instanceId) {
        throw new UnsupportedOperationException("crash-instance is not offered");
    }

    /** Stops placing new clients on an instance. */
    default String drainInstance(String instanceId) {
        throw new UnsupportedOperationException("drain-instance is not offered");
    }

    /** Connects {@code count} more clients ({@code count > 0}). */
    default String addClients(int count) {
        throw new UnsupportedOperationException("add-clients is not offered");
    }

    /** Disconnects up to {@code count} clients ({@code count > 0}). */
    default String removeClients(int count) {
        throw new UnsupportedOperationException("remove-clients is not offered");
    }

    /** Replaces the balancer with the one a spec names ({@code p2c}, {@code bounded-load:factor=1.25}). */
    default String switchBalancer(String spec) {
        throw new UnsupportedOperationException("switch-balancer is not offered");
    }

    /** Switches to one of {@link #workloads()}. */
    default String changeWorkload(String workload) {
        throw new UnsupportedOperationException("change-workload is not offered");
    }

    /** The workload names {@link #changeWorkload} accepts, in the order to show them. */
    default List<String> workloads() {
        return List.of();
    }
}
