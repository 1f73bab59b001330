package io.reploid.service;

import static io.reploid.service.ScriptedCluster.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

import io.reploid.ErrorCode;
import io.reploid.internal.protocol.Frame;
import io.reploid.service.ScriptedCluster.Mode;
import io.reploid.service.ScriptedCluster.Node;
import io.reploid.state.StoreException;
import io.reploid.state.StoredRecord;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * One correctness suite for every persistence mode: counting, retries answered from the recorded answers,
 * restoring on another runtime after the first one is gone, fencing of an instance that lost the client,
 * failures to make the state durable, and records that cannot be decoded. Real runtimes on a scripted
 * gateway: {@code svc-a}, {@code svc-b}, and with replication (k = 1) also {@code svc-c}; a failover goes
 * where a gateway sends it ({@link ScriptedCluster#failoverTarget}).
 */
class PersistenceSuiteTest {
    private ScriptedCluster cluster;
    private Node a;

    private void start(Mode mode) {
        cluster = new ScriptedCluster(mode);
        cluster.startAll();
        a = cluster.node("svc-a");
    }

    @AfterEach
    void close() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void countsInOrder(Mode mode) {
        start(mode);
        for (int i = 1; i <= 20; i++) {
            assertThat(a.call("alice", 1, i, "inc")).isEqualTo(Integer.toString(i));
        }
        assertThat(a.call("bob", 1, 1, "inc")).isEqualTo("1");
        assertThat(a.handler.runs("alice")).isEqualTo(20);
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void aRetryGetsTheRecordedAnswerWithoutRunningAgain(Mode mode) {
        start(mode);
        assertThat(a.call("alice", 1, 7, "inc")).isEqualTo("1");
        assertThat(a.call("alice", 1, 7, "inc")).isEqualTo("1");
        assertThat(a.call("alice", 1, 7, "inc")).isEqualTo("1");
        assertThat(a.handler.runs("alice")).isEqualTo(1);

        assertThat(a.call("alice", 1, 8, "fail")).startsWith("!HANDLER_ERROR").contains("failed on purpose");
        assertThat(a.call("alice", 1, 8, "fail")).startsWith("!HANDLER_ERROR").contains("failed on purpose");
        assertThat(a.handler.runs("alice")).isEqualTo(2);

        assertThat(a.call("alice", 1, 9, "inc")).isEqualTo("2");
        assertThat(a.call("alice", 1, 7, "get")).as("a reused id with another payload is a new request")
                .isEqualTo("2");
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void anotherRuntimeRestoresTheStateAfterTheFirstIsGone(Mode mode) {
        start(mode);
        for (int i = 1; i <= 3; i++) {
            assertThat(a.call("alice", 1, i, "inc")).isEqualTo(Integer.toString(i));
        }
        if (mode == Mode.WRITE_BEHIND) {
            awaitCounterInStore("alice", 3);
        }
        cluster.kill(a);

        // The gateway re-pins alice with a larger epoch; the new runtime restores her before anything else.
        Node b = cluster.failoverTarget("alice", a);
        b.link.send(new Frame.Attach("alice", 2, Map.of()));
        String retried = b.call("alice", 2, 3, "inc");
        String next = b.call("alice", 2, 4, "inc");
        if (mode == Mode.NONE) {
            // Memory only: the state died with A, and the retry of request 3 runs again on a fresh state.
            assertThat(b.handler.attachedWith.get("alice")).isZero();
            assertThat(retried).isEqualTo("1");
            assertThat(next).isEqualTo("2");
        } else {
            assertThat(b.handler.attachedWith.get("alice")).as("onAttach saw the restored state").isEqualTo(3);
            assertThat(retried).as("A acknowledged request 3: its recorded answer, not a second run").isEqualTo("3");
            assertThat(next).isEqualTo("4");
            assertThat(b.handler.runs("alice")).isEqualTo(1);
        }
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void anInstanceThatLostTheClientCannotOverwriteItsState(Mode mode) {
        assumeThat(mode).as("memory only: nothing is shared, so there is nothing to fence").isNotEqualTo(Mode.NONE);
        start(mode);
        assertThat(a.call("alice", 1, 1, "inc")).isEqualTo("1");
        if (mode == Mode.WRITE_BEHIND) {
            awaitCounterInStore("alice", 1);
        }

        // The gateway moved alice to B (epoch 2) while A still runs: A is a zombie.
        Node b = cluster.failoverTarget("alice", a);
        assertThat(b.call("alice", 2, 2, "inc")).isEqualTo("2");
        assertThat(b.call("alice", 2, 3, "inc")).isEqualTo("3");

        if (mode == Mode.WRITE_BEHIND) {
            awaitCounterInStore("alice", 3);
            // A answers at once (that is write-behind's loss window) but the store refuses its record,
            assertThat(a.call("alice", 1, 4, "inc")).isEqualTo("2");
            // and A drops alice on one of her next calls.
            await().atMost(WAIT).until(() -> Node.isError(a.call("alice", 1, 5, "get"), ErrorCode.INSTANCE_UNAVAILABLE));
        } else {
            assertThat(a.call("alice", 1, 4, "inc")).startsWith("!INSTANCE_UNAVAILABLE")
                    .contains("owned by another instance");
        }
        await().atMost(WAIT).until(() -> a.service.clientCount() == 0);
        assertThat(b.call("alice", 2, 6, "get")).isEqualTo("3");
        if (mode.usesStore()) {
            awaitCounterInStore("alice", 3);
            assertThat(cluster.store.peek("alice").orElseThrow().epoch()).isEqualTo(2);
        }

        // B goes; the client is pinned again (epoch 3) and starts from B's state.
        cluster.kill(b);
        Node next = cluster.failoverTarget("alice", b);
        assertThat(next.call("alice", 3, 7, "inc")).isEqualTo("4");
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void requestsFailRetriablyWhileTheStateCannotBeMadeDurableAndNothingAcknowledgedIsLost(Mode mode) {
        assumeThat(mode).as("memory only: nothing to make durable").isNotEqualTo(Mode.NONE);
        start(mode);
        assertThat(a.call("alice", 1, 1, "inc")).isEqualTo("1");

        durable(false);
        String second = a.call("alice", 1, 2, "inc");
        if (mode == Mode.WRITE_BEHIND) {
            assertThat(second).as("write-behind answers at once and writes later").isEqualTo("2");
        } else {
            assertThat(second).startsWith("!STORE_UNAVAILABLE").contains("client alice", "retry");
            assertThat(ErrorCode.STORE_UNAVAILABLE.retriable()).isTrue();
            assertThat(a.call("alice", 1, 2, "inc")).startsWith("!STORE_UNAVAILABLE");
            assertThat(a.call("alice", 1, 3, "inc")).as("nothing new runs before the pending change is durable")
                    .startsWith("!STORE_UNAVAILABLE");
        }
        assertThat(a.handler.runs("alice")).isEqualTo(2);

        durable(true);
        if (mode == Mode.WRITE_BEHIND) {
            awaitCounterInStore("alice", 2);
        } else {
            assertThat(a.call("alice", 1, 2, "inc")).as("the retry completes the request once").isEqualTo("2");
        }
        assertThat(a.call("alice", 1, 3, "inc")).isEqualTo("3");
        assertThat(a.handler.runs("alice")).isEqualTo(3);

        // Everything acknowledged survives A.
        if (mode == Mode.WRITE_BEHIND) {
            awaitCounterInStore("alice", 3);
        }
        cluster.kill(a);
        assertThat(cluster.failoverTarget("alice", a).call("alice", 2, 4, "get")).isEqualTo("3");
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void aRecordThatCannotBeDecodedFailsOnlyItsClient(Mode mode) {
        assumeThat(mode).as("memory only: nothing is restored").isNotEqualTo(Mode.NONE);
        start(mode);
        assertThat(a.call("good", 1, 1, "inc")).isEqualTo("1");
        assertThat(a.call("bad", 1, 1, "inc")).isEqualTo("1");
        if (mode == Mode.WRITE_BEHIND) {
            awaitCounterInStore("bad", 1);
        }
        byte[] unreadable = StoredState.record(new byte[] {1, 2, 3});
        Node badTarget;
        if (mode.usesStore()) {
            cluster.kill(a);
            badTarget = cluster.failoverTarget("bad", a);
            write(new StoredRecord("bad", 5, 100, unreadable));
        } else {
            badTarget = cluster.failoverTarget("bad", a);
            PeerConnection.replicate(badTarget.address, "svc-test", new StoredRecord("bad", 5, 100, unreadable));
            cluster.kill(a);
        }

        String answer = badTarget.call("bad", 6, 2, "get");
        assertThat(answer).startsWith("!HANDLER_ERROR")
                .contains("the state of client bad could not be decoded", "expected 4 bytes, got 3");
        assertThat(badTarget.call("bad", 6, 2, "get")).as("and stays so").isEqualTo(answer);
        assertThat(badTarget.handler.runs("bad")).isZero();
        assertThat(cluster.failoverTarget("good", a).call("good", 6, 2, "inc")).isEqualTo("2");
    }

    // ------------------------------------------------------------------ helpers

    /** Lets the state be made durable, or not: the store fails, or (replicated) every peer is reported dead. */
    private void durable(boolean possible) {
        if (cluster.mode == Mode.REPLICATED) {
            cluster.members(possible ? cluster.live().toArray(Node[]::new) : new Node[] {a});
        } else {
            cluster.store.down = !possible;
        }
    }

    private void awaitCounterInStore(String clientId, int expected) {
        await().atMost(WAIT).until(() -> counterInStore(clientId).orElse(-1) == expected);
    }

    private Optional<Integer> counterInStore(String clientId) {
        return cluster.store.peek(clientId).map(r -> StoredState.counter(r.data()));
    }

    private void write(StoredRecord record) {
        try {
            cluster.store.write(record);
        } catch (StoreException e) {
            throw new AssertionError(e);
        }
    }
}
