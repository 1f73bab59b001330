package io.reploid.state;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link StateStore} must do, whatever it persists to. A store's test extends this class and
 * says how to make a new, empty store; the same tests then run against it. Shipped in the core test-jar
 * for stores in other modules.
 */
public abstract class StateStoreContract {
    private StateStore store;

    /** A new store that holds no record. Closed by the test. */
    protected abstract StateStore newStore() throws Exception;

    @BeforeEach
    final void openStore() throws Exception {
        store = newStore();
    }

    @AfterEach
    final void closeStore() throws Exception {
        store.close();
    }

    /** The store under test. */
    protected final StateStore store() {
        return store;
    }

    protected static StoredRecord record(String clientId, long epoch, long version, String data) {
        return new StoredRecord(clientId, epoch, version, data.getBytes(UTF_8));
    }

    /** Asserts that the store holds exactly this record of the client. */
    protected final void assertStored(StoredRecord expected) throws StoreException {
        StoredRecord stored = store.load(expected.clientId()).orElseThrow(
                () -> new AssertionError("no record of " + expected.clientId()));
        assertThat(stored.clientId()).isEqualTo(expected.clientId());
        assertThat(stored.epoch()).as("epoch").isEqualTo(expected.epoch());
        assertThat(stored.version()).as("version").isEqualTo(expected.version());
        assertThat(stored.data()).as("data").isEqualTo(expected.data());
    }

    @Test
    void loadOfUnknownClientIsEmpty() throws Exception {
        assertThat(store.load("nobody")).isEmpty();
    }

    @Test
    void writeThenLoad() throws Exception {
        StoredRecord r = record("alice", 3, 7, "state of alice");
        store.write(r);
        assertStored(r);
    }

    @Test
    void emptyAndLargeData() throws Exception {
        byte[] large = new byte[1 << 20];
        new Random(42).nextBytes(large);
        store.write(new StoredRecord("empty", 1, 1, new byte[0]));
        store.write(new StoredRecord("large", 1, 1, large));
        assertStored(new StoredRecord("empty", 1, 1, new byte[0]));
        assertStored(new StoredRecord("large", 1, 1, large));
    }

    @Test
    void newerVersionOfSameEpochReplaces() throws Exception {
        store.write(record("alice", 1, 1, "v1"));
        store.write(record("alice", 1, 2, "v2"));
        assertStored(record("alice", 1, 2, "v2"));
    }

    @Test
    void newerEpochReplacesEvenWithLowerVersion() throws Exception {
        store.write(record("alice", 1, 9, "old owner"));
        store.write(record("alice", 2, 1, "new owner"));
        assertStored(record("alice", 2, 1, "new owner"));
    }

    @Test
    void olderVersionOfSameEpochIsFenced() throws Exception {
        store.write(record("alice", 1, 5, "v5"));
        assertThatThrownBy(() -> store.write(record("alice", 1, 4, "v4")))
                .isInstanceOfSatisfying(FencedException.class, e -> {
                    assertThat(e.storedEpoch()).isEqualTo(1);
                    assertThat(e.storedVersion()).isEqualTo(5);
                })
                .hasMessageContaining("alice");
        assertStored(record("alice", 1, 5, "v5"));
    }

    @Test
    void sameEpochAndVersionIsFenced() throws Exception {
        store.write(record("alice", 1, 5, "first"));
        assertThatThrownBy(() -> store.write(record("alice", 1, 5, "second"))).isInstanceOf(FencedException.class);
        assertStored(record("alice", 1, 5, "first"));
    }

    @Test
    void olderEpochIsFencedWhateverItsVersion() throws Exception {
        store.write(record("alice", 1, 5, "zombie's last write"));
        store.write(record("alice", 2, 1, "new owner"));
        assertThatThrownBy(() -> store.write(record("alice", 1, 6, "zombie is back")))
                .isInstanceOfSatisfying(FencedException.class, e -> {
                    assertThat(e.storedEpoch()).isEqualTo(2);
                    assertThat(e.storedVersion()).isEqualTo(1);
                });
        assertThatThrownBy(() -> store.write(record("alice", 1, Long.MAX_VALUE, "zombie"))).isInstanceOf(FencedException.class);
        assertStored(record("alice", 2, 1, "new owner"));
    }

    @Test
    void clientsAreIndependent() throws Exception {
        store.write(record("alice", 5, 5, "a"));
        store.write(record("bob", 1, 1, "b"));
        store.write(record("Alice", 1, 1, "differs from alice by case"));
        assertStored(record("alice", 5, 5, "a"));
        assertStored(record("bob", 1, 1, "b"));
        assertStored(record("Alice", 1, 1, "differs from alice by case"));
    }

    @Test
    void idsWithOddCharacters() throws Exception {
        List<String> ids = List.of("a/b", "../../etc/passwd", ".", "..", "a\\b", "with space", "x:y*z?<>|\"",
                "ünïcödé", "客户", "emoji \uD83D\uDE00", "CON", "nul.txt", "a".repeat(255), "é".repeat(127));
        for (String id : ids) {
            store.write(record(id, 1, 1, "data of " + id));
        }
        for (String id : ids) {
            assertStored(record(id, 1, 1, "data of " + id));
        }
    }

    @Test
    void writeAllReturnsFencedRecordsAndWritesTheOthers() throws Exception {
        store.write(record("alice", 2, 1, "alice stored"));
        store.write(record("bob", 1, 1, "bob stored"));
        StoredRecord staleAlice = record("alice", 1, 9, "stale");
        StoredRecord newBob = record("bob", 1, 2, "bob new");
        StoredRecord carol = record("carol", 1, 1, "carol new");
        List<StoredRecord> fenced = store.writeAll(List.of(staleAlice, newBob, carol));
        assertThat(fenced).containsExactly(staleAlice);
        assertStored(record("alice", 2, 1, "alice stored"));
        assertStored(newBob);
        assertStored(carol);
        assertThat(store.writeAll(List.of())).isEmpty();
    }

