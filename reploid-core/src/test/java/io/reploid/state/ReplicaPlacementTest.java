package io.reploid.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.reploid.InstanceState;
import io.reploid.LoadReport;
import io.reploid.balance.ClusterView;
import io.reploid.balance.Instance;
import io.reploid.balance.LoadBalancers;
import io.reploid.balance.PickRequest;
import io.reploid.balance.Picker;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

class ReplicaPlacementTest {
    private static final List<String> INSTANCES = List.of("svc-a", "svc-b", "svc-c", "svc-d", "svc-e",
            "instance-with-a-much-longer-id-0001", "é-ünïcode-🙂");

    @Test
    void hashesLikeXxh64OfUtf16() {
        assertThat(IdHash.xxh64("")).isEqualTo(0xEF46DB3751D8E999L); // XXH64 of no bytes, seed 0
    }

    @Test
    void chooseIsThePrefixOfTheRanking() {
        Random random = new Random(7);
        for (int c = 0; c < 500; c++) {
            String client = "client-" + random.nextInt(1_000_000);
            List<String> ranked = ReplicaPlacement.rank(client, INSTANCES);
            assertThat(ranked).containsExactlyInAnyOrderElementsOf(INSTANCES);
            for (int k = 0; k <= INSTANCES.size() + 1; k++) {
                assertThat(ReplicaPlacement.choose(client, INSTANCES, k))
                        .isEqualTo(ranked.subList(0, Math.min(k, ranked.size())));
            }
            for (int i = 1; i < ranked.size(); i++) {
                assertThat(ReplicaPlacement.score(client, ranked.get(i - 1)))
                        .isGreaterThanOrEqualTo(ReplicaPlacement.score(client, ranked.get(i)));
            }
        }
    }

    @Test
    void agreesWithTheRendezvousBalancer() {
        List<Instance> instances = new ArrayList<>();
        INSTANCES.forEach(id -> instances.add(new Node(id)));
        Picker picker = LoadBalancers.rendezvous().update(new ClusterView(instances, 1, 0));
        for (int c = 0; c < 300; c++) {
            String client = "c" + c;
            assertThat(picker.pick(new Pick(client)).id())
                    .isEqualTo(ReplicaPlacement.choose(client, INSTANCES, 1).get(0));
        }
    }

    @Test
    void anInstanceLeavingMovesOnlyTheReplicasItHeld() {
        List<String> fewer = new ArrayList<>(INSTANCES);
        fewer.remove("svc-c");
        for (int c = 0; c < 500; c++) {
            String client = "c" + c;
            List<String> before = ReplicaPlacement.choose(client, INSTANCES, 2);
            List<String> after = ReplicaPlacement.choose(client, fewer, 2);
            if (!before.contains("svc-c")) {
                assertThat(after).isEqualTo(before);
            } else {
                assertThat(after).containsAll(before.stream().filter(id -> !id.equals("svc-c")).toList());
            }
        }
    }

    @Test
    void spreadsClientsEvenly() {
        int[] firsts = new int[INSTANCES.size()];
        for (int c = 0; c < 7000; c++) {
            firsts[INSTANCES.indexOf(ReplicaPlacement.choose("client-" + c, INSTANCES, 1).get(0))]++;
        }
        for (int n : firsts) {
            assertThat(n).isBetween(800, 1200); // 1000 expected
        }
    }

    @Test
    void replicaHoldingStates() {
        assertThat(List.of(InstanceState.values())).filteredOn(ReplicaPlacement::holdsReplicas)
                .containsExactly(InstanceState.HEALTHY, InstanceState.FULL, InstanceState.DRAINING);
    }

    @Test
    void rejectsBadArguments() {
        assertThatThrownBy(() -> ReplicaPlacement.choose("c", INSTANCES, -1)).hasMessage("k: -1 (expected: >= 0)");
        assertThatThrownBy(() -> ReplicaPlacement.rank(null, INSTANCES)).hasMessage("clientId");
        assertThatThrownBy(() -> ReplicaPlacement.rank("c", java.util.Arrays.asList("a", null)))
                .hasMessage("instanceIds contains null");
        assertThat(ReplicaPlacement.choose("c", List.of(), 3)).isEmpty();
    }

    private record Node(String id) implements Instance {
        public String address() {
            return "";
        }

        public int capacity() {
            return 10;
        }

        public int weight() {
            return 1;
        }

        public Map<String, String> labels() {
            return Map.of();
        }

        public int clients() {
            return 0;
        }

        public LoadReport load() {
            return LoadReport.EMPTY;
        }

        public long readySinceNanos() {
            return 0;
        }
    }

    private record Pick(String clientId) implements PickRequest {
        public Map<String, String> metadata() {
            return Map.of();
        }

        public boolean isExcluded(Instance instance) {
            return false;
        }

        public RandomGenerator random() {
            return new Random(1);
        }
    }
}
