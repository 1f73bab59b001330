package io.reploid.service.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.reploid.state.StoredRecord;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReplicasTest {
    private final Map<String, Session<?>> own = new HashMap<>();
    private final Replicas replicas = new Replicas(own::get);

    @Test
    void keepsTheNewestRecordOfEachClient() {
        StoredRecord v2 = record("alice", 3, 2);
        assertThat(replicas.offer(v2)).isSameAs(v2);
        assertThat(replicas.offer(record("alice", 3, 1))).isSameAs(v2);
        assertThat(replicas.offer(record("alice", 2, 9))).isSameAs(v2);
        StoredRecord newer = record("alice", 4, 1);
        assertThat(replicas.offer(newer)).isSameAs(newer);
        assertThat(replicas.get("alice")).containsSame(newer);
        assertThat(replicas.size()).isEqualTo(1);
    }

    @Test
    void dropsOnlyReplicasNotNewerThanTheDrop() {
        replicas.offer(record("alice", 3, 2));
        replicas.drop("alice", 2);
        assertThat(replicas.get("alice")).isPresent();
        replicas.drop("alice", 3);
        assertThat(replicas.get("alice")).isEmpty();
        replicas.drop("nobody", 9);
    }

    @Test
    void keepsAReplicaItMayStillRestoreFrom() {
        replicas.offer(record("alice", 3, 2));
        own.put("alice", new Session<>("alice", 4, new ManualExecutor())); // taking alice over at epoch 4
        replicas.drop("alice", 3);
        assertThat(replicas.get("alice")).isPresent();
    }

    @Test
    void forgetsAReplicaTakenOverOnlyIfItIsStillTheSame() {
        StoredRecord taken = record("alice", 3, 2);
        replicas.offer(taken);
        StoredRecord newer = record("alice", 3, 3);
        replicas.offer(newer);
        replicas.taken(taken);
        assertThat(replicas.get("alice")).containsSame(newer);
        replicas.taken(newer);
        assertThat(replicas.get("alice")).isEmpty();
    }

    @Test
    void refusesRecordsOlderThanItsOwnSessionAndFencesAnOlderSession() {
        Session<?> bob = new Session<>("bob", 7, new ManualExecutor());
        own.put("bob", bob);
        StoredRecord answer = replicas.offer(record("bob", 6, 50));
        assertThat(answer.epoch()).isEqualTo(7);
        assertThat(replicas.get("bob")).isEmpty();
        assertThat(bob.isFenced()).isFalse();

        StoredRecord newer = record("bob", 8, 1);
        assertThat(replicas.offer(newer)).isSameAs(newer);
        assertThat(bob.isFenced()).isTrue();
    }

    private static StoredRecord record(String clientId, long epoch, long version) {
        return new StoredRecord(clientId, epoch, version, new byte[] {1});
    }
}
