package io.reploid.internal.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageCodec;
import io.reploid.ErrorCode;
import io.reploid.LoadReport;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Encodes {@link Frame}s to bytes and decodes frame bodies (after {@link FrameDecoders#lengthDecoder})
 * into frames. Stateless and {@link Sharable}.
 *
 * <p>Buffer ownership: on decode, the frame body handed in is released by the base class; a decoded
 * {@link Frame.PayloadFrame} holds a retained slice of it and belongs to the next handler, which must
 * release it. On encode, the base class releases the written frame; its payload is passed on retained,
 * so a payload is never copied unless it is small enough that one buffer is cheaper than two.
 *
 * <p>Thread-safe: stateless, one instance serves every channel.
 */
@Sharable
public final class FrameCodec extends MessageToMessageCodec<ByteBuf, Frame> {

    /** The shared instance. */
    public static final FrameCodec INSTANCE = new FrameCodec();

    /** Payloads up to this size are copied next to their header rather than written as a second buffer. */
    private static final int COPY_THRESHOLD = 1024;

    /** Error messages longer than this many chars are cut (and end with "..."). */
    private static final int MAX_MESSAGE_CHARS = 4096;

    private FrameCodec() {
    }

    // ------------------------------------------------------------------ encode

    @Override
    protected void encode(ChannelHandlerContext ctx, Frame frame, List<Object> out) {
        encode(ctx.alloc(), frame, out);
    }

    /**
     * Encodes one frame into one or two buffers appended to {@code out}. Does not release {@code frame};
     * a payload written as its own buffer is retained for {@code out}. When a field cannot be encoded
     * (a string over 65,535 UTF-8 bytes, a map over {@value Protocol#MAX_MAP_ENTRIES} entries) nothing is
     * added to {@code out} and no buffer is left allocated.
     *
     * @throws IllegalArgumentException when a field cannot be encoded
     */
    public static void encode(ByteBufAllocator alloc, Frame frame, List<Object> out) {
        if (frame instanceof Frame.PayloadFrame pf) {
            ByteBuf payload = pf.payload();
            int payloadLength = payload.readableBytes();
            boolean copy = payloadLength <= COPY_THRESHOLD;
            ByteBuf header = alloc.buffer(64 + (copy ? payloadLength : 0));
            try {
                header.writeInt(0); // length, patched below
                header.writeByte(frame.type().code());
                writePayloadHeader(header, pf);
            } catch (RuntimeException e) {
                header.release();
                throw e;
            }
            int bodyLength = header.writerIndex() - Protocol.LENGTH_FIELD + payloadLength;
            header.setInt(0, bodyLength);
            if (copy) {
                header.writeBytes(payload, payload.readerIndex(), payloadLength);
                out.add(header);
            } else {
                out.add(header);
                out.add(payload.retain());
            }
            return;
        }
        ByteBuf buf = alloc.buffer(64);
        try {
            buf.writeInt(0);
            buf.writeByte(frame.type().code());
            writeControl(buf, frame);
        } catch (RuntimeException e) {
            buf.release();
            throw e;
        }
        buf.setInt(0, buf.writerIndex() - Protocol.LENGTH_FIELD);
        out.add(buf);
    }

    private static void writePayloadHeader(ByteBuf buf, Frame.PayloadFrame frame) {
        if (frame instanceof Frame.Request f) {
            buf.writeLong(f.requestId());
        } else if (frame instanceof Frame.Response f) {
            buf.writeLong(f.requestId());
        } else if (frame instanceof Frame.Push) {
            // no header fields
        } else if (frame instanceof Frame.ClientRequest f) {
            writeString(buf, f.clientId());
            buf.writeLong(f.epoch());
            buf.writeLong(f.requestId());
        } else if (frame instanceof Frame.ClientResponse f) {
            writeString(buf, f.clientId());
            buf.writeLong(f.epoch());
            buf.writeLong(f.requestId());
        } else if (frame instanceof Frame.ClientPush f) {
            writeString(buf, f.clientId());
            buf.writeLong(f.epoch());
        } else if (frame instanceof Frame.Replicate f) {
            writeString(buf, f.clientId());
            buf.writeLong(f.epoch());
            buf.writeLong(f.version());
        } else if (frame instanceof Frame.Exported f) {
            writeString(buf, f.clientId());
            buf.writeLong(f.epoch());
            buf.writeByte(f.status().code());
            buf.writeLong(f.version());
        } else if (frame instanceof Frame.Import f) {
            writeString(buf, f.clientId());
            buf.writeLong(f.epoch());
            buf.writeLong(f.version());
        } else {
            throw new IllegalArgumentException("unknown payload frame " + frame.getClass().getName());
        }
    }

    private static void writeControl(ByteBuf buf, Frame frame) {
        if (frame instanceof Frame.Hello f) {
            buf.writeInt(Protocol.MAGIC);
            buf.writeShort(f.version());
            writeString(buf, f.clientId());
            writeMap(buf, f.metadata());
        } else if (frame instanceof Frame.Welcome f) {
            buf.writeShort(f.version());
            writeString(buf, f.gatewayId());
            writeString(buf, f.instanceId());
            buf.writeLong(f.epoch());
            buf.writeByte(f.newPin() ? 1 : 0);
        } else if (frame instanceof Frame.Error f) {
            buf.writeLong(f.requestId());
            buf.writeShort(f.code().code());
            writeString(buf, clip(f.message()));
        } else if (frame instanceof Frame.Ping f) {
            buf.writeLong(f.nonce());
        } else if (frame instanceof Frame.Pong f) {
            buf.writeLong(f.nonce());
        } else if (frame instanceof Frame.Register f) {
            buf.writeInt(Protocol.MAGIC);
            buf.writeShort(f.version());
            writeString(buf, f.instanceId());
            writeString(buf, f.address());
            buf.writeInt(f.capacity());
            buf.writeInt(f.weight());
            writeMap(buf, f.labels());
        } else if (frame instanceof Frame.Registered f) {
            buf.writeShort(f.version());
            writeString(buf, f.gatewayId());
            buf.writeInt(f.heartbeatMillis());
        } else if (frame instanceof Frame.Load f) {
            LoadReport r = f.report();
            buf.writeLong(r.timestampMillis());
            buf.writeInt(r.clients());
            buf.writeInt(r.inFlight());
            buf.writeDouble(r.cpu());
            buf.writeLong(r.heapUsed());
            buf.writeLong(r.heapMax());
            buf.writeDouble(r.gauge());
            buf.writeByte((r.selfHealthy() ? 0 : 1) | (f.draining() ? 2 : 0));
        } else if (frame instanceof Frame.Announce f) {
            buf.writeInt(f.clients().size());
            for (Frame.HeldClient c : f.clients()) {
                writeString(buf, c.clientId());
                buf.writeLong(c.epoch());
            }
        } else if (frame instanceof Frame.Attach f) {
            writeString(buf, f.clientId());
            buf.writeLong(f.epoch());
            writeMap(buf, f.metadata());
        } else if (frame instanceof Frame.Detach f) {
            writeString(buf, f.clientId());
            buf.writeLong(f.epoch());
            buf.writeByte(f.reason().code());
        } else if (frame instanceof Frame.ClientError f) {
            writeString(buf, f.clientId());
            buf.writeLong(f.epoch());
            buf.writeLong(f.requestId());
            buf.writeShort(f.code().code());
            writeString(buf, clip(f.message()));
        } else if (frame instanceof Frame.Release f) {
            writeString(buf, f.clientId());
            buf.writeLong(f.epoch());
        } else if (frame instanceof Frame.Members f) {
            if (f.members().size() > Protocol.MAX_MEMBERS) {
                throw new IllegalArgumentException("MEMBERS of " + f.members().size() + " instances (expected: at most "
                        + Protocol.MAX_MEMBERS + ")");
            }
            buf.writeLong(f.version());
            buf.writeInt(f.members().size());
            for (Frame.Member m : f.members()) {
                writeString(buf, m.instanceId());
                writeString(buf, m.address());
                buf.writeByte(Frame.Member.stateCode(m.state()));
            }
        } else if (frame instanceof Frame.Export f) {
            writeString(buf, f.clientId());
            buf.writeLong(f.epoch());
        } else if (frame instanceof Frame.Drain f) {
            buf.writeByte(f.drain() ? 1 : 0);
        } else if (frame instanceof Frame.GatewayHello f) {
            buf.writeInt(Protocol.MAGIC);
            buf.writeShort(f.version());
            writeString(buf, f.gatewayId());
            writeString(buf, f.serviceAddress());
            writeString(buf, f.adminAddress());
            buf.writeByte(f.leader() ? 1 : 0);
        } else if (frame instanceof Frame.Gateways f) {
            if (f.gateways().size() > Protocol.MAX_MEMBERS) {
                throw new IllegalArgumentException("GATEWAYS of " + f.gateways().size() + " gateways (expected: at most "
                        + Protocol.MAX_MEMBERS + ")");
            }
            buf.writeInt(f.gateways().size());
            for (Frame.GatewayEntry g : f.gateways()) {
                writeString(buf, g.gatewayId());
                writeString(buf, g.serviceAddress());
                writeString(buf, g.adminAddress());
                buf.writeByte(g.leader() ? 1 : 0);
            }
        } else if (frame instanceof Frame.PinClaim f) {
            buf.writeLong(f.claimId());
            writeString(buf, f.clientId());
            writeString(buf, f.instanceId());
            buf.writeLong(f.epoch());
            buf.writeLong(f.expectedEpoch());
        } else if (frame instanceof Frame.PinClaimResult f) {
            buf.writeLong(f.claimId());
            buf.writeByte(f.accepted() ? 1 : 0);
            writeString(buf, f.clientId());
            writeString(buf, f.instanceId());
            buf.writeLong(f.epoch());
        } else if (frame instanceof Frame.PinDrop f) {
            writeString(buf, f.clientId());
            writeString(buf, f.instanceId());
            buf.writeLong(f.epoch());
        } else if (frame instanceof Frame.PinSync f) {
            if (f.pins().size() > Protocol.MAX_ANNOUNCE_ENTRIES) {
                throw new IllegalArgumentException("PIN_SYNC of " + f.pins().size() + " pins (expected: at most "
                        + Protocol.MAX_ANNOUNCE_ENTRIES + ")");
            }
            buf.writeByte(f.last() ? 1 : 0);
            buf.writeInt(f.pins().size());
            for (Frame.SyncedPin p : f.pins()) {
                writeString(buf, p.clientId());
                writeString(buf, p.instanceId());
                buf.writeLong(p.epoch());
            }
        } else if (frame instanceof Frame.PeerHello f) {
            buf.writeInt(Protocol.MAGIC);
            buf.writeShort(f.version());
            writeString(buf, f.instanceId());
        } else if (frame instanceof Frame.ReplicateAck f) {
            writeString(buf, f.clientId());
            buf.writeLong(f.epoch());
            buf.writeLong(f.version());
        } else if (frame instanceof Frame.ReplicaDrop f) {
            writeString(buf, f.clientId());
            buf.writeLong(f.epoch());
        } else {
            throw new IllegalArgumentException("unknown frame " + frame.getClass().getName());
        }
    }

    private static String clip(String message) {
        String m = message == null ? "" : message;
        if (m.length() <= MAX_MESSAGE_CHARS) {
            return m;
        }
        // Never cut a surrogate pair in two: its lone half would be sent as '?'.
        int end = Character.isHighSurrogate(m.charAt(MAX_MESSAGE_CHARS - 1)) ? MAX_MESSAGE_CHARS - 1 : MAX_MESSAGE_CHARS;
        return m.substring(0, end) + "...";
    }

    private static void writeString(ByteBuf buf, String s) {
        int lengthIndex = buf.writerIndex();
        buf.writeShort(0);
        int written = ByteBufUtil.writeUtf8(buf, s);
        if (written > 0xFFFF) {
            throw new IllegalArgumentException("string of " + written + " UTF-8 bytes (expected: at most 65535)");
        }
        buf.setShort(lengthIndex, written);
    }

    private static void writeMap(ByteBuf buf, Map<String, String> map) {
        if (map.size() > Protocol.MAX_MAP_ENTRIES) {
            throw new IllegalArgumentException("map of " + map.size() + " entries (expected: at most "
                    + Protocol.MAX_MAP_ENTRIES + ")");
        }
        buf.writeShort(map.size());
        for (Map.Entry<String, String> e : map.entrySet()) {
            writeString(buf, e.getKey());
            writeString(buf, e.getValue());
        }
    }

    // ------------------------------------------------------------------ decode

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf body, List<Object> out) {
        out.add(decode(body));
    }

    /**
     * Decodes one frame body (type byte onwards). Does not release {@code body}; a returned payload
     * frame holds a retained slice of it.
     *
     * @throws ProtocolException when the body is not a valid frame
     */
    public static Frame decode(ByteBuf body) {
        if (!body.isReadable()) {
            throw new ProtocolException(ErrorCode.PROTOCOL_ERROR, "empty frame: a frame has at least a type byte");
        }
        int typeByte = body.readUnsignedByte();
        FrameType type = FrameType.of(typeByte);
        if (type == null) {
            throw new ProtocolException(ErrorCode.PROTOCOL_ERROR,
                    String.format("unknown frame type 0x%02X", typeByte));
        }
        Reader r = new Reader(body, type);
        Frame frame = switch (type) {
            case HELLO -> {
                r.magicAndVersion();
                String clientId = r.id("clientId");
                yield new Frame.Hello(Protocol.VERSION, clientId, r.map("metadata"));
            }
            case WELCOME -> new Frame.Welcome(r.version(), r.string("gatewayId"), r.string("instanceId"),
                    r.int64("epoch"), (r.uint8("flags") & 1) != 0);
            case ERROR -> new Frame.Error(r.int64("requestId"), ErrorCode.of(r.uint16("code")), r.string("message"));
            case PING -> new Frame.Ping(r.int64("nonce"));
            case PONG -> new Frame.Pong(r.int64("nonce"));
            case REGISTER -> {
                r.magicAndVersion();
                String instanceId = r.id("instanceId");
                String address = r.string("address");
                int capacity = r.int32("capacity");
                if (capacity <= 0) {
                    throw new ProtocolException(ErrorCode.PROTOCOL_ERROR,
                            "capacity: " + capacity + " (expected: > 0)");
                }
                int weight = r.int32("weight");
                if (weight <= 0) {
                    throw new ProtocolException(ErrorCode.PROTOCOL_ERROR, "weight: " + weight + " (expected: > 0)");
                }
                yield new Frame.Register(Protocol.VERSION, instanceId, address, capacity, weight, r.map("labels"));
            }
            case REGISTERED -> new Frame.Registered(r.version(), r.string("gatewayId"), r.int32("heartbeatMillis"));
            case LOAD -> {
                long ts = r.int64("timestampMillis");
                int clients = r.nonNegative("clients");
                int inFlight = r.nonNegative("inFlight");
                double cpu = r.float64("cpu");
                long heapUsed = r.int64("heapUsed");
                long heapMax = r.int64("heapMax");
                double gauge = r.float64("gauge");
                int flags = r.uint8("flags");
                boolean unhealthy = (flags & 1) != 0;
                yield new Frame.Load(new LoadReport(ts, clients, inFlight, cpu, heapUsed, heapMax, gauge, !unhealthy),
                        (flags & 2) != 0);
            }
            case ANNOUNCE -> {
                int count = r.int32("count");
                if (count < 0 || count > Protocol.MAX_ANNOUNCE_ENTRIES) {
                    throw new ProtocolException(ErrorCode.PROTOCOL_ERROR, "ANNOUNCE count " + count
                            + " (expected: 0 to " + Protocol.MAX_ANNOUNCE_ENTRIES + ")");
                }
                List<Frame.HeldClient> clients = new ArrayList<>(Math.min(count, body.readableBytes() / 11));
                for (int i = 0; i < count; i++) {
                    clients.add(new Frame.HeldClient(r.id("clientId"), r.int64("epoch")));
                }
                yield new Frame.Announce(Collections.unmodifiableList(clients));
            }
            case ATTACH -> new Frame.Attach(r.id("clientId"), r.int64("epoch"), r.map("metadata"));
            case DETACH -> new Frame.Detach(r.id("clientId"), r.int64("epoch"),
                    Frame.DetachReason.of(r.uint8("reason")));
            case CLIENT_ERROR -> new Frame.ClientError(r.id("clientId"), r.int64("epoch"),
                    r.int64("requestId"), ErrorCode.of(r.uint16("code")), r.string("message"));
            case RELEASE -> new Frame.Release(r.id("clientId"), r.int64("epoch"));
            case MEMBERS -> {
                long version = r.int64("version");
                int count = r.int32("count");
                if (count < 0 || count > Protocol.MAX_MEMBERS) {
                    throw new ProtocolException(ErrorCode.PROTOCOL_ERROR, "MEMBERS count " + count
                            + " (expected: 0 to " + Protocol.MAX_MEMBERS + ")");
                }
                // An entry takes at least 6 bytes (a 1-byte id, an empty address, the state).
                List<Frame.Member> members = new ArrayList<>(Math.min(count, body.readableBytes() / 6));
                for (int i = 0; i < count; i++) {
                    String instanceId = r.id("instanceId");
                    String address = r.string("address");
                    members.add(new Frame.Member(instanceId, address, Frame.Member.stateOf(r.uint8("state"))));
                }
                yield new Frame.Members(version, Collections.unmodifiableList(members));
            }
            case EXPORT -> new Frame.Export(r.id("clientId"), r.int64("epoch"));
            case DRAIN -> new Frame.Drain((r.uint8("flags") & 1) != 0);
            case EXPORTED -> {
                String clientId = r.id("clientId");
                long epoch = r.int64("epoch");
                Frame.ExportStatus status = Frame.ExportStatus.of(r.uint8("status"));
                long version = r.int64("version");
                yield new Frame.Exported(clientId, epoch, status, version, r.rest());
            }
            case IMPORT -> {
                String clientId = r.id("clientId");
                long epoch = r.int64("epoch");
                long version = r.int64("version");
                yield new Frame.Import(clientId, epoch, version, r.rest());
            }
            case GATEWAY_HELLO -> {
                r.magicAndVersion();
                String gatewayId = r.id("gatewayId");
                String serviceAddress = r.string("serviceAddress");
                String adminAddress = r.string("adminAddress");
                yield new Frame.GatewayHello(Protocol.VERSION, gatewayId, serviceAddress, adminAddress,
                        (r.uint8("flags") & 1) != 0);
            }
            case GATEWAYS -> {
                int count = r.int32("count");
                if (count < 0 || count > Protocol.MAX_MEMBERS) {
                    throw new ProtocolException(ErrorCode.PROTOCOL_ERROR, "GATEWAYS count " + count
                            + " (expected: 0 to " + Protocol.MAX_MEMBERS + ")");
                }
                // An entry takes at least 7 bytes (a 1-byte id, two empty addresses, the flags).
                List<Frame.GatewayEntry> gateways = new ArrayList<>(Math.min(count, body.readableBytes() / 7));
                for (int i = 0; i < count; i++) {
                    String gatewayId = r.id("gatewayId");
                    String serviceAddress = r.string("serviceAddress");
                    String adminAddress = r.string("adminAddress");
                    gateways.add(new Frame.GatewayEntry(gatewayId, serviceAddress, adminAddress,
                            (r.uint8("flags") & 1) != 0));
                }
                yield new Frame.Gateways(Collections.unmodifiableList(gateways));
            }
            case PIN_CLAIM -> {
                long claimId = r.int64("claimId");
                String clientId = r.id("clientId");
                String instanceId = r.id("instanceId");
                long epoch = r.int64("epoch");
                yield new Frame.PinClaim(claimId, clientId, instanceId, epoch, r.int64("expectedEpoch"));
            }
            case PIN_CLAIM_RESULT -> {
                long claimId = r.int64("claimId");
                boolean accepted = (r.uint8("accepted") & 1) != 0;
                String clientId = r.id("clientId");
                String instanceId = r.string("instanceId");
                yield new Frame.PinClaimResult(claimId, accepted, clientId, instanceId, r.int64("epoch"));
            }
            case PIN_DROP -> {
                String clientId = r.id("clientId");
                String instanceId = r.id("instanceId");
                yield new Frame.PinDrop(clientId, instanceId, r.int64("epoch"));
            }
            case PIN_SYNC -> {
                boolean last = (r.uint8("flags") & 1) != 0;
                int count = r.int32("count");
                if (count < 0 || count > Protocol.MAX_ANNOUNCE_ENTRIES) {
                    throw new ProtocolException(ErrorCode.PROTOCOL_ERROR, "PIN_SYNC count " + count
                            + " (expected: 0 to " + Protocol.MAX_ANNOUNCE_ENTRIES + ")");
                }
                // An entry takes at least 14 bytes (two 1-byte ids, the epoch).
                List<Frame.SyncedPin> pins = new ArrayList<>(Math.min(count, body.readableBytes() / 14));
                for (int i = 0; i < count; i++) {
                    String clientId = r.id("clientId");
                    String instanceId = r.id("instanceId");
                    pins.add(new Frame.SyncedPin(clientId, instanceId, r.int64("epoch")));
                }
                yield new Frame.PinSync(last, Collections.unmodifiableList(pins));
            }
            case PEER_HELLO -> {
                r.magicAndVersion();
                yield new Frame.PeerHello(Protocol.VERSION, r.id("instanceId"));
            }
            case REPLICATE_ACK -> new Frame.ReplicateAck(r.id("clientId"), r.int64("epoch"), r.int64("version"));
            case REPLICA_DROP -> new Frame.ReplicaDrop(r.id("clientId"), r.int64("epoch"));
            case REPLICATE -> {
                String clientId = r.id("clientId");
                long epoch = r.int64("epoch");
                long version = r.int64("version");
                yield new Frame.Replicate(clientId, epoch, version, r.rest());
            }
            case REQUEST -> new Frame.Request(r.int64("requestId"), r.rest());
            case RESPONSE -> new Frame.Response(r.int64("requestId"), r.rest());
            case PUSH -> new Frame.Push(r.rest());
            case CLIENT_REQUEST -> {
                String clientId = r.id("clientId");
                long epoch = r.int64("epoch");
                yield new Frame.ClientRequest(clientId, epoch, r.int64("requestId"), r.rest());
            }
            case CLIENT_RESPONSE -> {
                String clientId = r.id("clientId");
                long epoch = r.int64("epoch");
                yield new Frame.ClientResponse(clientId, epoch, r.int64("requestId"), r.rest());
            }
            case CLIENT_PUSH -> {
                String clientId = r.id("clientId");
                yield new Frame.ClientPush(clientId, r.int64("epoch"), r.rest());
            }
        };
        if (body.isReadable()) {
            int extra = body.readableBytes();
            if (frame instanceof Frame.PayloadFrame pf) {
                pf.release();
            }
            throw new ProtocolException(ErrorCode.PROTOCOL_ERROR,
                    type + " frame has " + extra + " unexpected trailing bytes");
        }
        return frame;
    }

    /** Reads fields with bounds checks that name the field in their error. */
    private static final class Reader {
        private final ByteBuf buf;
        private final FrameType type;

        Reader(ByteBuf buf, FrameType type) {
            this.buf = buf;
            this.type = type;
        }

        private void need(int n, String field) {
            if (buf.readableBytes() < n) {
                throw new ProtocolException(ErrorCode.PROTOCOL_ERROR, "truncated " + type + " frame: " + field
                        + " needs " + n + " bytes, " + buf.readableBytes() + " remain");
            }
        }

        void magicAndVersion() {
            need(4, "magic");
            int magic = buf.readInt();
            if (magic != Protocol.MAGIC) {
                throw new ProtocolException(ErrorCode.PROTOCOL_ERROR,
                        String.format("bad magic 0x%08X in %s (expected: 0x%08X \"RPLD\")", magic, type, Protocol.MAGIC));
            }
            version();
        }

        int version() {
            int v = uint16("version");
            if (v != Protocol.VERSION) {
                throw new ProtocolException(ErrorCode.UNSUPPORTED_VERSION,
                        "protocol version " + v + " is not supported (supported: " + Protocol.VERSION + ")");
            }
            return v;
        }

        int uint8(String field) {
            need(1, field);
            return buf.readUnsignedByte();
        }

        int uint16(String field) {
            need(2, field);
            return buf.readUnsignedShort();
        }

        int int32(String field) {
            need(4, field);
            return buf.readInt();
        }

        int nonNegative(String field) {
            int v = int32(field);
            if (v < 0) {
                throw new ProtocolException(ErrorCode.PROTOCOL_ERROR, field + ": " + v + " (expected: >= 0)");
            }
            return v;
        }

        long int64(String field) {
            need(8, field);
            return buf.readLong();
        }

        double float64(String field) {
            need(8, field);
            return buf.readDouble();
        }

        String string(String field) {
            return string(field, ErrorCode.PROTOCOL_ERROR);
        }

        /** An {@code id}: one that is not valid UTF-8 or fails {@link Ids#check} is {@code INVALID_ID}. */
        String id(String field) {
            return Ids.check(field, string(field, ErrorCode.INVALID_ID));
        }

        private String string(String field, ErrorCode badUtf8) {
            int len = uint16(field + " length");
            need(len, field);
            int start = buf.readerIndex();
            buf.skipBytes(len);
            return utf8(buf, start, len, field, badUtf8);
        }

        Map<String, String> map(String field) {
            int count = uint16(field + " count");
            if (count > Protocol.MAX_MAP_ENTRIES) {
                throw new ProtocolException(ErrorCode.PROTOCOL_ERROR,
                        field + " has " + count + " entries (expected: at most " + Protocol.MAX_MAP_ENTRIES + ")");
            }
            if (count == 0) {
                return Map.of();
            }
            Map<String, String> map = new LinkedHashMap<>();
            for (int i = 0; i < count; i++) {
                String key = string(field + " key");
                if (map.put(key, string(field + " value")) != null) {
                    throw new ProtocolException(ErrorCode.PROTOCOL_ERROR, field + " has the key \"" + key + "\" twice");
                }
            }
            return Collections.unmodifiableMap(map);
        }

        ByteBuf rest() {
            return buf.readRetainedSlice(buf.readableBytes());
        }
    }

    private static String utf8(ByteBuf buf, int start, int len, String field, ErrorCode badUtf8) {
        boolean ascii = true;
        for (int i = 0; i < len; i++) {
            if (buf.getByte(start + i) < 0) {
                ascii = false;
                break;
            }
        }
        if (ascii) {
            return buf.toString(start, len, StandardCharsets.US_ASCII);
        }
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        try {
            ByteBuffer nio = buf.nioBuffer(start, len);
            CharBuffer chars = decoder.decode(nio);
            return chars.toString();
        } catch (CharacterCodingException e) {
            throw new ProtocolException(badUtf8, field + " is not valid UTF-8");
        }
    }
}
