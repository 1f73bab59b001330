package io.reploid.balance;

import java.util.Map;

/**
 * Makes {@link LoadBalancer}s of one named strategy. Providers are found with {@link java.util.ServiceLoader}
 * (list the class in {@code META-INF/services/io.reploid.balance.LoadBalancerProvider}) or registered in a
 * {@link LoadBalancerRegistry} by hand.
 *
 * <p>Implementations are stateless and thread-safe.
 */
public abstract class LoadBalancerProvider {

    /** The strategy's name, as given to {@code --balancer}: lower case, words joined by '-'. */
    public abstract String name();

    /** Whether the provider can be used here; unavailable providers are ignored by the registry. */
    public boolean isAvailable() {
        return true;
    }

    /** Among providers of the same name, the one with the highest priority wins. Default 5. */
    public int priority() {
        return 5;
    }

    /**
     * Parses the strategy's options ({@code factor=1.25} in {@code bounded-load:factor=1.25}). The default
     * accepts no options. Never throws: a bad option gives {@link ConfigOrError#fromError}.
     */
    public ConfigOrError parseConfig(Map<String, String> options) {
        if (!options.isEmpty()) {
            return ConfigOrError.fromError("balancer '" + name() + "' takes no options, got " + options.keySet());
        }
        return ConfigOrError.fromConfig(Map.of());
    }

    /** A new balancer with a config returned by {@link #parseConfig}. */
    public abstract LoadBalancer newLoadBalancer(Object config);

    @Override
    public String toString() {
        return getClass().getSimpleName() + "{name=" + name() + ", priority=" + priority() + "}";
    }
}
