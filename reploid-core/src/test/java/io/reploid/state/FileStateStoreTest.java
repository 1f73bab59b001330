package io.reploid.state;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What only the file store does: its files, their checks, crash leftovers and reopening. */
class FileStateStoreTest {
    @TempDir
    Path directory;

    private static StoredRecord record(String clientId, long epoch, long version, String data) {
        return new StoredRecord(clientId, epoch, version, data.getBytes(UTF_8));
    }

    private Path fileOf(String clientId) {
        return RecordPath.of(directory.toAbsolutePath().normalize(), clientId).file();
    }

    @Test
    void corruptFileIsReportedWithItsName() throws Exception {
        try (StateStore store = StateStores.file(directory)) {
            store.write(record("alice", 1, 1, "some state"));
            Path file = fileOf("alice");
            byte[] bytes = Files.readAllBytes(file);
            bytes[bytes.length - 3] ^= 0x40;
            Files.write(file, bytes);

            assertThatThrownBy(() -> store.load("alice")).isExactlyInstanceOf(StoreException.class)
                    .hasMessageContaining(file.toString()).hasMessageContaining("checksum mismatch");
            assertThatThrownBy(() -> store.write(record("alice", 1, 2, "newer"))).isExactlyInstanceOf(StoreException.class)
                    .hasMessageContaining(file.toString());
            assertThatThrownBy(() -> store.delete("alice", 1)).isExactlyInstanceOf(StoreException.class)
                    .hasMessageContaining(file.toString());
            assertThat(Files.readAllBytes(file)).as("left for an operator to look at").isEqualTo(bytes);
        }
    }

    @Test
    void corruptEpochInHeaderIsCaughtByTheChecksum() throws Exception {
        try (StateStore store = StateStores.file(directory)) {
            store.write(record("alice", 1, 1, "state"));
            Path file = fileOf("alice");
            byte[] bytes = Files.readAllBytes(file);
            bytes[15] = 9;
            Files.write(file, bytes);
            assertThatThrownBy(() -> store.load("alice")).hasMessageContaining("checksum mismatch");
        }
    }

    @Test
    void truncatedFileIsReportedWithItsName() throws Exception {
        try (StateStore store = StateStores.file(directory)) {
            store.write(record("alice", 1, 1, "some state"));
            store.write(record("bob", 1, 1, "some state"));
            store.write(record("carol", 1, 1, "some state"));
            truncate(fileOf("alice"), Files.size(fileOf("alice")) - 1);
            truncate(fileOf("bob"), 20);
            truncate(fileOf("carol"), 0);

            assertThatThrownBy(() -> store.load("alice")).isExactlyInstanceOf(StoreException.class)
                    .hasMessageContaining(fileOf("alice").toString()).hasMessageContaining("truncated");
            assertThatThrownBy(() -> store.load("bob")).hasMessageContaining(fileOf("bob").toString())
                    .hasMessageContaining("truncated: 20 bytes");
            assertThatThrownBy(() -> store.load("carol")).hasMessageContaining(fileOf("carol").toString())
                    .hasMessageContaining("truncated: 0 bytes");
        }
    }

    @Test
    void foreignFileIsReported() throws Exception {
        try (StateStore store = StateStores.file(directory)) {
            store.write(record("alice", 1, 1, "state"));
            Files.writeString(fileOf("alice"), "this is not a record file, whatever its name says");
            assertThatThrownBy(() -> store.load("alice")).hasMessageContaining("not a record file");
        }
    }

