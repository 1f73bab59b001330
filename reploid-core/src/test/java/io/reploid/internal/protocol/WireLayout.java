package io.reploid.internal.protocol;

import io.reploid.ErrorCode;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.LongFunction;

/**
 * The body layout of every frame type as {@code docs/protocol.md} states it, written down independently
 * of {@link FrameCodec}, and a walker that splits the bytes of a frame into named fields. Field names are
 * the ones the codec uses in its error messages ({@code "clientId length"}, {@code "metadata key"}).
 */
final class WireLayout {

    /** Field types of the protocol document. */
    enum Kind {
        U8("u8", 1), U16("u16", 2), U32("u32", 4), I32("i32", 4), I64("i64", 8), F64("f64", 8),
        STR("str", -1), ID("id", -1), MAP("map", -1), BYTES("bytes", -1),
        /**
         * {@code count} × the field's {@code entry} fields (ANNOUNCE's clients, MEMBERS' members, ...); the
         * count is the previous field.
         */
        ENTRIES("", -1);

        final String wire;
        final int width;

        Kind(String wire, int width) {
            this.wire = wire;
            this.width = width;
        }
    }

    /**
     * One declared field; {@code note} explains a numeric value (or is {@code null}); {@code entry} is the
     * layout of one entry of an {@link Kind#ENTRIES} field (empty for every other kind).
     */
    record Field(Kind kind, String name, LongFunction<String> note, List<Field> entry) {
        Field(Kind kind, String name, LongFunction<String> note) {
            this(kind, name, note, List.of());
        }

        Field(Kind kind, String name) {
            this(kind, name, null);
        }

        /** {@code count} × {@code entry}, where the count is the field before this one. */
        static Field entries(String name, Field... entry) {
            return new Field(Kind.ENTRIES, name, null, List.of(entry));
        }
    }

    /** One field of an actual frame: where it is, its bytes, its name and its value as text. */
    record Row(int offset, byte[] bytes, String name, String value) {
        String hex() {
            if (bytes.length == 0) {
                return "(none)";
            }
            StringBuilder sb = new StringBuilder();
            for (byte b : bytes) {
                sb.append(sb.length() == 0 ? "" : " ").append(String.format("%02x", b & 0xFF));
            }
            return sb.toString();
        }

        String render(int hexWidth) {
            return String.format("%6d  %-" + hexWidth + "s  %s = %s", offset, hex(), name, value);
        }
    }

    private static final Map<FrameType, List<Field>> FIELDS = new EnumMap<>(FrameType.class);

