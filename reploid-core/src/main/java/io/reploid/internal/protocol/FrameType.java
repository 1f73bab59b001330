package io.reploid.internal.protocol;

/**
 * Frame type bytes. Client frames travel between a client and a gateway; service frames between a
 * service instance and a gateway, and between two gateways (gateways talk on the service port); peer frames between two service instances (on the peer port, for
 * replication); {@link #ERROR}, {@link #PING} and {@link #PONG} on all of them. Immutable and thread-safe.
 */
public enum FrameType {
    HELLO(0x01, Side.CLIENT),
    WELCOME(0x02, Side.CLIENT),
    REQUEST(0x03, Side.CLIENT),
    RESPONSE(0x04, Side.CLIENT),
    PUSH(0x05, Side.CLIENT),
    ERROR(0x06, Side.BOTH),
    PING(0x07, Side.BOTH),
    PONG(0x08, Side.BOTH),
    REGISTER(0x10, Side.SERVICE),
    REGISTERED(0x11, Side.SERVICE),
    LOAD(0x12, Side.SERVICE),
    ANNOUNCE(0x13, Side.SERVICE),
    ATTACH(0x14, Side.SERVICE),
    DETACH(0x15, Side.SERVICE),
    CLIENT_REQUEST(0x16, Side.SERVICE),
    CLIENT_RESPONSE(0x17, Side.SERVICE),
    CLIENT_PUSH(0x18, Side.SERVICE),
    CLIENT_ERROR(0x19, Side.SERVICE),
    RELEASE(0x1A, Side.SERVICE),
    MEMBERS(0x1B, Side.SERVICE),
    EXPORT(0x1C, Side.SERVICE),
    EXPORTED(0x1D, Side.SERVICE),
    IMPORT(0x1E, Side.SERVICE),
    DRAIN(0x1F, Side.SERVICE),
    GATEWAY_HELLO(0x20, Side.SERVICE),
    GATEWAYS(0x21, Side.SERVICE),
    PIN_CLAIM(0x22, Side.SERVICE),
    PIN_CLAIM_RESULT(0x23, Side.SERVICE),
    PIN_DROP(0x24, Side.SERVICE),
    PIN_SYNC(0x25, Side.SERVICE),
    PEER_HELLO(0x30, Side.PEER),
    REPLICATE(0x31, Side.PEER),
    REPLICATE_ACK(0x32, Side.PEER),
    REPLICA_DROP(0x33, Side.PEER);

    /** Which connections a frame type may appear on; {@code BOTH} means every kind of connection. */
    public enum Side { CLIENT, SERVICE, PEER, BOTH }

    private static final FrameType[] BY_CODE = new FrameType[256];

    static {
        for (FrameType t : values()) {
            BY_CODE[t.code] = t;
        }
    }

    private final int code;
    private final Side side;

    FrameType(int code, Side side) {
        this.code = code;
        this.side = side;
    }

    public int code() {
        return code;
    }

    public Side side() {
        return side;
    }

    /** Whether this type may appear on a connection of the given side. */
    public boolean allowedOn(Side connection) {
        return side == Side.BOTH || side == connection;
    }

    /** The type for a byte, or {@code null} when the byte names no type. */
    public static FrameType of(int code) {
        return BY_CODE[code & 0xFF];
    }
}
