package io.reploid.state;

import static java.nio.file.StandardCopyOption.ATOMIC_MOVE;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The directory of a file store and the file operations on it: an exclusive lock on {@code .lock} while
 * open, reads of record files, crash-safe replacement (temp file, fsync, atomic rename, fsync of the
 * directory) and removal of temp files that a crash left behind. Does no fencing: {@link FileStateStore}
 * does, under its locks. Thread-safe.
 */
final class RecordDirectory {
    private static final Logger log = LoggerFactory.getLogger(RecordDirectory.class);
    private static final String LOCK_FILE = ".lock";
    /** Windows cannot open a directory to force it; there the rename is all there is. */
    private static final boolean CAN_SYNC_DIRECTORIES = !System.getProperty("os.name", "").startsWith("Windows");

    private final Path root;
    private final boolean fsync;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private final AtomicLong tempSequence = new AtomicLong();
    /** Shard directories whose entries in the root are known to be on disk (with fsync on). */
    private final Set<Path> durableShards = ConcurrentHashMap.newKeySet();

    private RecordDirectory(Path root, boolean fsync, FileChannel lockChannel, FileLock lock) {
        this.root = root;
        this.fsync = fsync;
        this.lockChannel = lockChannel;
        this.lock = lock;
    }

    /** Creates the directory if absent, locks it and removes leftover temp files. */
    static RecordDirectory open(Path directory, boolean fsync) throws StoreException {
        Path root = directory.toAbsolutePath().normalize();
        FileChannel channel = null;
        try {
            boolean created = !Files.isDirectory(root);
            Files.createDirectories(root);
            channel = FileChannel.open(root.resolve(LOCK_FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock = channel.tryLock();
            if (lock == null) {
                throw new StoreException("file state store " + root + " is in use by another process");
            }
            RecordDirectory opened = new RecordDirectory(root, fsync, channel, lock);
            if (created && root.getParent() != null) {
                opened.sync(root.getParent());
            }
            opened.recover();
            return opened;
        } catch (OverlappingFileLockException e) {
            closeQuietly(channel);
            throw new StoreException("file state store " + root + " is already open in this process", e);
        } catch (IOException e) {
            closeQuietly(channel);
            throw new StoreException("cannot open file state store " + root + ": " + e, e);
        } catch (StoreException e) {
            closeQuietly(channel);
            throw e;
        }
    }

    RecordPath path(String clientId) {
        return RecordPath.of(root, clientId);
    }

    /** The checked record in {@code path}, or {@code null} when there is none. */
    StoredRecord read(RecordPath path, String clientId) throws StoreException {
        Path file = path.file();
        byte[] bytes;
        try {
            long size = Files.size(file);
            if (size > Integer.MAX_VALUE - 16) {
                throw new StoreException("corrupt record file " + file + ": " + size + " bytes");
            }
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            throw new StoreException("cannot read " + file + ": " + e, e);
        }
        return RecordFile.decode(file, bytes, clientId);
    }

    /** Writes {@code record} to a new temp file beside its record file (forced to disk with fsync on). */
    Path writeTemp(RecordPath path, StoredRecord record) throws StoreException {
        Path temp = path.temp(tempSequence.incrementAndGet());
        try {
            ensureShard(path.directory());
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                ByteBuffer[] buffers = RecordFile.encode(record);
                while (buffers[0].hasRemaining() || buffers[1].hasRemaining()) {
                    channel.write(buffers);
                }
                if (fsync) {
                    channel.force(true);
                }
            }
            return temp;
        } catch (IOException e) {
            deleteQuietly(temp);
            throw new StoreException("cannot write " + temp + ": " + e, e);
        }
    }

    /** Creates a shard directory if needed; no record is acknowledged in it before its entry is durable. */
    private void ensureShard(Path shard) throws IOException, StoreException {
        if (durableShards.contains(shard)) {
            return;
        }
        synchronized (durableShards) {
            if (!durableShards.contains(shard)) {
                Files.createDirectories(shard);
                sync(root);
                durableShards.add(shard);
            }
        }
    }

    /** Atomically renames {@code temp} over {@code target}; the directory still has to be synced. */
    void replace(Path temp, Path target) throws StoreException {
        try {
            Files.move(temp, target, ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            throw new StoreException("the file system of " + target + " cannot rename atomically", e);
        } catch (IOException e) {
            throw new StoreException("cannot rename " + temp + " to " + target + ": " + e, e);
        }
    }

    /** Removes a record file; the directory still has to be synced. */
    void delete(Path file) throws StoreException {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new StoreException("cannot delete " + file + ": " + e, e);
        }
    }

    /** Forces a directory's entries (renames, removals) to disk; nothing with fsync off. */
    void sync(Path directory) throws StoreException {
        if (!fsync || !CAN_SYNC_DIRECTORIES) {
            return;
        }
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            throw new StoreException("cannot sync directory " + directory + ": " + e, e);
        }
    }

    /** Releases the directory lock. */
    void close() throws StoreException {
        try {
            lock.release();
            lockChannel.close();
        } catch (IOException e) {
            throw new StoreException("cannot release the lock of " + root + ": " + e, e);
        }
    }

    static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            log.warn("Cannot delete temporary file {}: {}", file, e.toString());
        }
    }

    /**
     * Removes temp files left by interrupted writes, and syncs the root once so that every existing
     * shard directory is durable.
     */
    private void recover() throws IOException, StoreException {
        int removed = 0;
        try (DirectoryStream<Path> shards = Files.newDirectoryStream(root,
                p -> RecordPath.isShard(p.getFileName().toString()) && Files.isDirectory(p))) {
            for (Path shard : shards) {
                durableShards.add(shard);
                try (DirectoryStream<Path> temps = Files.newDirectoryStream(shard, "*" + RecordPath.TEMP_SUFFIX)) {
                    for (Path temp : temps) {
                        Files.deleteIfExists(temp);
                        removed++;
                    }
                }
            }
        }
        sync(root);
        if (removed > 0) {
            log.info("Removed {} temporary files left in {} by interrupted writes", removed, root);
        }
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // the open failed already; that error is the one to report
            }
        }
    }

    @Override
    public String toString() {
        return root + (fsync ? "" : " (fsync off)");
    }
}
