package io.reploid.state;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.locks.ReentrantLock;

/**
 * {@link StateStores#file}: fencing over a {@link RecordDirectory}. Striped locks make each
 * read-compare-write atomic; loads take no lock, since a record file is replaced by an atomic rename.
 * Several stripes are always taken in ascending order, so batches cannot deadlock.
 */
final class FileStateStore implements StateStore {
    private static final int STRIPES = 256;

    private final RecordDirectory directory;
    private final ReentrantLock[] stripes = new ReentrantLock[STRIPES];
    private volatile boolean closed;

    private FileStateStore(RecordDirectory directory) {
        this.directory = directory;
        for (int i = 0; i < STRIPES; i++) {
            stripes[i] = new ReentrantLock();
        }
    }

    static FileStateStore open(Path directory, boolean fsync) throws StoreException {
        return new FileStateStore(RecordDirectory.open(directory, fsync));
    }

    @Override
    public Optional<StoredRecord> load(String clientId) throws StoreException {
        requireNonNull(clientId, "clientId");
        checkOpen();
        return Optional.ofNullable(directory.read(directory.path(clientId), clientId));
    }

    @Override
    public void write(StoredRecord record) throws StoreException {
        requireNonNull(record, "record");
        RecordPath path = directory.path(record.clientId());
        ReentrantLock stripe = stripes[stripe(record.clientId())];
        stripe.lock();
        try {
            checkOpen();
            StoredRecord stored = directory.read(path, record.clientId());
            if (!record.isNewerThan(stored)) {
                throw fenced(record, stored);
            }
            Path temp = directory.writeTemp(path, record);
            try {
                directory.replace(temp, path.file());
            } catch (StoreException e) {
                RecordDirectory.deleteQuietly(temp);
                throw e;
            }
            directory.sync(path.directory());
        } finally {
            stripe.unlock();
        }
    }

    /**
     * Writes every accepted record to a temp file, then renames them all, then syncs each directory once:
     * a batch costs one directory sync per shard instead of one per record. Records of one client are
     * compared in list order, each with the one accepted before it.
     */
    @Override
    public List<StoredRecord> writeAll(List<StoredRecord> records) throws StoreException {
        requireNonNull(records, "records");
        Set<Integer> locked = new TreeSet<>();
        for (StoredRecord r : records) {
            locked.add(stripe(requireNonNull(r, "records contains null").clientId()));
        }
        for (int i : locked) {
            stripes[i].lock();
        }
        Map<String, Pending> pending = new LinkedHashMap<>();
        try {
            checkOpen();
            List<StoredRecord> fenced = new ArrayList<>();
            for (StoredRecord r : records) {
                Pending earlier = pending.get(r.clientId());
                RecordPath path = earlier != null ? earlier.path : directory.path(r.clientId());
                StoredRecord current = earlier != null ? earlier.record : directory.read(path, r.clientId());
                if (!r.isNewerThan(current)) {
                    fenced.add(r);
                    continue;
                }
                Path temp = directory.writeTemp(path, r);
                if (earlier != null) {
                    RecordDirectory.deleteQuietly(earlier.temp);
                }
                pending.put(r.clientId(), new Pending(path, r, temp));
            }
            Set<Path> written = new LinkedHashSet<>();
            for (Iterator<Pending> it = pending.values().iterator(); it.hasNext(); ) {
                Pending p = it.next();
                directory.replace(p.temp, p.path.file());
                it.remove();
                written.add(p.path.directory());
            }
            for (Path dir : written) {
                directory.sync(dir);
            }
            return fenced;
        } finally {
            for (Pending p : pending.values()) {
                RecordDirectory.deleteQuietly(p.temp);
            }
            for (int i : locked) {
                stripes[i].unlock();
            }
        }
    }

    /** Removes the record unless its epoch is newer; a corrupt record file is reported, not removed. */
    @Override
    public void delete(String clientId, long epoch) throws StoreException {
        requireNonNull(clientId, "clientId");
        RecordPath path = directory.path(clientId);
        ReentrantLock stripe = stripes[stripe(clientId)];
        stripe.lock();
        try {
            checkOpen();
            StoredRecord stored = directory.read(path, clientId);
            if (stored != null && stored.epoch() <= epoch) {
                directory.delete(path.file());
                directory.sync(path.directory());
            }
        } finally {
            stripe.unlock();
        }
    }

    /** Waits for writes in progress, then releases the directory. */
    @Override
    public void close() throws StoreException {
        for (ReentrantLock stripe : stripes) {
            stripe.lock();
        }
        try {
            if (!closed) {
                closed = true;
                directory.close();
            }
        } finally {
            for (ReentrantLock stripe : stripes) {
                stripe.unlock();
            }
        }
    }

    private void checkOpen() throws StoreException {
        if (closed) {
            throw new StoreException(this + " is closed");
        }
    }

    private static FencedException fenced(StoredRecord record, StoredRecord stored) {
        return new FencedException(record.clientId(), stored.epoch(), stored.version(), record.epoch(), record.version());
    }

    private static int stripe(String clientId) {
        int h = clientId.hashCode();
        return (h ^ (h >>> 16)) & (STRIPES - 1);
    }

    @Override
    public String toString() {
        return "file state store " + directory;
    }

    private record Pending(RecordPath path, StoredRecord record, Path temp) {
    }
}
