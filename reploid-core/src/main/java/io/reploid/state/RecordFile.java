package io.reploid.state;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.zip.CRC32C;

/**
 * The layout of one record file of the file store, big-endian:
 * <pre>
 * offset size
 *      0    4  magic "RPLS"
 *      4    4  format version (1)
 *      8    8  epoch
 *     16    8  version
 *     24    4  length of the client id (UTF-8 bytes)
 *     28    4  length of the data
 *     32    4  CRC32C of bytes 0..31, the client id and the data
 *     36       client id, then data
 * </pre>
 */
final class RecordFile {
    static final int MAGIC = 0x52504C53;
    static final int FORMAT_VERSION = 1;
    static final int HEADER_BYTES = 36;
    private static final int CHECKED_HEADER_BYTES = 32;

    private RecordFile() {
    }

    /** The header and client id, then the data (not copied): write both, in order. */
    static ByteBuffer[] encode(StoredRecord record) {
        byte[] id = record.clientId().getBytes(StandardCharsets.UTF_8);
        byte[] data = record.data();
        ByteBuffer head = ByteBuffer.allocate(HEADER_BYTES + id.length);
        head.putInt(MAGIC).putInt(FORMAT_VERSION).putLong(record.epoch()).putLong(record.version())
                .putInt(id.length).putInt(data.length);
        head.putInt(crc(head.array(), id, data)).put(id).flip();
        return new ByteBuffer[] {head, ByteBuffer.wrap(data)};
    }

    /**
     * Checks and decodes the bytes of {@code file}.
     *
     * @throws StoreException naming the file when it is truncated, corrupt, of another format or holds
     *                        another client
     */
    static StoredRecord decode(Path file, byte[] bytes, String clientId) throws StoreException {
        if (bytes.length < HEADER_BYTES) {
            throw corrupt(file, "truncated: " + bytes.length + " bytes (expected: at least " + HEADER_BYTES + ")");
        }
        ByteBuffer buf = ByteBuffer.wrap(bytes);
        int magic = buf.getInt();
        if (magic != MAGIC) {
            throw corrupt(file, "not a record file: magic 0x" + Integer.toHexString(magic)
                    + " (expected: 0x" + Integer.toHexString(MAGIC) + ")");
        }
        int format = buf.getInt();
        if (format != FORMAT_VERSION) {
            throw corrupt(file, "format version " + format + " (expected: " + FORMAT_VERSION + ")");
        }
        long epoch = buf.getLong();
        long version = buf.getLong();
        int idLength = buf.getInt();
        int dataLength = buf.getInt();
        int storedCrc = buf.getInt();
        long expected = (long) HEADER_BYTES + idLength + dataLength;
        if (idLength < 0 || dataLength < 0 || expected != bytes.length) {
            throw corrupt(file, (expected > bytes.length ? "truncated: " : "wrong length: ") + bytes.length
                    + " bytes (expected: " + expected + " for a " + idLength + "-byte id and " + dataLength + " bytes of data)");
        }
        byte[] id = new byte[idLength];
        byte[] data = new byte[dataLength];
        buf.get(id).get(data);
        int crc = crc(bytes, id, data);
        if (crc != storedCrc) {
            throw corrupt(file, "checksum mismatch: stored 0x" + Integer.toHexString(storedCrc)
                    + ", computed 0x" + Integer.toHexString(crc));
        }
        String storedId = new String(id, StandardCharsets.UTF_8);
        if (!storedId.equals(clientId)) {
            throw corrupt(file, "holds client '" + storedId + "' (expected: '" + clientId + "')");
        }
        return new StoredRecord(clientId, epoch, version, data);
    }

    private static int crc(byte[] header, byte[] id, byte[] data) {
        CRC32C crc = new CRC32C();
        crc.update(header, 0, CHECKED_HEADER_BYTES);
        crc.update(id);
        crc.update(data);
        return (int) crc.getValue();
    }

    private static StoreException corrupt(Path file, String problem) {
        return new StoreException("corrupt record file " + file + ": " + problem);
    }
}
