package io.reploid.service.internal;

import static java.util.Objects.requireNonNull;

import io.reploid.state.StateStore;
import io.reploid.state.StoreException;
import io.reploid.state.StoredRecord;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link io.reploid.service.Persistence#writeBehind}: a commit only marks the client dirty with its newest
 * record, and answers are released at once; a flusher thread of its own writes the dirty records in
 * batches ({@link StateStore#writeAll}) every flush interval.
 *
 * <p>Loss window: when the instance dies, the records of the requests acknowledged since the last
 * successful flush are lost: up to one interval plus the time of the write in progress. While the store
 * fails, records stay dirty (one per client, the newest: memory is bounded by the number of clients) and
 * every interval tries again, so the window grows for as long as the store is down. A record the store
 * refuses as stale means another instance owns the client under a newer epoch: the session is marked
 * fenced and dropped on its next call.
 *
 * <p>Thread-safe. The dirty map is shared by handler threads and the flusher; a record is removed from it
 * only if no newer one replaced it during the write.
 */
final class WriteBehind implements Durability {
    private static final Logger log = LoggerFactory.getLogger(WriteBehind.class);
    /** Most records in one {@link StateStore#writeAll} call. */
    static final int BATCH = 256;

    /** A client's newest record that is not yet written. */
    private record Dirty(Session<?> session, StoredRecord record) {
    }

    private final StateStore store;
    private final long intervalMillis;
    private final ScheduledThreadPoolExecutor flusher;
    private final ConcurrentMap<String, Dirty> dirty = new ConcurrentHashMap<>();
    private boolean failing; // flusher thread (or close, after it stopped)

    WriteBehind(StateStore store, long intervalMillis, ThreadFactory flusherThread) {
        this.store = requireNonNull(store, "store");
        if (intervalMillis <= 0) {
            throw new IllegalArgumentException("intervalMillis: " + intervalMillis + " (expected: > 0)");
        }
        this.intervalMillis = intervalMillis;
        this.flusher = new ScheduledThreadPoolExecutor(1, flusherThread);
    }

    /** Starts flushing every interval. */
    void start() {
        flusher.scheduleWithFixedDelay(this::flushQuietly, intervalMillis, intervalMillis, TimeUnit.MILLISECONDS);
    }

    @Override
    public boolean keepsRecords() {
        return true;
    }

    /** The newer of the stored record and a dirty one not yet written (the client may have been here before). */
    @Override
    public Optional<StoredRecord> load(Session<?> session) throws StoreException {
        Optional<StoredRecord> stored = StoreCalls.load(store, session.clientId());
        Dirty d = dirty.get(session.clientId());
        if (d != null && d.record.isNewerThan(stored.orElse(null))) {
            return Optional.of(d.record);
        }
        return stored;
    }

    @Override
    public CompletionStage<Void> commit(Session<?> session, StoredRecord record) {
        Dirty next = new Dirty(session, record);
        dirty.merge(record.clientId(), next, (old, nu) -> nu.record.isNewerThan(old.record) ? nu : old);
        return DONE;
    }

    @Override
    public void dropped(Session<?> session) {
        if (session.isFenced()) { // its record would be refused anyway
            dirty.computeIfPresent(session.clientId(), (id, d) -> d.session == session ? null : d);
        }
    }

    /** Records not yet written. */
    int dirtyCount() {
        return dirty.size();
    }

    /**
     * Writes every dirty record, in batches. Runs on the flusher thread (or on the closing thread once the
     * flusher stopped).
     *
     * @return whether every batch was written
     */
    boolean flush() {
        List<Dirty> all = new ArrayList<>(dirty.values());
        for (int from = 0; from < all.size(); from += BATCH) {
            List<Dirty> batch = all.subList(from, Math.min(all.size(), from + BATCH));
            List<StoredRecord> records = new ArrayList<>(batch.size());
            batch.forEach(d -> records.add(d.record));
            List<StoredRecord> refused;
            try {
                refused = StoreCalls.writeAll(store, records);
            } catch (StoreException e) {
                if (!failing) {
                    log.warn("Could not write {} client record(s) to {}; retrying every {} ms: {}", all.size() - from,
                            store, intervalMillis, e.getMessage());
                }
                failing = true;
                return false;
            }
            Set<StoredRecord> stale = Collections.newSetFromMap(new IdentityHashMap<>());
            stale.addAll(refused);
            for (Dirty d : batch) {
                if (!stale.contains(d.record) || settleRefusal(d)) {
                    dirty.remove(d.record.clientId(), d);
                }
            }
        }
        if (failing) {
            log.info("Writing client records to {} works again", store);
            failing = false;
        }
        return true;
    }

    /**
     * The store refused a record as stale. It may be our own record, written by an earlier batch that
     * failed half-way: only a newer epoch in the store means another owner, and then the session is fenced.
     *
     * @return whether the record is settled (written, or fenced); {@code false} keeps it dirty
     */
    private boolean settleRefusal(Dirty d) {
        StoredRecord stored;
        try {
            stored = StoreCalls.load(store, d.record.clientId()).orElse(null);
        } catch (StoreException e) {
            return false;
        }
        if (stored == null) {
            return false; // deleted meanwhile: write it again
        }
        if (stored.epoch() > d.record.epoch()) {
            log.info("Client {} is owned by another instance: the store refused {} and holds {}",
                    d.record.clientId(), d.record, stored);
            d.session.fence();
        }
        return true;
    }

    private void flushQuietly() {
        try {
            flush();
        } catch (RuntimeException e) {
            log.warn("Flushing client records to {} failed", store, e); // and keep flushing
        }
    }

    /** Stops the flusher and writes what is dirty one last time. */
    @Override
    public void close() {
        flusher.shutdownNow();
        try {
            flusher.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (!dirty.isEmpty() && !flush()) {
            log.warn("{} client record(s) were not written to {} before closing", dirty.size(), store);
        }
    }

    @Override
    public String toString() {
        return "write-behind(" + store + ", every " + intervalMillis + " ms)";
    }
}
