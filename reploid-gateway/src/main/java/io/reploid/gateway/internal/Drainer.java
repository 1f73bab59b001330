package io.reploid.gateway.internal;

import java.util.NoSuchElementException;

/**
 * How the autoscaler empties an instance before the provisioner removes it: stop placing clients there,
 * then watch its clients go. Called on the gateway's control thread; implementations must not block.
 */
interface Drainer {

    /** Stops placing new clients on the instance (and moves its clients away, if the drain does that). */
    void drain(String instanceId);

    /** Clients still pinned to the instance; 0 when it is gone. */
    int clientsOf(String instanceId);

    /** Whether the instance is still registered and not dead. */
    boolean live(String instanceId);

    /** The cluster-wide drain ({@link Cluster#drain}): the instance takes no new clients and every gateway migrates its clients away. */
    static Drainer of(Cluster cluster) {
        return new Drainer() {
            @Override
            public void drain(String instanceId) {
                try {
                    cluster.drain(instanceId);
                } catch (NoSuchElementException gone) {
                    // it died meanwhile: nothing to drain
                }
            }

            @Override
            public int clientsOf(String instanceId) {
                InstanceRecord r = cluster.instance(instanceId);
                return r == null ? 0 : r.clients();
            }

            @Override
            public boolean live(String instanceId) {
                InstanceRecord r = cluster.instance(instanceId);
                return r != null && Autoscaler.registered(r.baseState());
            }
        };
    }
}
