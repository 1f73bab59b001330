package io.reploid.state;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;

/**
 * The built-in {@link StateStore}s of the core module. The JDBC store lives in {@code reploid-jdbc}.
 *
 * <h2>Durability of the file store</h2>
 * A write is acknowledged (returns) only after its record has replaced the old one by an atomic rename,
 * so a reader sees either the old or the new record, never a mix. What survives a crash:
 * <table>
 *   <caption>acknowledged writes after a crash</caption>
 *   <tr><th></th><th>{@code fsync = true} (default)</th><th>{@code fsync = false}</th></tr>
 *   <tr><td>process crash ({@code kill -9}, JVM abort)</td><td>all</td><td>all: the records are in the
 *       operating system's page cache, which the kernel writes out by itself</td></tr>
 *   <tr><td>machine crash, power loss, kernel panic</td><td>all, provided the disk honours cache
 *       flushes</td><td>those the kernel had written out, typically all but the last few seconds
 *       (30 s on a default Linux); a lost write leaves the client's previous record or none. On some file
 *       systems a record file can come back empty or partial: {@code load} then fails with a
 *       {@link StoreException} naming the file (the checksum catches it), it never returns wrong
 *       data</td></tr>
 * </table>
 * A write that throws may or may not have taken effect. Leftover temporary files of interrupted writes are
 * removed when the store is opened.
 *
 * <p>Thread-safe: the factories and the stores they return.
 */
public final class StateStores {
    private StateStores() {
    }

    /**
     * A store in this process's memory, for tests and for services that need no persistence: nothing
     * survives the process. Compare-and-set is atomic. Records are copied on the way in and out.
     */
    public static StateStore memory() {
        return new MemoryStateStore();
    }

    /**
     * An embedded durable store for one machine with {@code fsync} on: {@code file(directory, true)}.
     *
     * @see #file(Path, boolean)
     */
    public static StateStore file(Path directory) throws StoreException {
        return file(directory, true);
    }

    /**
     * An embedded durable store for one machine: one file per client in {@code directory} (created if
     * absent), written to a temporary file, then atomically renamed over the old one. Durability: see the
     * class documentation.
     *
     * <p>Layout: {@code directory/<shard>/<name>.rec}, where {@code shard} is the first two hex digits of
     * the SHA-256 of the client id's UTF-8 bytes (256 shards, so ten million clients make 40,000 files a
     * directory) and {@code name} is the lowercase hex of
     * those bytes, or {@code h-} and the SHA-256 in hex when the id is longer than 100 bytes. Each file has
     * a header (magic, format version, epoch, version, lengths) and a CRC32C over the header, the client id
     * and the data; a file that fails these checks makes {@code load}, {@code write} and {@code delete} of
     * that client fail with a {@link StoreException} naming the file, until it is removed.
     *
     * <p>One process at a time: the store holds an exclusive lock on {@code directory/.lock} until
     * {@link StateStore#close() closed}; opening a directory that is in use fails. Within the process,
     * per-client locks make each compare-and-set atomic.
     *
     * @param fsync whether to force file contents and directory entries to the disk before acknowledging
     *              a write; without it a machine crash can lose the last seconds of writes
     * @throws StoreException when the directory cannot be created, read or locked
     */
    public static StateStore file(Path directory, boolean fsync) throws StoreException {
        return FileStateStore.open(requireNonNull(directory, "directory"), fsync);
    }
}
