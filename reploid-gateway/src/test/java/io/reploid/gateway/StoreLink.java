package io.reploid.gateway;

import static java.util.Objects.requireNonNull;

import io.reploid.state.FencedException;
import io.reploid.state.StateStore;
import io.reploid.state.StoreException;
import io.reploid.state.StoredRecord;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * One instance's path to a store that several instances share: every call goes through to the store
 * until {@link #cut()}, after which every call fails with a {@link StoreException}, as calls from a dead
 * process's address would never arrive. Counts the writes the store refused as stale (fencing at work).
 *
 * <p>Thread-safe. A cut waits for the calls in progress, so once {@link #cut()} returns this instance
 * changes nothing in the store any more.
 */
final class StoreLink implements StateStore {
    private final StateStore store;
    private final String instanceId;
    private final ReadWriteLock lock = new ReentrantReadWriteLock();
    private final AtomicInteger fenced = new AtomicInteger();
    private boolean cut; // guarded by lock

    StoreLink(StateStore store, String instanceId) {
        this.store = requireNonNull(store, "store");
        this.instanceId = requireNonNull(instanceId, "instanceId");
    }

    /** Fails every later call; returns once no call is in progress. */
    void cut() {
        lock.writeLock().lock();
        try {
            cut = true;
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Writes of this instance that the store refused because it held a newer record. */
    int fencedWrites() {
        return fenced.get();
    }

    @Override
    public Optional<StoredRecord> load(String clientId) throws StoreException {
        lock.readLock().lock();
        try {
            check();
            return store.load(clientId);
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public void write(StoredRecord record) throws StoreException {
        lock.readLock().lock();
        try {
            check();
            store.write(record);
        } catch (FencedException e) {
            fenced.incrementAndGet();
            throw e;
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public List<StoredRecord> writeAll(List<StoredRecord> records) throws StoreException {
        lock.readLock().lock();
        try {
            check();
            List<StoredRecord> refused = store.writeAll(records);
            fenced.addAndGet(refused.size());
            return refused;
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public void delete(String clientId, long epoch) throws StoreException {
        lock.readLock().lock();
        try {
            check();
            store.delete(clientId, epoch);
        } finally {
            lock.readLock().unlock();
        }
    }

    private void check() throws StoreException {
        if (cut) {
            throw new StoreException("the store is unreachable from instance " + instanceId);
        }
    }

    @Override
    public String toString() {
        return store + " (from " + instanceId + (cut ? ", cut)" : ")");
    }
}
