package io.reploid.service.internal;

import io.reploid.state.StateStore;
import io.reploid.state.StoreException;
import io.reploid.state.StoredRecord;
import java.util.List;
import java.util.Optional;

/**
 * Calls to a {@link StateStore} with its unchecked failures (a driver's runtime exception, a bug) turned
 * into {@link StoreException}s, so that the runtime treats them like any other store failure: retriable,
 * with the change kept in memory. Stateless.
 */
final class StoreCalls {
    private StoreCalls() {
    }

    static Optional<StoredRecord> load(StateStore store, String clientId) throws StoreException {
        try {
            Optional<StoredRecord> record = store.load(clientId);
            if (record == null) {
                throw new StoreException(store + " returned null for client " + clientId);
            }
            return record;
        } catch (RuntimeException e) {
            throw failed(store, "load", e);
        }
    }

    static void write(StateStore store, StoredRecord record) throws StoreException {
        try {
            store.write(record);
        } catch (RuntimeException e) {
            throw failed(store, "write", e);
        }
    }

    static List<StoredRecord> writeAll(StateStore store, List<StoredRecord> records) throws StoreException {
        try {
            List<StoredRecord> fenced = store.writeAll(records);
            return fenced == null ? List.of() : fenced;
        } catch (RuntimeException e) {
            throw failed(store, "writeAll", e);
        }
    }

    private static StoreException failed(StateStore store, String call, RuntimeException e) {
        return new StoreException(call + " of " + store + " failed: " + e, e);
    }
}
