package io.reploid.gateway;

import static io.reploid.gateway.FailoverCluster.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.reploid.InstanceState;
import io.reploid.gateway.FailoverCluster.Mode;
import io.reploid.gateway.FailoverCluster.Node;
import io.reploid.state.StateStore;
import io.reploid.state.StateStores;
import io.reploid.state.StoredRecord;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * An instance that the gateway declared dead while it still runs (a zombie: a long pause, a partition)
 * can neither overwrite the state of its clients' new owners nor answer those clients, in every mode that
 * keeps state. Its link to the gateway is frozen ({@link TcpRelay}): the connection stays open and goes
 * silent, so the gateway sees late heartbeats and an unanswered ping, suspects the instance and declares it
 * dead; its clients fail over and their new owners write under newer epochs. Then the link comes back: the
 * zombie reads the requests the gateway had sent it before the freeze (their retries were answered by the
 * new owners long ago) and runs them under its old epoch; making them durable is refused (by the store, or
 * by the replica holders), so it drops the clients, and the gateway revokes the rest when it registers
 * again.
 */
class ZombieFencingTest {

    @ParameterizedTest
    @EnumSource(value = Mode.class, names = {"WRITE_THROUGH", "WRITE_BEHIND", "REPLICATED"})
    void aZombieCannotOverwriteItsClientsNewStateNorAnswerThem(Mode mode) throws Exception {
        StateStore store = StateStores.memory();
        try (FailoverCluster cluster = new FailoverCluster(mode, id -> store)) {
            cluster.start("svc-1", "svc-2", "svc-3");
            List<CounterLoop> loops = cluster.startLoops("client-", 30);
            await().atMost(WAIT).until(() -> loops.stream().allMatch(l -> l.acks() >= 5));

            String zombieId = FailoverCluster.busiest(loops);
            Node zombie = cluster.node(zombieId);
            List<CounterLoop> moved = FailoverCluster.answeredBy(loops, zombieId);
            loops.forEach(CounterLoop::mark);
            cluster.freeze(zombieId);

            await().atMost(WAIT).until(() -> cluster.state(zombieId) == InstanceState.DEAD);
            FailoverCluster.awaitServedSinceMark(moved, 3);
            cluster.stopLoops();
            Map<String, StoredRecord> newOwners = new HashMap<>();
            if (mode.usesStore()) { // once the new owners' writes are in (write-behind flushes them soon)
                await().atMost(WAIT).until(() -> {
                    for (CounterLoop l : moved) {
                        if (StoredCounter.value(store, l.clientId) != l.acked()) {
                            return false;
                        }
                    }
                    return true;
                });
                for (CounterLoop l : moved) {
                    newOwners.put(l.clientId, store.load(l.clientId).orElseThrow());
                }
            }

            cluster.resume(zombieId);

            // It runs what it was sent, is refused, lets go of every client and registers again.
            await().atMost(WAIT).until(() -> cluster.state(zombieId) == InstanceState.HEALTHY
                    && zombie.service.clientCount() == 0
                    && (!mode.usesStore() || zombie.storeLink.fencedWrites() > 0));
            for (CounterLoop l : moved) {
                StoredRecord before = newOwners.get(l.clientId);
                if (before != null) {
                    StoredRecord after = store.load(l.clientId).orElseThrow();
                    assertThat(after.epoch()).as("epoch of %s", l.clientId).isEqualTo(before.epoch());
                    assertThat(after.version()).as("version of %s", l.clientId).isEqualTo(before.version());
                    assertThat(after.data()).as("data of %s", l.clientId).isEqualTo(before.data());
                }
                assertThat(l.instanceChanges()).as("%s: answered by the zombie, then only by its new owner", l)
                        .isEqualTo(1);
                String next = TestCluster.call(l.client, "incr");
                assertThat(next).as("%s goes on with its new owner", l)
                        .isEqualTo(l.instance() + ":" + (l.acked() + 1)).doesNotStartWith(zombieId + ":");
            }
            for (CounterLoop l : loops) {
                if (mode != Mode.WRITE_BEHIND) { // write-behind may lose what the zombie had not flushed
                    assertThat(l.lost()).as("%s: lost", l).isZero();
                }
                assertThat(l.duplicated()).as("%s: duplicated", l).isZero();
                assertThat(l.failed()).as("%s: failed for good", l).isZero();
            }
        }
    }
}
