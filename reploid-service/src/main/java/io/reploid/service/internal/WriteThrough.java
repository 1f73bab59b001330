package io.reploid.service.internal;

import static java.util.Objects.requireNonNull;

import io.reploid.state.StateStore;
import io.reploid.state.StoreException;
import io.reploid.state.StoredRecord;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * {@link io.reploid.service.Persistence#writeThrough()}: every record is written to the store on the
 * handler thread, inside the client's mailbox, before its answers are released; the client's next call
 * waits for the write.
 *
 * <p>Thread-safe (the store is).
 */
final class WriteThrough implements Durability {
    private final StateStore store;

    WriteThrough(StateStore store) {
        this.store = requireNonNull(store, "store");
    }

    @Override
    public boolean keepsRecords() {
        return true;
    }

    @Override
    public Optional<StoredRecord> load(Session<?> session) throws StoreException {
        return StoreCalls.load(store, session.clientId());
    }

    @Override
    public CompletionStage<Void> commit(Session<?> session, StoredRecord record) {
        try {
            StoreCalls.write(store, record);
            return DONE;
        } catch (StoreException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    @Override
    public String toString() {
        return "write-through(" + store + ")";
    }
}
