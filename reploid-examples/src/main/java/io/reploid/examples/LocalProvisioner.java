package io.reploid.examples;

import io.reploid.scaling.InstanceProvisioner;
import java.util.concurrent.CompletableFuture;

/**
 * A provisioner that starts instances on this machine, registered with the gateway it is told about: the
 * gateway's service port is known only once it is bound, after the provisioner was handed to its builder, so
 * starts wait for {@link #connectTo}. Implementations are thread-safe.
 */
interface LocalProvisioner extends InstanceProvisioner {

    /** Where new instances register: the gateways' service ports as {@code host:port[,host:port...]}. */
    void connectTo(String serviceAddresses);

    /** The addresses once {@link #connectTo} named them; completes at most once. */
    final class Gateways {
        private final CompletableFuture<String> addresses = new CompletableFuture<>();

        void set(String serviceAddresses) {
            if (!addresses.complete(serviceAddresses) && !addresses.join().equals(serviceAddresses)) {
                throw new IllegalStateException("instances register with " + addresses.join() + " already");
            }
        }

        CompletableFuture<String> get() {
            return addresses;
        }
    }
}
