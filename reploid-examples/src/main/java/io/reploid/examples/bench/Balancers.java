package io.reploid.examples.bench;

import io.reploid.balance.ConfigOrError;
import io.reploid.balance.LoadBalancer;
import io.reploid.balance.LoadBalancerRegistry;
import java.util.function.Supplier;

/**
 * Balancers of the benchmarks, by spec. JMH splits {@code -p} values at commas, so the benchmarks write
 * {@code ;} where a spec has a comma: {@code -p strategy=affinity:key=region;then=p2c}.
 */
final class Balancers {
    private Balancers() {
    }

    @SuppressWarnings("unchecked")
    static Supplier<LoadBalancer> factory(String spec) {
        ConfigOrError c = LoadBalancerRegistry.getDefault().resolve(spec.replace(';', ','));
        if (c.isError()) {
            throw new IllegalArgumentException(c.error());
        }
        return (Supplier<LoadBalancer>) c.config();
    }
}