    @Test
    void recordOfAnotherClientIsReported() throws Exception {
        try (StateStore store = StateStores.file(directory)) {
            store.write(record("alice", 1, 1, "alice's"));
            store.write(record("bob", 1, 1, "bob's"));
            Files.copy(fileOf("alice"), fileOf("bob"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            assertThatThrownBy(() -> store.load("bob")).hasMessageContaining("holds client 'alice' (expected: 'bob')");
        }
    }

    @Test
    void leftoverTempFilesAreIgnoredAndRemovedAtOpen() throws Exception {
        try (StateStore store = StateStores.file(directory)) {
            store.write(record("alice", 1, 1, "acknowledged"));
        }
        Path file = fileOf("alice");
        Path interrupted = file.resolveSibling(file.getFileName() + ".17.tmp");
        Files.writeString(interrupted, "half a reco");
        Path orphan = directory.resolve("ab").resolve("626f62.rec.3.tmp");
        Files.createDirectories(orphan.getParent());
        Files.writeString(orphan, "");

        try (StateStore store = StateStores.file(directory)) {
            assertThat(interrupted).doesNotExist();
            assertThat(orphan).doesNotExist();
            assertThat(store.load("alice").orElseThrow().data()).isEqualTo("acknowledged".getBytes(UTF_8));
            store.write(record("alice", 1, 2, "next"));
            assertThat(store.load("alice").orElseThrow().version()).isEqualTo(2);
        }
        assertThat(allFiles()).noneMatch(p -> p.toString().endsWith(".tmp"));
    }

    @Test
    void reopenSeesEveryWrite() throws Exception {
        List<StoredRecord> expected = new ArrayList<>();
        try (StateStore store = StateStores.file(directory)) {
            for (int i = 0; i < 300; i++) {
                store.write(record("client-" + i, 1, 1, "first " + i));
            }
            List<StoredRecord> batch = new ArrayList<>();
            for (int i = 0; i < 300; i += 2) {
                batch.add(record("client-" + i, 2, 1, "batched " + i));
            }
            assertThat(store.writeAll(batch)).isEmpty();
            for (int i = 0; i < 300; i++) {
                if (i % 3 == 0) {
                    store.delete("client-" + i, 2);
                } else {
                    expected.add(i % 2 == 0 ? record("client-" + i, 2, 1, "batched " + i) : record("client-" + i, 1, 1, "first " + i));
                }
            }
        }
        try (StateStore store = StateStores.file(directory)) {
            for (int i = 0; i < 300; i += 3) {
                assertThat(store.load("client-" + i)).isEmpty();
            }
            for (StoredRecord r : expected) {
                StoredRecord loaded = store.load(r.clientId()).orElseThrow();
                assertThat(loaded.epoch()).isEqualTo(r.epoch());
                assertThat(loaded.version()).isEqualTo(r.version());
                assertThat(loaded.data()).isEqualTo(r.data());
            }
            assertThatThrownBy(() -> store.write(record("client-1", 1, 1, "stale"))).isInstanceOf(FencedException.class);
        }
    }

    @Test
    void oddIdsMapToSafeFileNames() throws Exception {
        List<String> ids = List.of("a/b", "../../escape", ".", "..", "a\\b", "ünïcödé/客户", "CON", "Alice", "alice",
                "x".repeat(100), "y".repeat(101), "é".repeat(127));
        try (StateStore store = StateStores.file(directory)) {
            for (String id : ids) {
                store.write(record(id, 1, 1, id));
            }
            for (String id : ids) {
                assertThat(store.load(id).orElseThrow().data()).isEqualTo(id.getBytes(UTF_8));
            }
        }
        List<Path> files = allFiles();
        List<String> relative = files.stream().map(p -> directory.relativize(p).toString()).collect(Collectors.toList());
        assertThat(relative).hasSize(ids.size() + 1).contains(".lock");
        assertThat(relative).filteredOn(name -> !name.equals(".lock"))
                .allMatch(name -> name.matches("[0-9a-f]{2}/([0-9a-f]{2,200}|h-[0-9a-f]{64})\\.rec"), "shard/hex.rec");
        assertThat(fileOf("x".repeat(100)).getFileName().toString()).isEqualTo("78".repeat(100) + ".rec");
        assertThat(fileOf("y".repeat(101)).getFileName().toString()).startsWith("h-");
    }

    @Test
    void recordsAreSpreadOverShards() throws Exception {
        try (StateStore store = StateStores.file(directory, false)) {
            List<StoredRecord> batch = new ArrayList<>();
            for (int i = 0; i < 1000; i++) {
                batch.add(record("client-" + i, 1, 1, ""));
            }
            store.writeAll(batch);
        }
        try (Stream<Path> shards = Files.list(directory)) {
            assertThat(shards.filter(Files::isDirectory).count()).isGreaterThan(200);
        }
    }

    @Test
    void directoryIsOpenOnceAtATime() throws Exception {
        StateStore first = StateStores.file(directory);
        assertThatThrownBy(() -> StateStores.file(directory)).isInstanceOf(StoreException.class)
                .hasMessageContaining("already open").hasMessageContaining(directory.toAbsolutePath().normalize().toString());
        first.close();
        StateStores.file(directory).close();
    }

    @Test
    void fileWhereDirectoryShouldBeIsReported() throws Exception {
        Path notADirectory = Files.writeString(directory.resolve("plain-file"), "x");
        assertThatThrownBy(() -> StateStores.file(notADirectory)).isInstanceOf(StoreException.class)
                .hasMessageContaining(notADirectory.toString());
    }

    private List<Path> allFiles() throws IOException {
        try (Stream<Path> walk = Files.walk(directory)) {
            return walk.filter(Files::isRegularFile).collect(Collectors.toList());
        }
    }

    private static void truncate(Path file, long size) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.truncate(size);
        }
    }
}
