package io.reploid.state;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Where a client's record lives in a file store: {@code root/<shard>/<name>.rec}. The shard is the first
 * two hex digits of the SHA-256 of the id's UTF-8 bytes; the name is the lowercase hex of those bytes
 * (safe on every file system, including case-insensitive ones), or {@code h-} and the SHA-256 when that
 * would make the name too long. The file holds the full id, so a hashed name is checked on load.
 *
 * @param directory the shard directory
 * @param file      the record file
 */
record RecordPath(Path directory, Path file) {
    static final String SUFFIX = ".rec";
    static final String TEMP_SUFFIX = ".tmp";
    static final int MAX_HEX_ID_BYTES = 100;
    private static final HexFormat HEX = HexFormat.of();

    static RecordPath of(Path root, String clientId) {
        byte[] id = clientId.getBytes(StandardCharsets.UTF_8);
        String hash = HEX.formatHex(sha256(id));
        String name = id.length <= MAX_HEX_ID_BYTES ? HEX.formatHex(id) : "h-" + hash;
        Path directory = root.resolve(hash.substring(0, 2));
        return new RecordPath(directory, directory.resolve(name + SUFFIX));
    }

    /** Whether {@code name} is a shard directory's name. */
    static boolean isShard(String name) {
        return name.length() == 2 && name.chars().allMatch(c -> (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'));
    }

    /** A temporary file beside the record file, unique by {@code sequence}. */
    Path temp(long sequence) {
        return directory.resolve(file.getFileName() + "." + sequence + TEMP_SUFFIX);
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError("every Java platform has SHA-256", e);
        }
    }
}
