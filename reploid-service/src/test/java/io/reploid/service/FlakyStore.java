package io.reploid.service;

import io.reploid.state.StateStore;
import io.reploid.state.StateStores;
import io.reploid.state.StoreException;
import io.reploid.state.StoredRecord;
import java.util.List;
import java.util.Optional;

/** A memory store that fails every call with a {@link StoreException} while {@link #down} is set. Thread-safe. */
final class FlakyStore implements StateStore {
    private final StateStore store = StateStores.memory();
    volatile boolean down;

    @Override
    public Optional<StoredRecord> load(String clientId) throws StoreException {
        check();
        return store.load(clientId);
    }

    @Override
    public void write(StoredRecord record) throws StoreException {
        check();
        store.write(record);
    }

    @Override
    public List<StoredRecord> writeAll(List<StoredRecord> records) throws StoreException {
        check();
        return store.writeAll(records);
    }

    @Override
    public void delete(String clientId, long epoch) throws StoreException {
        check();
        store.delete(clientId, epoch);
    }

    /** What the store holds, even while it is down. */
    Optional<StoredRecord> peek(String clientId) {
        try {
            return store.load(clientId);
        } catch (StoreException e) {
            throw new AssertionError(e);
        }
    }

    private void check() throws StoreException {
        if (down) {
            throw new StoreException("the store is down");
        }
    }

    @Override
    public String toString() {
        return "FlakyStore";
    }
}
