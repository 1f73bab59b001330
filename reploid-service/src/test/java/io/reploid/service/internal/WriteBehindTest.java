package io.reploid.service.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.reploid.state.StateStore;
import io.reploid.state.StateStores;
import io.reploid.state.StoreException;
import io.reploid.state.StoredRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The flusher's work, driven by calling {@link WriteBehind#flush()} directly: no timing involved. */
class WriteBehindTest {
    private final ManualExecutor executor = new ManualExecutor();
    private final Store store = new Store();
    private final WriteBehind writeBehind = new WriteBehind(store, 1000, Thread::new); // never started

    @AfterEach
    void close() {
        writeBehind.close();
    }

    @Test
    void writesOnlyTheNewestRecordOfAClient() throws StoreException {
        Session<?> s = session("alice", 1);
        writeBehind.commit(s, record("alice", 1, 1));
        writeBehind.commit(s, record("alice", 1, 2));
        writeBehind.commit(s, record("alice", 1, 1)); // an older one never replaces a newer one
        assertThat(writeBehind.dirtyCount()).isEqualTo(1);
        assertThat(writeBehind.flush()).isTrue();
        assertThat(store.load("alice")).hasValueSatisfying(r -> assertThat(r.version()).isEqualTo(2));
        assertThat(writeBehind.dirtyCount()).isZero();
        assertThat(store.writeAlls).hasValue(1);
    }

    @Test
    void writesInBatches() {
        for (int i = 0; i < 2 * WriteBehind.BATCH + 10; i++) {
            writeBehind.commit(session("c" + i, 1), record("c" + i, 1, 1));
        }
        assertThat(writeBehind.flush()).isTrue();
        assertThat(store.writeAlls).hasValue(3);
        assertThat(writeBehind.dirtyCount()).isZero();
    }

    @Test
    void keepsRecordsDirtyWhileTheStoreFails() throws StoreException {
        writeBehind.commit(session("alice", 1), record("alice", 1, 1));
        store.down = true;
        assertThat(writeBehind.flush()).isFalse();
        assertThat(writeBehind.flush()).isFalse();
        assertThat(writeBehind.dirtyCount()).isEqualTo(1);
        store.down = false;
        assertThat(writeBehind.flush()).isTrue();
        assertThat(store.load("alice")).isPresent();
    }

    @Test
    void aNewerRecordCommittedDuringAWriteStaysDirty() {
        Session<?> s = session("alice", 1);
        writeBehind.commit(s, record("alice", 1, 1));
        store.duringWrite = () -> writeBehind.commit(s, record("alice", 1, 2));
        assertThat(writeBehind.flush()).isTrue();
        assertThat(writeBehind.dirtyCount()).isEqualTo(1);
        store.duringWrite = null;
        assertThat(writeBehind.flush()).isTrue();
        assertThat(store.peek("alice").version()).isEqualTo(2);
    }

    @Test
    void aRefusalOfItsOwnEarlierWriteIsNoFence() throws StoreException {
        Session<?> s = session("alice", 1);
        store.write(record("alice", 1, 2)); // landed, though the batch that wrote it failed
        writeBehind.commit(s, record("alice", 1, 2));
        assertThat(writeBehind.flush()).isTrue();
        assertThat(s.isFenced()).isFalse();
        assertThat(writeBehind.dirtyCount()).isZero();
    }

    @Test
    void aRefusalByANewerEpochFencesTheSession() throws StoreException {
        Session<?> s = session("alice", 1);
        store.write(record("alice", 2, 1)); // another instance owns alice now
        writeBehind.commit(s, record("alice", 1, 5));
        assertThat(writeBehind.flush()).isTrue();
        assertThat(s.isFenced()).isTrue();
        assertThat(store.peek("alice").epoch()).isEqualTo(2);
        assertThat(writeBehind.dirtyCount()).isZero();
    }

    @Test
    void loadPrefersADirtyRecordNewerThanTheStoredOne() throws StoreException {
        Session<?> s = session("alice", 1);
        store.write(record("alice", 1, 1));
        writeBehind.commit(s, record("alice", 1, 3));
        assertThat(writeBehind.load(session("alice", 2))).hasValueSatisfying(r -> assertThat(r.version()).isEqualTo(3));
        assertThat(writeBehind.load(session("bob", 2))).isEmpty();
    }

    @Test
    void closingWritesWhatIsDirty() {
        writeBehind.commit(session("alice", 1), record("alice", 1, 1));
        writeBehind.close();
        assertThat(store.peek("alice")).isNotNull();
    }

    private Session<?> session(String clientId, long epoch) {
        return new Session<>(clientId, epoch, executor);
    }

    private static StoredRecord record(String clientId, long epoch, long version) {
        return new StoredRecord(clientId, epoch, version, new byte[] {1});
    }

    /** A memory store that counts batches, can fail, and can run code in the middle of a batch. */
    private static final class Store implements StateStore {
        private final StateStore memory = StateStores.memory();
        final AtomicInteger writeAlls = new AtomicInteger();
        volatile boolean down;
        volatile Runnable duringWrite;

        @Override
        public Optional<StoredRecord> load(String clientId) throws StoreException {
            check();
            return memory.load(clientId);
        }

        StoredRecord peek(String clientId) {
            try {
                return memory.load(clientId).orElse(null);
            } catch (StoreException e) {
                throw new AssertionError(e);
            }
        }

        @Override
        public void write(StoredRecord record) throws StoreException {
            check();
            memory.write(record);
        }

        @Override
        public List<StoredRecord> writeAll(List<StoredRecord> records) throws StoreException {
            check();
            writeAlls.incrementAndGet();
            Runnable hook = duringWrite;
            if (hook != null) {
                hook.run();
            }
            return new ArrayList<>(memory.writeAll(records));
        }

        @Override
        public void delete(String clientId, long epoch) throws StoreException {
            memory.delete(clientId, epoch);
        }

        private void check() throws StoreException {
            if (down) {
                throw new StoreException("down");
            }
        }
    }
}
