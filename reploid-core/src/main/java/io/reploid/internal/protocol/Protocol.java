package io.reploid.internal.protocol;

/** Protocol constants. Immutable and thread-safe. */
public final class Protocol {
    /** {@code "RPLD"}: the first four bytes of HELLO and REGISTER bodies. */
    public static final int MAGIC = 0x52504C44;
    /** The only protocol version this release speaks. */
    public static final int VERSION = 1;
    /** Default maximum frame body (type byte included), in bytes. */
    public static final int DEFAULT_MAX_FRAME_SIZE = 1 << 20;
    /** Bytes of the length prefix. */
    public static final int LENGTH_FIELD = 4;
    /** Longest client or instance id, in UTF-8 bytes. */
    public static final int MAX_ID_BYTES = 255;
    /** Most entries in a metadata or label map. */
    public static final int MAX_MAP_ENTRIES = 64;
    /** Most client ids in one ANNOUNCE frame (senders split larger sets). */
    public static final int MAX_ANNOUNCE_ENTRIES = 4096;
    /** Most instances in one MEMBERS frame. */
    public static final int MAX_MEMBERS = 4096;

    private Protocol() {
    }
}
