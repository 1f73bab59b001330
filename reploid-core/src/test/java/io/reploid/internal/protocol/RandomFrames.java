package io.reploid.internal.protocol;

import io.netty.buffer.Unpooled;
import io.reploid.ErrorCode;
import io.reploid.InstanceState;
import io.reploid.LoadReport;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** Valid frames of every type with random field values, from a seeded {@link Random}. */
final class RandomFrames {
    /** Characters ids and strings are built from: ASCII, Latin, CJK, and a character outside the BMP. */
    private static final String[] ALPHABET = {"a", "Z", "0", "-", "_", ".", ":", " ", "é", "ß", "ж", "東", "€", "🚀", "\u00a0"};
    private static final double[] SPECIAL_DOUBLES = {0, -0.0, -1, 1, Double.NaN, Double.POSITIVE_INFINITY,
            Double.NEGATIVE_INFINITY, Double.MIN_VALUE, Double.MAX_VALUE};

    private final Random random;

    RandomFrames(long seed) {
        random = new Random(seed);
    }

    Random random() {
        return random;
    }

    /** A new frame of a random type; a payload frame belongs to the caller. */
    Frame next() {
        FrameType[] types = FrameType.values();
        return next(types[random.nextInt(types.length)]);
    }

    Frame next(FrameType type) {
        return switch (type) {
            case HELLO -> new Frame.Hello(Protocol.VERSION, id(), map());
            case WELCOME -> new Frame.Welcome(Protocol.VERSION, string(40), string(40), anyLong(), random.nextBoolean());
            case REQUEST -> new Frame.Request(anyLong(), payload());
            case RESPONSE -> new Frame.Response(anyLong(), payload());
            case PUSH -> new Frame.Push(payload());
            case ERROR -> new Frame.Error(anyLong(), errorCode(), string(300));
            case PING -> new Frame.Ping(anyLong());
            case PONG -> new Frame.Pong(anyLong());
            case REGISTER -> new Frame.Register(Protocol.VERSION, id(), string(60), 1 + random.nextInt(Integer.MAX_VALUE),
                    1 + random.nextInt(Integer.MAX_VALUE), map());
            case REGISTERED -> new Frame.Registered(Protocol.VERSION, string(40), random.nextInt());
            case LOAD -> new Frame.Load(new LoadReport(anyLong(), random.nextInt(Integer.MAX_VALUE),
                    random.nextInt(Integer.MAX_VALUE), anyDouble(), anyLong(), anyLong(), anyDouble(),
                    random.nextBoolean()));
            case ANNOUNCE -> {
                int n = random.nextInt(10) == 0 ? random.nextInt(Protocol.MAX_ANNOUNCE_ENTRIES + 1) : random.nextInt(5);
                List<Frame.HeldClient> clients = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    clients.add(new Frame.HeldClient(id(), anyLong()));
                }
                yield new Frame.Announce(clients);
            }
            case ATTACH -> new Frame.Attach(id(), anyLong(), map());
            case DETACH -> new Frame.Detach(id(), anyLong(),
                    Frame.DetachReason.values()[random.nextInt(Frame.DetachReason.values().length)]);
            case CLIENT_REQUEST -> new Frame.ClientRequest(id(), anyLong(), anyLong(), payload());
            case CLIENT_RESPONSE -> new Frame.ClientResponse(id(), anyLong(), anyLong(), payload());
            case CLIENT_PUSH -> new Frame.ClientPush(id(), anyLong(), payload());
            case CLIENT_ERROR -> new Frame.ClientError(id(), anyLong(), anyLong(), errorCode(), string(300));
            case RELEASE -> new Frame.Release(id(), anyLong());
            case MEMBERS -> {
                int n = random.nextInt(10) == 0 ? random.nextInt(Protocol.MAX_MEMBERS / 8) : random.nextInt(5);
                List<Frame.Member> members = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    members.add(new Frame.Member(id(), string(20),
                            InstanceState.values()[random.nextInt(InstanceState.values().length)]));
                }
                yield new Frame.Members(anyLong(), members);
            }
            case GATEWAY_HELLO -> new Frame.GatewayHello(Protocol.VERSION, id(), string(30), string(30),
                    random.nextBoolean());
            case GATEWAYS -> {
                int n = random.nextInt(10) == 0 ? random.nextInt(Protocol.MAX_MEMBERS / 8) : random.nextInt(5);
                List<Frame.GatewayEntry> gateways = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    gateways.add(new Frame.GatewayEntry(id(), string(20), string(20), random.nextBoolean()));
                }
                yield new Frame.Gateways(gateways);
            }
            case PIN_CLAIM -> new Frame.PinClaim(anyLong(), id(), id(), anyLong(), anyLong());
            case PIN_CLAIM_RESULT -> new Frame.PinClaimResult(anyLong(), random.nextBoolean(), id(),
                    random.nextInt(4) == 0 ? "" : string(40), anyLong());
            case PIN_DROP -> new Frame.PinDrop(id(), id(), anyLong());
            case PIN_SYNC -> {
                int n = random.nextInt(10) == 0 ? random.nextInt(Protocol.MAX_ANNOUNCE_ENTRIES + 1) : random.nextInt(5);
                List<Frame.SyncedPin> pins = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    pins.add(new Frame.SyncedPin(id(), id(), anyLong()));
                }
                yield new Frame.PinSync(random.nextBoolean(), pins);
            }
            case PEER_HELLO -> new Frame.PeerHello(Protocol.VERSION, id());
            case REPLICATE -> new Frame.Replicate(id(), anyLong(), anyLong(), payload());
            case REPLICATE_ACK -> new Frame.ReplicateAck(id(), anyLong(), anyLong());
            case REPLICA_DROP -> new Frame.ReplicaDrop(id(), anyLong());
        };
    }

    /** A valid id: 1 to 255 UTF-8 bytes, mostly short. */
    String id() {
        int maxBytes = random.nextInt(8) == 0 ? Protocol.MAX_ID_BYTES : 20;
        StringBuilder sb = new StringBuilder();
        int bytes = 0;
        int target = 1 + random.nextInt(maxBytes);
        while (true) {
            String c = ALPHABET[random.nextInt(ALPHABET.length)];
            int n = c.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
            if (bytes + n > target) {
                return sb.length() == 0 ? "x" : sb.toString();
            }
            sb.append(c);
            bytes += n;
        }
    }

    /** Any string of up to {@code maxChars} code points, control characters included. */
    String string(int maxChars) {
        int n = random.nextInt(maxChars + 1);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            if (random.nextInt(20) == 0) {
                sb.append((char) random.nextInt(0x20));
            } else {
                sb.append(ALPHABET[random.nextInt(ALPHABET.length)]);
            }
        }
        return sb.toString();
    }

    Map<String, String> map() {
        int n = random.nextInt(8) == 0 ? random.nextInt(Protocol.MAX_MAP_ENTRIES + 1) : random.nextInt(4);
        Map<String, String> m = new LinkedHashMap<>();
        while (m.size() < n) {
            m.put(string(12), string(30));
        }
        return m;
    }

    private io.netty.buffer.ByteBuf payload() {
        int size = switch (random.nextInt(4)) {
            case 0 -> 0;
            case 1 -> random.nextInt(64);
            case 2 -> 1000 + random.nextInt(50); // around the copy threshold
            default -> random.nextInt(20_000);
        };
        byte[] b = new byte[size];
        random.nextBytes(b);
        return Unpooled.wrappedBuffer(b);
    }

    private ErrorCode errorCode() {
        return ErrorCode.values()[random.nextInt(ErrorCode.values().length)];
    }

    private long anyLong() {
        return switch (random.nextInt(5)) {
            case 0 -> 0;
            case 1 -> random.nextBoolean() ? Long.MIN_VALUE : Long.MAX_VALUE;
            case 2 -> random.nextInt(1000);
            default -> random.nextLong();
        };
    }

    private double anyDouble() {
        return random.nextBoolean() ? SPECIAL_DOUBLES[random.nextInt(SPECIAL_DOUBLES.length)] : random.nextDouble();
    }
}
