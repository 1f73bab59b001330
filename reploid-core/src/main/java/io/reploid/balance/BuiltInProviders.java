package io.reploid.balance;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
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

    /**
     * A provider of a strategy with options. The parser reads them (throwing IllegalArgumentException on a
     * bad one) and returns the config: a factory of balancers.
     */
    abstract static class Configurable extends LoadBalancerProvider {
        private final String name;
        private final Set<String> keys;
        private final Function<SpecOptions, Supplier<LoadBalancer>> parser;

        Configurable(String name, Set<String> keys, Function<SpecOptions, Supplier<LoadBalancer>> parser) {
            this.name = name;
            this.keys = keys;
            this.parser = parser;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public ConfigOrError parseConfig(Map<String, String> options) {
            try {
                return ConfigOrError.fromConfig(parser.apply(new SpecOptions(name, options, keys)));
            } catch (IllegalArgumentException e) {
                return ConfigOrError.fromError(e.getMessage());
            }
        }

        @Override
        @SuppressWarnings("unchecked")
        public LoadBalancer newLoadBalancer(Object config) {
            return ((Supplier<LoadBalancer>) config).get();
        }
    }

    /** The base spec of a wrapper ({@code then=...}), resolved in the default registry. */
    @SuppressWarnings("unchecked")
    static Supplier<LoadBalancer> then(SpecOptions options, String wrapper) {
        ConfigOrError base = LoadBalancerRegistry.getDefault().resolve(options.required("then"));
        if (base.isError()) {
            throw new IllegalArgumentException("balancer '" + wrapper + "' option then: " + base.error());
        }
        return (Supplier<LoadBalancer>) base.config();
    }

    /** {@code round-robin}. */
    public static final class RoundRobinProvider extends Simple {
        public RoundRobinProvider() {
            super("round-robin", RoundRobin::new);
        }
    }

    /** {@code random}. */
    public static final class RandomProvider extends Simple {
        public RandomProvider() {
            super("random", RandomChoice::new);
        }
    }

    /** {@code least-clients}. */
    public static final class LeastClientsProvider extends Simple {
        public LeastClientsProvider() {
            super("least-clients", LeastClients::new);
        }
    }

    /** {@code least-loaded}. */
    public static final class LeastLoadedProvider extends Simple {
        public LeastLoadedProvider() {
            super("least-loaded", LeastLoaded::new);
        }
    }

    /** {@code p2c}. */
    public static final class PowerOfTwoChoicesProvider extends Simple {
        public PowerOfTwoChoicesProvider() {
            super("p2c", PowerOfTwoChoices::new);
        }
    }

    /** {@code weighted}. */
    public static final class WeightedProvider extends Simple {
        public WeightedProvider() {
            super("weighted", SmoothWeighted::new);
        }
    }

    /** {@code rendezvous}. */
    public static final class RendezvousProvider extends Simple {
        public RendezvousProvider() {
            super("rendezvous", Rendezvous::new);
        }
    }

    /** {@code maglev}. */
    public static final class MaglevProvider extends Simple {
        public MaglevProvider() {
            super("maglev", Maglev::new);
        }
    }

    /** {@code ring-hash:vnodes=100}. */
    public static final class RingHashProvider extends Configurable {
        public RingHashProvider() {
            super("ring-hash", Set.of("vnodes"), o -> {
                int vnodes = o.integer("vnodes", RingHash.DEFAULT_VNODES, 1, 100_000);
                return () -> new RingHash(vnodes);
            });
        }
    }

    /** {@code bounded-load:factor=1.25,vnodes=100}. */
    public static final class BoundedLoadProvider extends Configurable {
        public BoundedLoadProvider() {
            super("bounded-load", Set.of("factor", "vnodes"), o -> {
                double factor = o.number("factor", BoundedLoad.DEFAULT_FACTOR, 1, 1000);
                int vnodes = o.integer("vnodes", RingHash.DEFAULT_VNODES, 1, 100_000);
                return () -> new BoundedLoad(factor, vnodes);
            });
        }
    }

    /** {@code resource-aware:cpu=0.4,heap=0.3,clients=0.2,gauge=0.1,sample=0}. */
    public static final class ResourceAwareProvider extends Configurable {
        public ResourceAwareProvider() {
            super("resource-aware", Set.of("cpu", "heap", "clients", "gauge", "sample"), o -> {
                ResourceAware.Weights d = ResourceAware.Weights.DEFAULT;
                ResourceAware.Weights w = new ResourceAware.Weights(o.number("cpu", d.cpu(), 0, 1e6),
                        o.number("heap", d.heap(), 0, 1e6), o.number("clients", d.clients(), 0, 1e6),
                        o.number("gauge", d.gauge(), 0, 1e6), o.integer("sample", 0, 0, Integer.MAX_VALUE));
                return () -> new ResourceAware(w);
            });
        }
    }

    /** {@code affinity:key=region,fallback=any,then=least-clients}. */
    public static final class AffinityProvider extends Configurable {
        public AffinityProvider() {
            super("affinity", Set.of("key", "fallback", "then"), o -> {
                String key = o.required("key");
                String fallback = o.string("fallback", "any");
                if (!fallback.equals("any") && !fallback.equals("none")) {
                    throw new IllegalArgumentException("balancer 'affinity' option fallback: " + fallback
                            + " (expected: any or none)");
                }
                Supplier<LoadBalancer> base = then(o, "affinity");
                return () -> new Affinity(key, base, fallback.equals("any"));
            });
        }
    }

    /** {@code slow-start:window=30s,min=0.1,aggression=1,then=least-clients}. */
    public static final class SlowStartProvider extends Configurable {
        public SlowStartProvider() {
            super("slow-start", Set.of("window", "min", "aggression", "then"), o -> {
                Duration window = o.duration("window", Duration.ofSeconds(30));
                double min = o.number("min", 0.1, Double.MIN_VALUE, 1);
                double aggression = o.number("aggression", 1, Double.MIN_VALUE, 1000);
                Supplier<LoadBalancer> base = then(o, "slow-start");
                return () -> new SlowStart(base.get(), window, min, aggression, System::nanoTime);
            });
        }
    }
}
