package io.reploid.state;

import static java.util.Objects.requireNonNull;

import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** {@link StateStores#memory()}: a map whose {@code compute} makes the compare-and-set atomic. */
final class MemoryStateStore implements StateStore {
    private final ConcurrentHashMap<String, StoredRecord> records = new ConcurrentHashMap<>();
    private volatile boolean closed;

    @Override
    public Optional<StoredRecord> load(String clientId) throws StoreException {
        requireNonNull(clientId, "clientId");
        checkOpen();
        StoredRecord stored = records.get(clientId);
        return stored == null ? Optional.empty() : Optional.of(copy(stored));
    }

    @Override
    public void write(StoredRecord record) throws StoreException {
        requireNonNull(record, "record");
        checkOpen();
        StoredRecord copy = copy(record);
        StoredRecord[] refusedBy = new StoredRecord[1];
        records.compute(record.clientId(), (id, stored) -> {
            if (copy.isNewerThan(stored)) {
                return copy;
            }
            refusedBy[0] = stored;
            return stored;
        });
        if (refusedBy[0] != null) {
            StoredRecord stored = refusedBy[0];
            throw new FencedException(record.clientId(), stored.epoch(), stored.version(), record.epoch(), record.version());
        }
    }

    @Override
    public void delete(String clientId, long epoch) throws StoreException {
        requireNonNull(clientId, "clientId");
        checkOpen();
        records.computeIfPresent(clientId, (id, stored) -> stored.epoch() <= epoch ? null : stored);
    }

    @Override
    public void close() {
        closed = true;
    }

    private void checkOpen() throws StoreException {
        if (closed) {
            throw new StoreException(this + " is closed");
        }
    }

    private static StoredRecord copy(StoredRecord r) {
        return new StoredRecord(r.clientId(), r.epoch(), r.version(), r.data().clone());
    }

    @Override
    public String toString() {
        return "memory state store";
    }
}