    static {
        Field magic = new Field(Kind.U32, "magic",
                v -> String.format("0x%08X (\"%s\")", v, new String(ByteBuffer.allocate(4).putInt((int) v).array(),
                        StandardCharsets.US_ASCII)));
        Field version = new Field(Kind.U16, "version");
        Field clientId = new Field(Kind.ID, "clientId");
        Field epoch = new Field(Kind.I64, "epoch");
        Field requestId = new Field(Kind.I64, "requestId");
        Field payload = new Field(Kind.BYTES, "payload");
        Field code = new Field(Kind.U16, "code", v -> v + " (" + ErrorCode.of((int) v) + ")");
        Field message = new Field(Kind.STR, "message");
        put(FrameType.HELLO, magic, version, clientId, new Field(Kind.MAP, "metadata"));
        put(FrameType.WELCOME, version, new Field(Kind.STR, "gatewayId"), new Field(Kind.STR, "instanceId"), epoch,
                new Field(Kind.U8, "flags", v -> String.format("0x%02X (%s)", v, (v & 1) != 0 ? "new pin" : "known pin")));
        put(FrameType.REQUEST, requestId, payload);
        put(FrameType.RESPONSE, requestId, payload);
        put(FrameType.PUSH, payload);
        put(FrameType.ERROR, requestId, code, message);
        put(FrameType.PING, new Field(Kind.I64, "nonce"));
        put(FrameType.PONG, new Field(Kind.I64, "nonce"));
        put(FrameType.REGISTER, magic, version, new Field(Kind.ID, "instanceId"), new Field(Kind.STR, "address"),
                new Field(Kind.I32, "capacity"), new Field(Kind.I32, "weight"), new Field(Kind.MAP, "labels"));
        put(FrameType.REGISTERED, version, new Field(Kind.STR, "gatewayId"), new Field(Kind.I32, "heartbeatMillis"));
        put(FrameType.LOAD, new Field(Kind.I64, "timestampMillis"), new Field(Kind.I32, "clients"),
                new Field(Kind.I32, "inFlight"), new Field(Kind.F64, "cpu"), new Field(Kind.I64, "heapUsed"),
                new Field(Kind.I64, "heapMax"), new Field(Kind.F64, "gauge"),
                new Field(Kind.U8, "flags", v -> String.format("0x%02X (%s)", v, (v & 1) != 0 ? "unhealthy" : "healthy")));
        Field count = new Field(Kind.I32, "count");
        Field instanceId = new Field(Kind.ID, "instanceId");
        put(FrameType.ANNOUNCE, count, Field.entries("clients", clientId, epoch));
        put(FrameType.ATTACH, clientId, epoch, new Field(Kind.MAP, "metadata"));
        put(FrameType.DETACH, clientId, epoch,
                new Field(Kind.U8, "reason", v -> v + " (" + Frame.DetachReason.of((int) v) + ")"));
        put(FrameType.CLIENT_REQUEST, clientId, epoch, requestId, payload);
        put(FrameType.CLIENT_RESPONSE, clientId, epoch, requestId, payload);
        put(FrameType.CLIENT_PUSH, clientId, epoch, payload);
        put(FrameType.CLIENT_ERROR, clientId, epoch, requestId, code, message);
        put(FrameType.RELEASE, clientId, epoch);
        put(FrameType.MEMBERS, new Field(Kind.I64, "version"), count, Field.entries("members", instanceId,
                new Field(Kind.STR, "address"),
                new Field(Kind.U8, "state", v -> v + " (" + Frame.Member.stateOf((int) v) + ")")));
        Field gatewayId = new Field(Kind.ID, "gatewayId");
        Field serviceAddress = new Field(Kind.STR, "serviceAddress");
        Field adminAddress = new Field(Kind.STR, "adminAddress");
        Field leaderFlags = new Field(Kind.U8, "flags",
                v -> String.format("0x%02X (%s)", v, (v & 1) != 0 ? "leader" : "not leader"));
        put(FrameType.GATEWAY_HELLO, magic, version, gatewayId, serviceAddress, adminAddress, leaderFlags);
        put(FrameType.GATEWAYS, count, Field.entries("gateways", gatewayId, serviceAddress, adminAddress, leaderFlags));
        put(FrameType.PIN_CLAIM, new Field(Kind.I64, "claimId"), clientId, instanceId, epoch,
                new Field(Kind.I64, "expectedEpoch"));
        put(FrameType.PIN_CLAIM_RESULT, new Field(Kind.I64, "claimId"),
                new Field(Kind.U8, "accepted", v -> String.format("0x%02X (%s)", v, (v & 1) != 0 ? "accepted" : "rejected")),
                clientId, new Field(Kind.STR, "instanceId"), epoch);
        put(FrameType.PIN_DROP, clientId, instanceId, epoch);
        put(FrameType.PIN_SYNC,
                new Field(Kind.U8, "flags", v -> String.format("0x%02X (%s)", v, (v & 1) != 0 ? "last part" : "more parts")),
                count, Field.entries("pins", clientId, instanceId, epoch));
        put(FrameType.PEER_HELLO, magic, version, instanceId);
        put(FrameType.REPLICATE, clientId, epoch, new Field(Kind.I64, "version"), new Field(Kind.BYTES, "data"));
        put(FrameType.REPLICATE_ACK, clientId, epoch, new Field(Kind.I64, "version"));
        put(FrameType.REPLICA_DROP, clientId, epoch);
    }

    private static void put(FrameType type, Field... fields) {
        FIELDS.put(type, List.of(fields));
    }

    private WireLayout() {
    }

    /** The body fields of {@code type} as the document's table writes them: {@code "u32 magic"}, ... */
    static List<String> declaredFields(FrameType type) {
        List<String> out = new ArrayList<>();
        for (Field f : FIELDS.get(type)) {
            if (f.kind() == Kind.ENTRIES) {
                f.entry().forEach(e -> out.add(e.kind().wire + " " + e.name()));
            } else {
                out.add(f.kind().wire + " " + f.name());
            }
        }
        return out;
    }

