package io.reploid.balance;

import java.util.function.Supplier;

/** The providers of the built-in strategies, listed in {@code META-INF/services}. */
final class BuiltInProviders {
    private BuiltInProviders() {
    }

    /** A provider of a strategy that takes no options. */
    abstract static class Simple extends LoadBalancerProvider {
        private final String name;
        private final Supplier<LoadBalancer> factory;

        Simple(String name, Supplier<LoadBalancer> factory) {
            this.name = name;
            this.factory = factory;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public LoadBalancer newLoadBalancer(Object config) {
            return factory.get();
        }
    }

    /** {@code least-clients}. */
    public static final class LeastClientsProvider extends Simple {
        public LeastClientsProvider() {
            super("least-clients", LeastClients::new);
        }
    }

    /** {@code round-robin}. */
    public static final class RoundRobinProvider extends Simple {
        public RoundRobinProvider() {
            super("round-robin", RoundRobin::new);
        }
    }
}
