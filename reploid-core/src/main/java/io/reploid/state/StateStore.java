package io.reploid.state;

import java.util.List;
import java.util.Optional;

/**
 * Where client records are persisted. Writes are compare-and-set on ({@code epoch}, {@code version}):
 * a write succeeds only if the record is newer than the stored one ({@link StoredRecord#isNewerThan}),
 * otherwise it fails with {@link FencedException}.
 *
 * <p>Methods may block (disk, network) and are never called on a Netty event loop. Implementations are
 * thread-safe. Built-ins: {@link StateStores#memory()}, {@link StateStores#file}, and the JDBC store in
 * the {@code reploid-jdbc} module.
 */
public interface StateStore extends AutoCloseable {

    /** The latest record of a client, or empty. */
    Optional<StoredRecord> load(String clientId) throws StoreException;

    /**
     * Writes a record if it is newer than the stored one.
     *
     * @throws FencedException when the stored record is as new or newer
     * @throws StoreException  when the store cannot be reached or written; nothing is known to be written
     */
    void write(StoredRecord record) throws StoreException;

    /**
     * Writes several records (write-behind batches). Fenced records are skipped and returned; a
     * {@link StoreException} means some records may not have been written and the caller retries them.
     *
     * @return the records that were refused as stale
     */
    default List<StoredRecord> writeAll(List<StoredRecord> records) throws StoreException {
        List<StoredRecord> fenced = new java.util.ArrayList<>();
        for (StoredRecord r : records) {
            try {
                write(r);
            } catch (FencedException e) {
                fenced.add(r);
            }
        }
        return fenced;
    }

    /** Removes a client's record if its epoch is not newer than {@code epoch}. */
    void delete(String clientId, long epoch) throws StoreException;

    /** Releases connections and files. */
    @Override
    default void close() throws StoreException {
    }
}