    /**
     * Splits a whole frame (length prefix included) into rows: {@code length}, {@code type}, then the body
     * fields in order; a {@code str} is two rows ({@code "x length"}, {@code "x"}), a {@code map} a count
     * row and four rows per entry.
     *
     * @throws IllegalArgumentException when the bytes do not follow the layout
     */
    static List<Row> rows(byte[] frame) {
        Walker w = new Walker(frame);
        long length = w.fixed(Kind.U32, "length", null);
        if (length != frame.length - 4L) {
            throw new IllegalArgumentException("length " + length + " but " + (frame.length - 4) + " bytes follow");
        }
        int code = (int) w.fixed(Kind.U8, "type", v -> String.format("0x%02X (%s)", v, FrameType.of((int) v)));
        FrameType type = FrameType.of(code);
        if (type == null) {
            throw new IllegalArgumentException(String.format("unknown type 0x%02X", code));
        }
        long previous = 0;
        for (Field f : FIELDS.get(type)) {
            if (f.kind() == Kind.ENTRIES) {
                for (long i = 0; i < previous; i++) {
                    f.entry().forEach(e -> w.field(e));
                }
            } else {
                previous = w.field(f);
            }
        }
        if (w.pos != frame.length) {
            throw new IllegalArgumentException((frame.length - w.pos) + " trailing bytes");
        }
        return w.rows;
    }

    /** Renders rows as the breakdown table of the protocol document, header line included. */
    static List<String> render(List<Row> rows) {
        int width = Math.max(5, rows.stream().mapToInt(r -> r.hex().length()).max().orElse(0));
        List<String> lines = new ArrayList<>();
        lines.add(String.format("%-6s  %-" + width + "s  %s", "offset", "bytes", "field = value"));
        rows.forEach(r -> lines.add(r.render(width)));
        return lines;
    }

    private static final class Walker {
        final byte[] frame;
        final List<Row> rows = new ArrayList<>();
        int pos;

        Walker(byte[] frame) {
            this.frame = frame;
        }

        byte[] take(int n, String name) {
            if (n > frame.length - pos) {
                throw new IllegalArgumentException(name + " needs " + n + " bytes, " + (frame.length - pos) + " remain");
            }
            byte[] b = Arrays.copyOfRange(frame, pos, pos + n);
            pos += n;
            return b;
        }

        /** Reads one field that is not {@link Kind#ENTRIES}; returns its value when it is a number, else 0. */
        long field(Field f) {
            switch (f.kind()) {
                case STR, ID -> string(f.name());
                case MAP -> {
                    long count = fixed(Kind.U16, f.name() + " count", null);
                    for (long i = 0; i < count; i++) {
                        string(f.name() + " key");
                        string(f.name() + " value");
                    }
                }
                case BYTES -> rest(f.name());
                case ENTRIES -> throw new IllegalStateException("entries inside entries");
                default -> {
                    return fixed(f.kind(), f.name(), f.note());
                }
            }
            return 0;
        }

        long fixed(Kind kind, String name, LongFunction<String> note) {
            int at = pos;
            byte[] b = take(kind.width, name);
            long v = 0;
            for (byte x : b) {
                v = (v << 8) | (x & 0xFF);
            }
            String text;
            switch (kind) {
                case I32 -> {
                    v = (int) v;
                    text = Long.toString(v);
                }
                case F64 -> text = Double.toString(Double.longBitsToDouble(v));
                default -> text = Long.toString(v);
            }
            rows.add(new Row(at, b, name, note == null ? text : note.apply(v)));
            return v;
        }

        void string(String name) {
            long len = fixed(Kind.U16, name + " length", null);
            int at = pos;
            byte[] b = take((int) len, name);
            String text = FrameText.printableUtf8(b);
            if (text == null) {
                throw new IllegalArgumentException(name + " is not printable UTF-8: " + HexFormat.of().formatHex(b));
            }
            rows.add(new Row(at, b, name, FrameText.quote(text)));
        }

        void rest(String name) {
            int at = pos;
            byte[] b = take(frame.length - pos, name);
            String text = FrameText.printableUtf8(b);
            rows.add(new Row(at, b, name, text != null ? FrameText.quote(text) : b.length + " bytes"));
        }
    }
}
