package io.reploid.gateway;

import static io.reploid.gateway.FailoverCluster.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.reploid.InstanceState;
import io.reploid.gateway.FailoverCluster.Mode;
import io.reploid.state.ReplicaPlacement;
import io.reploid.state.StateStore;
import io.reploid.state.StateStores;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * One crash, every persistence mode. A gateway with its default health settings, three instances and 50
 * clients, each incrementing its own counter in a closed loop; then one instance crashes: its gateway
 * connection is reset, its path to the store cut and its threads stopped, so nothing it did not finish
 * before reaches anyone (see {@link FailoverCluster#crash}).
 *
 * <p>Every client must be served again, the crashed instance's clients by the other instances (with
 * replication, by the one that held their replica), and what each client saw must be exactly what the mode
 * promises. With {@code acknowledged} the last value the crashed instance answered a client and
 * {@code kept} what survived of it, the client must see {@code acknowledged - kept} increments lost and
 * none applied twice:
 *
 * <ul>
 *   <li>write-through and replicated:1 keep everything acknowledged: nothing lost;
 *   <li>write-behind keeps what it had flushed when the instance died (read from the store right after the
 *       crash): exactly the acknowledged increments not yet written are lost, and reported;
 *   <li>none keeps nothing: a moved client starts over, and the loss of everything is reported.
 * </ul>
 *
 * Clients of the other instances lose nothing and stay where they are, in every mode.
 */
class FailoverSuiteTest {

    @ParameterizedTest
    @EnumSource(Mode.class)
    void theClientsOfACrashedInstanceAreServedByOthersWithWhatTheModeKeeps(Mode mode) throws Exception {
        StateStore store = StateStores.memory();
        try (FailoverCluster cluster = new FailoverCluster(mode, id -> store)) {
            cluster.start("svc-1", "svc-2", "svc-3");
            List<CounterLoop> loops = cluster.startLoops("client-", 50);
            await().atMost(WAIT).until(() -> loops.stream().allMatch(l -> l.acks() >= 5));

            String victim = FailoverCluster.busiest(loops);
            List<CounterLoop> moved = FailoverCluster.answeredBy(loops, victim);
            List<CounterLoop> stayed = FailoverCluster.except(loops, moved);
            loops.forEach(CounterLoop::mark);
            Map<String, Long> inStore = new HashMap<>(); // what the crash left in the store: all that is left
            cluster.crash(victim, () -> {
                for (CounterLoop l : moved) {
                    inStore.put(l.clientId, StoredCounter.value(store, l.clientId));
                }
            });

            await().atMost(WAIT).until(() -> cluster.state(victim) == InstanceState.DEAD);
            FailoverCluster.awaitServedSinceMark(loops, 3);
            cluster.stopLoops();

            for (CounterLoop l : moved) {
                assertThat(l.instance()).as("%s after the crash", l).isNotEqualTo(victim);
                assertThat(cluster.gateway.pinnedInstance(l.clientId)).as("pin of %s", l).contains(l.instance());
                if (mode == Mode.REPLICATED) {
                    assertThat(l.instance()).as("%s failed over to its replica holder", l)
                            .isEqualTo(ReplicaPlacement.rank(l.clientId, cluster.survivors()).get(0));
                }
                long acknowledged = l.lastValueFrom(victim);
                long kept = switch (mode) {
                    case NONE -> 0;
                    case WRITE_BEHIND -> inStore.get(l.clientId);
                    case WRITE_THROUGH, REPLICATED -> acknowledged;
                };
                if (mode == Mode.WRITE_THROUGH) {
                    assertThat(inStore.get(l.clientId)).as("%s: acknowledged means stored", l)
                            .isGreaterThanOrEqualTo(acknowledged);
                }
                assertThat(l.lost()).as("%s: lost, with %d acknowledged and %d kept", l, acknowledged, kept)
                        .isEqualTo(Math.max(0, acknowledged - kept));
                assertThat(l.duplicated()).as("%s: duplicated", l).isZero();
            }
            for (CounterLoop l : stayed) {
                assertThat(l.instance()).as("%s stays", l).isEqualTo(l.instanceAtMark());
                assertThat(l.lost()).as("%s: lost", l).isZero();
                assertThat(l.duplicated()).as("%s: duplicated", l).isZero();
            }
            assertThat(loops).allSatisfy(l -> assertThat(l.failed()).as("%s: requests failed for good", l).isZero());
            if (mode == Mode.NONE) {
                assertThat(moved.stream().mapToLong(CounterLoop::lost).sum()).as("loss reported").isPositive();
            }
        }
    }
}