    @Test
    void writeAllComparesRecordsOfOneClientInOrder() throws Exception {
        StoredRecord v1 = record("alice", 1, 1, "v1");
        StoredRecord v3 = record("alice", 1, 3, "v3");
        StoredRecord v2 = record("alice", 1, 2, "v2");
        StoredRecord v4 = record("alice", 1, 4, "v4");
        assertThat(store.writeAll(List.of(v1, v3, v2, v4))).containsExactly(v2);
        assertStored(v4);
    }

    @Test
    void writeAllOfManyClients() throws Exception {
        List<StoredRecord> batch = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            batch.add(record("client-" + i, 1, i, "data " + i));
        }
        assertThat(store.writeAll(batch)).isEmpty();
        for (StoredRecord r : batch) {
            assertStored(r);
        }
    }

    @Test
    void deleteRemovesRecordOfSameOrOlderEpoch() throws Exception {
        store.write(record("alice", 2, 4, "a"));
        store.write(record("bob", 2, 4, "b"));
        store.delete("alice", 2);
        store.delete("bob", 3);
        assertThat(store.load("alice")).isEmpty();
        assertThat(store.load("bob")).isEmpty();
    }

    @Test
    void deleteByOlderEpochIsIgnored() throws Exception {
        store.write(record("alice", 2, 1, "new owner"));
        store.delete("alice", 1);
        assertStored(record("alice", 2, 1, "new owner"));
    }

    @Test
    void deleteOfUnknownClientDoesNothing() throws Exception {
        store.delete("nobody", 1);
        assertThat(store.load("nobody")).isEmpty();
    }

    @Test
    void writeAfterDeleteStartsOver() throws Exception {
        store.write(record("alice", 1, 5, "before"));
        store.delete("alice", 1);
        store.write(record("alice", 1, 1, "after"));
        assertStored(record("alice", 1, 1, "after"));
    }

    @Test
    void returnedDataIsNotSharedWithTheStore() throws Exception {
        byte[] data = "original".getBytes(UTF_8);
        store.write(new StoredRecord("alice", 1, 1, data));
        store.load("alice").orElseThrow().data()[0] = 'X';
        assertStored(record("alice", 1, 1, "original"));
    }

    /** Every round, all threads write the same version; exactly one of them wins it. */
    @Test
    void concurrentWritersHaveExactlyOneWinnerPerVersion() throws Exception {
        int threads = 8;
        int rounds = 40;
        CyclicBarrier barrier = new CyclicBarrier(threads);
        AtomicInteger[] winners = new AtomicInteger[rounds + 1];
        String[] winnerData = new String[rounds + 1];
        for (int v = 1; v <= rounds; v++) {
            winners[v] = new AtomicInteger();
        }
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                String writer = "writer-" + t;
                Callable<Integer> task = () -> {
                    int fenced = 0;
                    for (int v = 1; v <= rounds; v++) {
                        barrier.await(30, TimeUnit.SECONDS);
                        try {
                            store.write(record("contended", 1, v, writer));
                            winners[v].incrementAndGet();
                            winnerData[v] = writer;
                        } catch (FencedException e) {
                            fenced++;
                        }
                    }
                    return fenced;
                };
                results.add(pool.submit(task));
            }
            int fenced = 0;
            for (Future<Integer> f : results) {
                fenced += f.get(120, TimeUnit.SECONDS);
            }
            for (int v = 1; v <= rounds; v++) {
                assertThat(winners[v].get()).as("winners of version %d", v).isEqualTo(1);
            }
            assertThat(fenced).isEqualTo((threads - 1) * rounds);
            assertStored(record("contended", 1, rounds, winnerData[rounds]));
        } finally {
            pool.shutdownNow();
        }
    }

    /** Threads race through increasing versions without coordination: no version is won twice. */
    @Test
    void uncoordinatedWritersNeverWinAVersionTwice() throws Exception {
        int threads = 6;
        int versions = 60;
        AtomicInteger[] winners = new AtomicInteger[versions + 1];
        for (int v = 1; v <= versions; v++) {
            winners[v] = new AtomicInteger();
        }
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> results = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                String writer = "writer-" + t;
                results.add(pool.submit(() -> {
                    for (int v = 1; v <= versions; v++) {
                        try {
                            store.write(record("raced", 7, v, writer));
                            winners[v].incrementAndGet();
                        } catch (FencedException e) {
                            // another writer got this version, or a later one, first
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : results) {
                f.get(120, TimeUnit.SECONDS);
            }
            for (int v = 1; v <= versions; v++) {
                assertThat(winners[v].get()).as("winners of version %d", v).isLessThanOrEqualTo(1);
            }
            assertThat(winners[versions].get()).isEqualTo(1);
            assertThat(store.load("raced").orElseThrow().version()).isEqualTo(versions);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void closedStoreRefusesWork() throws Exception {
        store.write(record("alice", 1, 1, "a"));
        store.close();
        assertThatThrownBy(() -> store.load("alice")).isInstanceOf(StoreException.class).isNotInstanceOf(FencedException.class);
        assertThatThrownBy(() -> store.write(record("alice", 1, 2, "b"))).isInstanceOf(StoreException.class)
                .isNotInstanceOf(FencedException.class);
        assertThatThrownBy(() -> store.delete("alice", 1)).isInstanceOf(StoreException.class);
        store.close();
    }
}
