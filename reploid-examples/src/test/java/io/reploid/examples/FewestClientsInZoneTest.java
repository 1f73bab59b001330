package io.reploid.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.reploid.LoadReport;
import io.reploid.balance.ClusterView;
import io.reploid.balance.ConfigOrError;
import io.reploid.balance.Instance;
import io.reploid.balance.LoadBalancer;
import io.reploid.balance.LoadBalancerRegistry;
import io.reploid.balance.PickRequest;
import io.reploid.balance.Picker;
import io.reploid.gateway.ReploidGateway;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

class FewestClientsInZoneTest {

    /** An instance with a settable client count. */
    static final class Node implements Instance {
        final String id;
        final int capacity;
        final Map<String, String> labels;
        volatile int clients;

        Node(String id, String zone, int clients, int capacity) {
            this.id = id;
            this.capacity = capacity;
            this.labels = zone == null ? Map.of() : Map.of(FewestClientsInZone.ZONE, zone);
            this.clients = clients;
        }

        @Override
        public String id() {
            return id;
        }

        @Override
        public String address() {
            return "127.0.0.1:0";
        }

        @Override
        public int capacity() {
            return capacity;
        }

        @Override
        public int weight() {
            return 1;
        }

        @Override
        public Map<String, String> labels() {
            return labels;
        }

        @Override
        public int clients() {
            return clients;
        }

        @Override
        public LoadReport load() {
            return LoadReport.EMPTY;
        }

        @Override
        public long readySinceNanos() {
            return 0;
        }

        @Override
        public String toString() {
            return id;
        }
    }

    /** A request from a client in {@code zone} (none when null), excluding some instances. */
    static PickRequest request(String zone, Instance... excluded) {
        Set<Instance> out = new HashSet<>(Arrays.asList(excluded));
        RandomGenerator random = new SplittableRandom(42);
        return new PickRequest() {
            @Override
            public String clientId() {
                return "c";
            }

            @Override
            public Map<String, String> metadata() {
                return zone == null ? Map.of() : Map.of(FewestClientsInZone.ZONE, zone);
            }

            @Override
            public boolean isExcluded(Instance instance) {
                return out.contains(instance);
            }

            @Override
            public RandomGenerator random() {
                return random;
            }
        };
    }

    private static Picker picker(Node... nodes) {
        return new FewestClientsInZone().update(new ClusterView(List.of(nodes), 1, 0));
    }

    @Test
    void prefersTheClientsZoneEvenWhenItIsBusier() {
        Node a1 = new Node("a1", "a", 8, 10);
        Node b1 = new Node("b1", "b", 0, 10);
        Picker p = picker(a1, b1);
        assertThat(p.pick(request("a"))).isSameAs(a1);
        assertThat(p.pick(request("b"))).isSameAs(b1);
    }

    @Test
    void inAZoneTakesFewestClientsRelativeToCapacity() {
        Node a1 = new Node("a1", "a", 5, 10); // 0.5
        Node a2 = new Node("a2", "a", 8, 20); // 0.4
        Node b1 = new Node("b1", "b", 0, 10);
        Picker p = picker(a1, a2, b1);
        assertThat(p.pick(request("a"))).isSameAs(a2);
        a2.clients = 12; // 0.6: live counts, no rebuild
        assertThat(p.pick(request("a"))).isSameAs(a1);
    }

    @Test
    void tiesGoToTheFirstInIdOrder() {
        Node a1 = new Node("a1", "a", 2, 10);
        Node a2 = new Node("a2", "a", 4, 20);
        assertThat(picker(a1, a2).pick(request("a"))).isSameAs(a1);
    }

    @Test
    void fallsBackToEveryInstanceWhenTheZoneIsFullOrExcluded() {
        Node a1 = new Node("a1", "a", 10, 10); // full
        Node b1 = new Node("b1", "b", 3, 10);
        Node c1 = new Node("c1", "c", 1, 10);
        Picker p = picker(a1, b1, c1);
        assertThat(p.pick(request("a"))).isSameAs(c1);
        assertThat(p.pick(request("b", b1))).isSameAs(c1);
        assertThat(p.pick(request("c", c1))).isSameAs(b1);
    }

    @Test
    void clientsWithoutOrWithAnUnknownZoneGoAnywhere() {
        Node a1 = new Node("a1", "a", 3, 10);
        Node none = new Node("n1", null, 1, 10);
        Node b1 = new Node("b1", "b", 2, 10);
        Picker p = picker(a1, b1, none);
        assertThat(p.pick(request(null))).isSameAs(none);
        assertThat(p.pick(request("mars"))).isSameAs(none);
    }

    @Test
    void nothingWhenEveryInstanceIsFullOrExcluded() {
        Node a1 = new Node("a1", "a", 10, 10);
        Node b1 = new Node("b1", "b", 1, 10);
        assertThat(picker(a1, b1).pick(request("a", b1))).isNull();
        assertThat(new FewestClientsInZone().update(ClusterView.empty()).pick(request("a"))).isNull();
    }

    @Test
    void theRegistryAndTheGatewayBuilderMakeItFromItsClassName() throws Exception {
        ConfigOrError resolved = LoadBalancerRegistry.getDefault().resolve(FewestClientsInZone.class.getName());
        assertThat(resolved.isError()).as(String.valueOf(resolved)).isFalse();
        @SuppressWarnings("unchecked")
        Supplier<LoadBalancer> factory = (Supplier<LoadBalancer>) resolved.config();
        try (LoadBalancer balancer = factory.get()) {
            assertThat(balancer).isInstanceOf(FewestClientsInZone.class);
        }
        try (ReploidGateway gateway = ReploidGateway.builder().balancer(FewestClientsInZone.class.getName()).build()) {
            assertThat(gateway).isNotNull();
        }
    }
}
