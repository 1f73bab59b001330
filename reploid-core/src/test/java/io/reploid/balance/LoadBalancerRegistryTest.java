package io.reploid.balance;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class LoadBalancerRegistryTest {
    private final LoadBalancerRegistry registry = LoadBalancerRegistry.getDefault();

    @SuppressWarnings("unchecked")
    private LoadBalancer resolve(String spec) {
        ConfigOrError c = registry.resolve(spec);
        assertThat(c.isError()).as(c.toString()).isFalse();
        return ((Supplier<LoadBalancer>) c.config()).get();
    }

    @Test
    void readsOptionsAndNestedSpecs() {
        assertThat(resolve("bounded-load:factor=1.5,vnodes=50")).hasToString("bounded-load:factor=1.5,vnodes=50");
        assertThat(resolve("ring-hash")).hasToString("ring-hash:vnodes=100");
        assertThat(resolve("slow-start:window=2m,min=0.2,then=bounded-load:factor=1.1,vnodes=7"))
                .hasToString("slow-start:window=PT2M,min=0.2,aggression=1.0,then=bounded-load:factor=1.1,vnodes=7");
        assertThat(resolve("affinity:key=region,fallback=none,then=resource-aware:cpu=1,heap=1"))
                .hasToString("affinity:key=region,fallback=none");
    }

    @Test
    void explainsBadSpecs() {
        assertThat(registry.resolve("bounded-load:factor=0.5").error())
                .isEqualTo("balancer 'bounded-load' option factor: 0.5 (expected: between 1.0 and 1000.0)");
        assertThat(registry.resolve("maglev:size=7").error()).isEqualTo("balancer 'maglev' takes no options, got [size]");
        assertThat(registry.resolve("ring-hash:replicas=7").error())
                .isEqualTo("balancer 'ring-hash' has no option 'replicas' (known: vnodes)");
        assertThat(registry.resolve("affinity:then=p2c").error()).isEqualTo("balancer 'affinity' needs option 'key'");
        assertThat(registry.resolve("affinity:key=zone,then=nope").error())
                .startsWith("balancer 'affinity' option then: unknown balancer 'nope'");
        assertThat(registry.resolve("slow-start:window=soon,then=p2c").error())
                .isEqualTo("balancer 'slow-start' option window: soon (expected: a positive duration such as 30s, 500ms, 2m)");
    }
}
