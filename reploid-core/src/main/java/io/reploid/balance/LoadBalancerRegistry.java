package io.reploid.balance;

import static java.util.Objects.requireNonNull;

import java.lang.reflect.Constructor;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Providers by name, and the parser of balancer specs such as {@code round-robin},
 * {@code bounded-load:factor=1.25} or {@code com.example.MyBalancer}.
 *
 * <p>Thread-safe.
 */
public final class LoadBalancerRegistry {
    private static final Logger log = LoggerFactory.getLogger(LoadBalancerRegistry.class);
    private static final String THEN = "then";
    private static volatile LoadBalancerRegistry defaultRegistry;

    private final Map<String, LoadBalancerProvider> providers = new TreeMap<>();

    /** An empty registry. */
    public LoadBalancerRegistry() {
    }

    /** The registry of every provider found with {@link ServiceLoader} on this class's loader. */
    public static LoadBalancerRegistry getDefault() {
        LoadBalancerRegistry r = defaultRegistry;
        if (r == null) {
            synchronized (LoadBalancerRegistry.class) {
                r = defaultRegistry;
                if (r == null) {
                    r = new LoadBalancerRegistry();
                    for (LoadBalancerProvider p : ServiceLoader.load(LoadBalancerProvider.class,
                            LoadBalancerRegistry.class.getClassLoader())) {
                        r.register(p);
                    }
                    defaultRegistry = r;
                }
            }
        }
        return r;
    }

    /** Adds a provider; of two with one name the higher priority stays. Unavailable ones are skipped. */
    public synchronized void register(LoadBalancerProvider provider) {
        requireNonNull(provider, "provider");
        if (!provider.isAvailable()) {
            log.debug("Skipping unavailable balancer provider {}", provider);
            return;
        }
        providers.merge(provider.name(), provider, (a, b) -> b.priority() > a.priority() ? b : a);
    }

    /** The provider of a name, or {@code null}. */
    public synchronized LoadBalancerProvider provider(String name) {
        return providers.get(name);
    }

    /** Every registered provider, by name. */
    public synchronized Map<String, LoadBalancerProvider> providers() {
        return Map.copyOf(providers);
    }

    /**
     * Resolves a spec to a factory of balancers, without throwing.
     *
     * <p>A spec is a provider name with optional options ({@code name:key=value,key=value}), or the
     * binary name of a class on the classpath that is a {@link LoadBalancerProvider} or a
     * {@link LoadBalancer} with a public no-argument constructor. Options reach the provider in spec
     * order. An option {@code then} takes the rest of the spec as its value, commas included, so that
     * wrappers nest: {@code affinity:key=region,then=bounded-load:factor=1.5,vnodes=200}.
     *
     * @return a {@link Supplier} of new balancers, or an error that says what is wrong with the spec
     */
    public ConfigOrError resolve(String spec) {
        if (spec == null || spec.isBlank()) {
            return ConfigOrError.fromError("balancer spec is empty (expected: a name such as 'least-clients')");
        }
        String name = spec.strip();
        Map<String, String> options = new LinkedHashMap<>();
        int colon = name.indexOf(':');
        if (colon >= 0) {
            String opts = name.substring(colon + 1);
            name = name.substring(0, colon);
            for (int from = 0; from < opts.length(); ) {
                int comma = opts.indexOf(',', from);
                String part = opts.substring(from, comma < 0 ? opts.length() : comma);
                if (part.strip().startsWith(THEN + "=")) {
                    part = opts.substring(from); // a wrapped spec keeps its own options
                    comma = -1;
                }
                from = comma < 0 ? opts.length() : comma + 1;
                if (part.isBlank()) {
                    continue;
                }
                int eq = part.indexOf('=');
                if (eq <= 0) {
                    return ConfigOrError.fromError("balancer option '" + part + "' in '" + spec
                            + "' is not key=value");
                }
                options.put(part.substring(0, eq).strip(), part.substring(eq + 1).strip());
            }
        }
        LoadBalancerProvider provider = provider(name);
        if (provider == null && name.contains(".")) {
            ConfigOrError fromClass = fromClassName(name);
            if (fromClass.isError()) {
                return fromClass;
            }
            Object o = fromClass.config();
            if (o instanceof LoadBalancerProvider p) {
                provider = p;
            } else {
                if (!options.isEmpty()) {
                    return ConfigOrError.fromError("balancer class " + name + " takes no options");
                }
                return fromClass;
            }
        }
        if (provider == null) {
            return ConfigOrError.fromError("unknown balancer '" + name + "' (known: "
                    + String.join(", ", providers().keySet()) + ", or a class name)");
        }
        ConfigOrError parsed = provider.parseConfig(options);
        if (parsed.isError()) {
            return parsed;
        }
        LoadBalancerProvider chosen = provider;
        Object config = parsed.config();
        Supplier<LoadBalancer> factory = () -> chosen.newLoadBalancer(config);
        return ConfigOrError.fromConfig(factory);
    }

    private static ConfigOrError fromClassName(String className) {
        Class<?> type;
        try {
            ClassLoader loader = Thread.currentThread().getContextClassLoader();
            type = Class.forName(className, true, loader != null ? loader : LoadBalancerRegistry.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            return ConfigOrError.fromError("unknown balancer '" + className + "': no such class on the classpath");
        }
        if (!LoadBalancer.class.isAssignableFrom(type) && !LoadBalancerProvider.class.isAssignableFrom(type)) {
            return ConfigOrError.fromError("class " + className + " is neither a LoadBalancer nor a LoadBalancerProvider");
        }
        Constructor<?> ctor;
        try {
            ctor = type.getConstructor();
        } catch (NoSuchMethodException e) {
            return ConfigOrError.fromError("class " + className + " has no public no-argument constructor");
        }
        if (LoadBalancerProvider.class.isAssignableFrom(type)) {
            try {
                return ConfigOrError.fromConfig(ctor.newInstance());
            } catch (ReflectiveOperationException e) {
                return ConfigOrError.fromError("cannot instantiate " + className + ": " + e);
            }
        }
        Supplier<LoadBalancer> factory = () -> {
            try {
                return (LoadBalancer) ctor.newInstance();
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("cannot instantiate " + className, e);
            }
        };
        try {
            factory.get().close();
        } catch (RuntimeException e) {
            return ConfigOrError.fromError("cannot instantiate " + className + ": " + e.getCause());
        }
        return ConfigOrError.fromConfig(factory);
    }
}
