package io.reploid.internal.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.reploid.ErrorCode;
import io.reploid.InstanceState;
import io.reploid.LoadReport;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * One representative frame of every type, with non-ASCII strings and non-empty maps. Every call returns
 * a new frame; payload frames belong to the caller.
 */
final class SampleFrames {
    static final String CLIENT = "zoë-42";
    static final Map<String, String> METADATA = map("region", "eu-west", "city", "Zürich");

    private SampleFrames() {
    }

    static Frame of(FrameType type) {
        return switch (type) {
            case HELLO -> new Frame.Hello(1, CLIENT, METADATA);
            case WELCOME -> new Frame.Welcome(1, "gw-1", "svc-ä", 7, true);
            case REQUEST -> new Frame.Request(11, utf8("ping ✓"));
            case RESPONSE -> new Frame.Response(11, utf8("pong ✓"));
            case PUSH -> new Frame.Push(utf8("tick"));
            case ERROR -> new Frame.Error(11, ErrorCode.OVERLOADED, "too many in flight: 1024 ≥ 1024");
            case PING -> new Frame.Ping(0x0102030405060708L);
            case PONG -> new Frame.Pong(-2);
            case REGISTER -> new Frame.Register(1, "svc-ä", "127.0.0.1:9000", 100, 3, map("zone", "b", "版本", "2"));
            case REGISTERED -> new Frame.Registered(1, "gw-1", 500);
            case LOAD -> new Frame.Load(new LoadReport(1_700_000_000_000L, 3, 1, 0.25, 1L << 28, -1, 12.5, false));
            case ANNOUNCE -> new Frame.Announce(List.of(new Frame.HeldClient(CLIENT, 7),
                    new Frame.HeldClient("b", Long.MAX_VALUE)));
            case ATTACH -> new Frame.Attach(CLIENT, 7, METADATA);
            case DETACH -> new Frame.Detach(CLIENT, 7, Frame.DetachReason.REVOKED);
            case CLIENT_REQUEST -> new Frame.ClientRequest(CLIENT, 7, 11, utf8("ping ✓"));
            case CLIENT_RESPONSE -> new Frame.ClientResponse(CLIENT, 7, 11, utf8("pong ✓"));
            case CLIENT_PUSH -> new Frame.ClientPush(CLIENT, 7, utf8("tick"));
            case CLIENT_ERROR -> new Frame.ClientError(CLIENT, 7, 11, ErrorCode.HANDLER_ERROR, "boom: ∅");
            case RELEASE -> new Frame.Release(CLIENT, 7);
            case MEMBERS -> new Frame.Members(3, List.of(new Frame.Member("svc-ä", "127.0.0.1:9000", InstanceState.HEALTHY),
                    new Frame.Member("svc-b", "", InstanceState.DRAINING)));
            case GATEWAY_HELLO -> new Frame.GatewayHello(1, "gw-ä", "10.0.0.1:7401", "10.0.0.1:8080", true);
            case GATEWAYS -> new Frame.Gateways(List.of(
                    new Frame.GatewayEntry("gw-ä", "10.0.0.1:7401", "10.0.0.1:8080", true),
                    new Frame.GatewayEntry("gw-2", "10.0.0.2:7401", "", false)));
            case PIN_CLAIM -> new Frame.PinClaim(21, CLIENT, "svc-ä", 8, 7);
            case PIN_CLAIM_RESULT -> new Frame.PinClaimResult(21, false, CLIENT, "svc-b", 9);
            case PIN_DROP -> new Frame.PinDrop(CLIENT, "svc-ä", 8);
            case PIN_SYNC -> new Frame.PinSync(true, List.of(new Frame.SyncedPin(CLIENT, "svc-ä", 8),
                    new Frame.SyncedPin("b", "svc-b", Long.MAX_VALUE)));
            case PEER_HELLO -> new Frame.PeerHello(1, "svc-ä");
            case REPLICATE -> new Frame.Replicate(CLIENT, 7, 12, utf8("state ✓"));
            case REPLICATE_ACK -> new Frame.ReplicateAck(CLIENT, 7, 12);
            case REPLICA_DROP -> new Frame.ReplicaDrop(CLIENT, 7);
        };
    }

    /** A frame of a payload-carrying type with the given payload (which it takes over). */
    static Frame withPayload(FrameType type, ByteBuf payload) {
        return switch (type) {
            case REQUEST -> new Frame.Request(11, payload);
            case RESPONSE -> new Frame.Response(11, payload);
            case PUSH -> new Frame.Push(payload);
            case CLIENT_REQUEST -> new Frame.ClientRequest(CLIENT, 7, 11, payload);
            case CLIENT_RESPONSE -> new Frame.ClientResponse(CLIENT, 7, 11, payload);
            case CLIENT_PUSH -> new Frame.ClientPush(CLIENT, 7, payload);
            case REPLICATE -> new Frame.Replicate(CLIENT, 7, 12, payload);
            default -> throw new IllegalArgumentException(type + " has no payload");
        };
    }

