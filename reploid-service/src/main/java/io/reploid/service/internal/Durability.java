package io.reploid.service.internal;

import io.reploid.state.StoreException;
import io.reploid.state.StoredRecord;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * How a persistence mode keeps clients' records: where a client's record is restored from, and what must
 * happen to a new record before the answer of the request that made it may be released.
 *
 * <p>{@link #load} and {@link #commit} are called from the client's mailbox on a handler thread and may
 * block; the stage of {@code commit} may complete on any thread. Implementations are thread-safe.
 */
interface Durability {

    /** A stage that is already complete. */
    CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);

    /** Whether clients' records are kept at all; when not, nothing is encoded and nothing restored. */
    boolean keepsRecords();

    /**
     * The record to restore a client from, or empty (the client starts with
     * {@link io.reploid.service.ServiceHandler#newState}).
     *
     * @throws StoreException when the record cannot be read now; the client's calls fail until it can
     */
    Optional<StoredRecord> load(Session<?> session) throws StoreException;

    /**
     * Makes {@code record}, the session's newest, as durable as the mode requires.
     *
     * @return completes when the answers the record holds may be released; fails with a
     *         {@link io.reploid.state.FencedException} when another instance owns the client under a newer
     *         epoch, a {@link StoreException} when the record could not be made durable now (the caller
     *         tries again with a newer record), or another exception that a retry will not fix
     */
    CompletionStage<Void> commit(Session<?> session, StoredRecord record);

    /** The session was restored from {@code record}, one {@link #load} returned. */
    default void restored(Session<?> session, StoredRecord record) {
    }

    /** The session was dropped (its pin moved, or it was fenced). */
    default void dropped(Session<?> session) {
    }

    /** Stops background work, first writing what can still be written. Called once, after the last commit. */
    default void close() {
    }

    /** {@link io.reploid.service.Persistence#none()}: memory only. */
    Durability NONE = new Durability() {
        @Override
        public boolean keepsRecords() {
            return false;
        }

        @Override
        public Optional<StoredRecord> load(Session<?> session) {
            return Optional.empty();
        }

        @Override
        public CompletionStage<Void> commit(Session<?> session, StoredRecord record) {
            return DONE;
        }

        @Override
        public String toString() {
            return "none";
        }
    };
}