    /** A frame of an id-carrying type whose (first) id is {@code id}, valid or not. */
    static Frame withId(FrameType type, String id) {
        return switch (type) {
            case HELLO -> new Frame.Hello(1, id, Map.of());
            case REGISTER -> new Frame.Register(1, id, "127.0.0.1:9000", 1, 1, Map.of());
            case ANNOUNCE -> new Frame.Announce(List.of(new Frame.HeldClient("ok", 1), new Frame.HeldClient(id, 2)));
            case ATTACH -> new Frame.Attach(id, 7, Map.of());
            case DETACH -> new Frame.Detach(id, 7, Frame.DetachReason.DISCONNECTED);
            case CLIENT_REQUEST -> new Frame.ClientRequest(id, 7, 11, Unpooled.EMPTY_BUFFER);
            case CLIENT_RESPONSE -> new Frame.ClientResponse(id, 7, 11, Unpooled.EMPTY_BUFFER);
            case CLIENT_PUSH -> new Frame.ClientPush(id, 7, Unpooled.EMPTY_BUFFER);
            case CLIENT_ERROR -> new Frame.ClientError(id, 7, 11, ErrorCode.HANDLER_ERROR, "");
            case RELEASE -> new Frame.Release(id, 7);
            case MEMBERS -> new Frame.Members(1, List.of(new Frame.Member("ok", "", InstanceState.HEALTHY),
                    new Frame.Member(id, "127.0.0.1:9000", InstanceState.JOINING)));
            case GATEWAY_HELLO -> new Frame.GatewayHello(1, id, "10.0.0.1:7401", "", false);
            case GATEWAYS -> new Frame.Gateways(List.of(new Frame.GatewayEntry("ok", "10.0.0.1:7401", "", true),
                    new Frame.GatewayEntry(id, "10.0.0.2:7401", "", false)));
            case PIN_CLAIM -> new Frame.PinClaim(21, id, "svc", 8, 7);
            case PIN_CLAIM_RESULT -> new Frame.PinClaimResult(21, true, id, "svc", 8);
            case PIN_DROP -> new Frame.PinDrop(id, "svc", 8);
            case PIN_SYNC -> new Frame.PinSync(false, List.of(new Frame.SyncedPin("ok", "svc", 1),
                    new Frame.SyncedPin(id, "svc", 2)));
            case PEER_HELLO -> new Frame.PeerHello(1, id);
            case REPLICATE -> new Frame.Replicate(id, 7, 12, Unpooled.EMPTY_BUFFER);
            case REPLICATE_ACK -> new Frame.ReplicateAck(id, 7, 12);
            case REPLICA_DROP -> new Frame.ReplicaDrop(id, 7);
            default -> throw new IllegalArgumentException(type + " has no id");
        };
    }

    /** A frame of a type with a second id ({@code instanceId} after {@code clientId}) whose second id is {@code id}. */
    static Frame withSecondId(FrameType type, String id) {
        return switch (type) {
            case PIN_CLAIM -> new Frame.PinClaim(21, "c", id, 8, 0);
            case PIN_DROP -> new Frame.PinDrop("c", id, 8);
            case PIN_SYNC -> new Frame.PinSync(true, List.of(new Frame.SyncedPin("c", "svc", 1),
                    new Frame.SyncedPin("d", id, 2)));
            default -> throw new IllegalArgumentException(type + " has no second id");
        };
    }

    /**
     * One {@code id} field of a frame type, with a frame that has that field set to a given id, valid or not.
     * {@link #toString} is the type and the field name, for test names.
     */
    record IdField(FrameType type, String field, Function<String, Frame> withId) {
        @Override
        public String toString() {
            return type + " " + field;
        }
    }

    /** Every {@code id} field of every type (an id inside repeated entries once). */
    static final List<IdField> ID_FIELDS = List.of(
            first(FrameType.HELLO, "clientId"),
            first(FrameType.REGISTER, "instanceId"),
            first(FrameType.ANNOUNCE, "clientId"),
            first(FrameType.ATTACH, "clientId"),
            first(FrameType.DETACH, "clientId"),
            first(FrameType.CLIENT_REQUEST, "clientId"),
            first(FrameType.CLIENT_RESPONSE, "clientId"),
            first(FrameType.CLIENT_PUSH, "clientId"),
            first(FrameType.CLIENT_ERROR, "clientId"),
            first(FrameType.RELEASE, "clientId"),
            first(FrameType.MEMBERS, "instanceId"),
            first(FrameType.GATEWAY_HELLO, "gatewayId"),
            first(FrameType.GATEWAYS, "gatewayId"),
            first(FrameType.PIN_CLAIM, "clientId"),
            second(FrameType.PIN_CLAIM, "instanceId"),
            first(FrameType.PIN_CLAIM_RESULT, "clientId"),
            first(FrameType.PIN_DROP, "clientId"),
            second(FrameType.PIN_DROP, "instanceId"),
            first(FrameType.PIN_SYNC, "clientId"),
            second(FrameType.PIN_SYNC, "instanceId"),
            first(FrameType.PEER_HELLO, "instanceId"),
            first(FrameType.REPLICATE, "clientId"),
            first(FrameType.REPLICATE_ACK, "clientId"),
            first(FrameType.REPLICA_DROP, "clientId"));

    private static IdField first(FrameType type, String field) {
        return new IdField(type, field, id -> withId(type, id));
    }

    private static IdField second(FrameType type, String field) {
        return new IdField(type, field, id -> withSecondId(type, id));
    }

    /** Types that end with an opaque payload. */
    static final List<FrameType> WITH_PAYLOAD = List.of(FrameType.REQUEST, FrameType.RESPONSE, FrameType.PUSH,
            FrameType.CLIENT_REQUEST, FrameType.CLIENT_RESPONSE, FrameType.CLIENT_PUSH, FrameType.REPLICATE);

    static ByteBuf utf8(String s) {
        return Unpooled.copiedBuffer(s, StandardCharsets.UTF_8);
    }

    static Map<String, String> map(String... keysAndValues) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            m.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return m;
    }
}
