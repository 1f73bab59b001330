package io.reploid.internal.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.DefaultByteBufHolder;
import io.reploid.ErrorCode;
import io.reploid.InstanceState;
import io.reploid.LoadReport;
import java.util.List;
import java.util.Map;

/**
 * One protocol frame, decoded. The layout of each type on the wire is in {@code docs/protocol.md}.
 *
 * <p>Control frames are immutable records. Frames that carry an opaque payload extend
 * {@link PayloadFrame}: they are reference counted, and whoever receives one (a handler reading it from
 * the pipeline, or the encoder when it is written) releases it exactly once.
 */
public interface Frame {

    FrameType type();

    /** Client to gateway: the handshake. */
    record Hello(int version, String clientId, Map<String, String> metadata) implements Frame {
        public FrameType type() {
            return FrameType.HELLO;
        }
    }

    /** Gateway to client: handshake accepted; the client is pinned to {@code instanceId}. */
    record Welcome(int version, String gatewayId, String instanceId, long epoch, boolean newPin) implements Frame {
        public FrameType type() {
            return FrameType.WELCOME;
        }
    }

    /** Either direction: something failed. {@code requestId} 0 means the connection as a whole. */
    record Error(long requestId, ErrorCode code, String message) implements Frame {
        public FrameType type() {
            return FrameType.ERROR;
        }
    }

    /** Either direction: liveness probe, answered by a {@link Pong} with the same nonce. */
    record Ping(long nonce) implements Frame {
        public FrameType type() {
            return FrameType.PING;
        }
    }

    /** Either direction: answer to a {@link Ping}. */
    record Pong(long nonce) implements Frame {
        public FrameType type() {
            return FrameType.PONG;
        }
    }

    /** Service to gateway: the handshake of an instance. */
    record Register(int version, String instanceId, String address, int capacity, int weight,
            Map<String, String> labels) implements Frame {
        public FrameType type() {
            return FrameType.REGISTER;
        }
    }

    /** Gateway to service: registration accepted. */
    record Registered(int version, String gatewayId, int heartbeatMillis) implements Frame {
        public FrameType type() {
            return FrameType.REGISTERED;
        }
    }

    /** Service to gateway: heartbeat with the instance's load. */
    record Load(LoadReport report, boolean draining) implements Frame {
        /** A report of an instance that is not draining. */
        public Load(LoadReport report) {
            this(report, false);
        }

        public FrameType type() {
            return FrameType.LOAD;
        }
    }

    /**
     * Gateway to service: hand over a client's record for a live migration. The instance stops taking the
     * client's requests of {@code epoch} (or older) and answers {@link Exported}.
     */
    record Export(String clientId, long epoch) implements Frame {
        public FrameType type() {
            return FrameType.EXPORT;
        }
    }

    /**
     * Gateway to service: start or stop draining. A draining instance reports it in its LOAD to every
     * gateway, which then move its clients elsewhere.
     */
    record Drain(boolean drain) implements Frame {
        public FrameType type() {
            return FrameType.DRAIN;
        }
    }

    /** One client an instance holds, with the epoch of its pin. */
    record HeldClient(String clientId, long epoch) {
    }

    /** Service to gateway: clients whose state the instance holds (sent after REGISTER). */
    record Announce(List<HeldClient> clients) implements Frame {
        public FrameType type() {
            return FrameType.ANNOUNCE;
        }
    }

    /** Gateway to service: a client is pinned to this instance with {@code epoch} and has connected. */
    record Attach(String clientId, long epoch, Map<String, String> metadata) implements Frame {
        public FrameType type() {
            return FrameType.ATTACH;
        }
    }

    /** Why a gateway detaches a client from an instance. */
    enum DetachReason {
        /** The client's connection closed; the instance keeps its state for a later visit. */
        DISCONNECTED(0),
        /** The pin moved elsewhere; the instance must drop the client's state. */
        REVOKED(1);

        private final int code;

        DetachReason(int code) {
            this.code = code;
        }

        public int code() {
            return code;
        }

        public static DetachReason of(int code) {
            for (DetachReason r : values()) {
                if (r.code == code) {
                    return r;
                }
            }
            throw new ProtocolException(ErrorCode.PROTOCOL_ERROR, "unknown detach reason " + code);
        }
    }

    /** Gateway to service: the client went away or its pin moved. */
    record Detach(String clientId, long epoch, DetachReason reason) implements Frame {
        public FrameType type() {
            return FrameType.DETACH;
        }
    }

    /** Service to gateway: the service failed a client's request. */
    record ClientError(String clientId, long epoch, long requestId, ErrorCode code, String message) implements Frame {
        public FrameType type() {
            return FrameType.CLIENT_ERROR;
        }
    }

    /** Service to gateway: the instance dropped the client's state; the pin may go. */
    record Release(String clientId, long epoch) implements Frame {
        public FrameType type() {
            return FrameType.RELEASE;
        }
    }

    /**
     * One instance as a gateway sees it, in {@link Members}.
     *
     * @param address the address the instance registered with (its peer port for replication), maybe empty
     */
    record Member(String instanceId, String address, InstanceState state) {
        private static final InstanceState[] BY_CODE = {InstanceState.JOINING, InstanceState.HEALTHY,
            InstanceState.FULL, InstanceState.SUSPECT, InstanceState.DEAD, InstanceState.DRAINING};

        /** The wire value of a state: 0 joining, 1 healthy, 2 full, 3 suspect, 4 dead, 5 draining. */
        public static int stateCode(InstanceState state) {
            for (int i = 0; i < BY_CODE.length; i++) {
                if (BY_CODE[i] == state) {
                    return i;
                }
            }
            throw new IllegalArgumentException("no wire value for " + state);
        }

        /** The state of a wire value. */
        public static InstanceState stateOf(int code) {
            if (code < 0 || code >= BY_CODE.length) {
                throw new ProtocolException(ErrorCode.PROTOCOL_ERROR, "unknown instance state " + code
                        + " (expected: 0 to " + (BY_CODE.length - 1) + ")");
            }
            return BY_CODE[code];
        }
    }

    /** Gateway to service: every instance the gateway knows, sent on registration and on every change. */
    record Members(long version, List<Member> members) implements Frame {
        public FrameType type() {
            return FrameType.MEMBERS;
        }
    }

    /**
     * Gateway to gateway (on the service port): the handshake of a gateway link, sent by both ends.
     *
     * @param serviceAddress the {@code host:port} where the sender's service port can be reached
     * @param adminAddress the {@code host:port} of the sender's admin API, maybe empty
     * @param leader whether the sender holds the cluster's leadership now
     */
    record GatewayHello(int version, String gatewayId, String serviceAddress, String adminAddress, boolean leader)
            implements Frame {
        public FrameType type() {
            return FrameType.GATEWAY_HELLO;
        }
    }

    /** One gateway in {@link Gateways}. */
    record GatewayEntry(String gatewayId, String serviceAddress, String adminAddress, boolean leader) {
    }

    /**
     * Gateway to service or gateway: every gateway the sender knows (itself first) and which is leader;
     * sent after the handshake and whenever the list changes. Receivers connect to the ones they lack.
     */
    record Gateways(List<GatewayEntry> gateways) implements Frame {
        public FrameType type() {
            return FrameType.GATEWAYS;
        }
    }

    /**
     * Gateway to gateway: the sender proposes to pin {@code clientId} to {@code instanceId} with
     * {@code epoch}, replacing the pin of {@code expectedEpoch} (0: the sender knows no pin). Answered by
     * a {@link PinClaimResult} with the same {@code claimId}.
     */
    record PinClaim(long claimId, String clientId, String instanceId, long epoch, long expectedEpoch) implements Frame {
        public FrameType type() {
            return FrameType.PIN_CLAIM;
        }
    }

    /**
     * Gateway to gateway: the answer to a {@link PinClaim}. {@code instanceId} and {@code epoch} are the
     * pin the receiver holds after the claim (empty and 0: none).
     */
    record PinClaimResult(long claimId, boolean accepted, String clientId, String instanceId, long epoch)
            implements Frame {
        public FrameType type() {
            return FrameType.PIN_CLAIM_RESULT;
        }
    }

    /** Gateway to gateway: forget the client's pin if it still has this instance and epoch. */
    record PinDrop(String clientId, String instanceId, long epoch) implements Frame {
        public FrameType type() {
            return FrameType.PIN_DROP;
        }
    }

    /** One pin in a {@link PinSync}. */
    record SyncedPin(String clientId, String instanceId, long epoch) {
    }

    /**
     * Gateway to gateway: part of the sender's pin table, sent after the handshake; {@code last} marks the
     * final part of the snapshot.
     */
    record PinSync(boolean last, List<SyncedPin> pins) implements Frame {
        public FrameType type() {
            return FrameType.PIN_SYNC;
        }
    }

    /** Peer to peer: the handshake of a replication connection, sent by both ends. */
    record PeerHello(int version, String instanceId) implements Frame {
        public FrameType type() {
            return FrameType.PEER_HELLO;
        }
    }

    /**
     * Peer to peer: the replica holder keeps (or already kept, or refused for a newer one) a client's
     * record; {@code epoch} and {@code version} are those of the record it holds now.
     */
    record ReplicateAck(String clientId, long epoch, long version) implements Frame {
        public FrameType type() {
            return FrameType.REPLICATE_ACK;
        }
    }

    /** Peer to peer: forget the replica of a client if its epoch is not newer than {@code epoch}. */
    record ReplicaDrop(String clientId, long epoch) implements Frame {
        public FrameType type() {
            return FrameType.REPLICA_DROP;
        }
    }

    /** A frame with an opaque payload. Reference counted: the receiver releases it. */
    abstract class PayloadFrame extends DefaultByteBufHolder implements Frame {
        PayloadFrame(ByteBuf payload) {
            super(payload);
        }

        /** The payload; valid until this frame is released. */
        public ByteBuf payload() {
            return content();
        }
    }

    /** Client to gateway: a request. */
    final class Request extends PayloadFrame {
        private final long requestId;

        public Request(long requestId, ByteBuf payload) {
            super(payload);
            this.requestId = requestId;
        }

        public long requestId() {
            return requestId;
        }

        public FrameType type() {
            return FrameType.REQUEST;
        }

        @Override
        public Request replace(ByteBuf content) {
            return new Request(requestId, content);
        }
    }

    /** Gateway to client: the response to a request. */
    final class Response extends PayloadFrame {
        private final long requestId;

        public Response(long requestId, ByteBuf payload) {
            super(payload);
            this.requestId = requestId;
        }

        public long requestId() {
            return requestId;
        }

        public FrameType type() {
            return FrameType.RESPONSE;
        }

        @Override
        public Response replace(ByteBuf content) {
            return new Response(requestId, content);
        }
    }

    /** Gateway to client: a message the instance pushed without a request. */
    final class Push extends PayloadFrame {
        public Push(ByteBuf payload) {
            super(payload);
        }

        public FrameType type() {
            return FrameType.PUSH;
        }

        @Override
        public Push replace(ByteBuf content) {
            return new Push(content);
        }
    }

    /** Gateway to service: a client's request. */
    final class ClientRequest extends PayloadFrame {
        private final String clientId;
        private final long epoch;
        private final long requestId;

        public ClientRequest(String clientId, long epoch, long requestId, ByteBuf payload) {
            super(payload);
            this.clientId = clientId;
            this.epoch = epoch;
            this.requestId = requestId;
        }

        public String clientId() {
            return clientId;
        }

        public long epoch() {
            return epoch;
        }

        public long requestId() {
            return requestId;
        }

        public FrameType type() {
            return FrameType.CLIENT_REQUEST;
        }

        @Override
        public ClientRequest replace(ByteBuf content) {
            return new ClientRequest(clientId, epoch, requestId, content);
        }
    }

    /** Service to gateway: the response to a client's request. */
    final class ClientResponse extends PayloadFrame {
        private final String clientId;
        private final long epoch;
        private final long requestId;

        public ClientResponse(String clientId, long epoch, long requestId, ByteBuf payload) {
            super(payload);
            this.clientId = clientId;
            this.epoch = epoch;
            this.requestId = requestId;
        }

        public String clientId() {
            return clientId;
        }

        public long epoch() {
            return epoch;
        }

        public long requestId() {
            return requestId;
        }

        public FrameType type() {
            return FrameType.CLIENT_RESPONSE;
        }

        @Override
        public ClientResponse replace(ByteBuf content) {
            return new ClientResponse(clientId, epoch, requestId, content);
        }
    }

    /** Service to gateway: a push for one client. */
    final class ClientPush extends PayloadFrame {
        private final String clientId;
        private final long epoch;

        public ClientPush(String clientId, long epoch, ByteBuf payload) {
            super(payload);
            this.clientId = clientId;
            this.epoch = epoch;
        }

        public String clientId() {
            return clientId;
        }

        public long epoch() {
            return epoch;
        }

        public FrameType type() {
            return FrameType.CLIENT_PUSH;
        }

        @Override
        public ClientPush replace(ByteBuf content) {
            return new ClientPush(clientId, epoch, content);
        }
    }

    /** Peer to peer: a copy of a client's record ({@code data}) for the replica holder to keep. */
    final class Replicate extends PayloadFrame {
        private final String clientId;
        private final long epoch;
        private final long version;

        public Replicate(String clientId, long epoch, long version, ByteBuf data) {
            super(data);
            this.clientId = clientId;
            this.epoch = epoch;
            this.version = version;
        }

        public String clientId() {
            return clientId;
        }

        public long epoch() {
            return epoch;
        }

        public long version() {
            return version;
        }

        public FrameType type() {
            return FrameType.REPLICATE;
        }

        @Override
        public Replicate replace(ByteBuf content) {
            return new Replicate(clientId, epoch, version, content);
        }
    }

    /** What an {@link Exported} says about the client. */
    enum ExportStatus {
        /** {@code data} is the client's record (empty when the instance held no state for it). */
        OK(0),
        /** The instance does not hold the client, or holds it under a newer epoch. */
        NOT_HELD(1),
        /** The client's state cannot be handed over (the handler has no state codec). */
        NOT_EXPORTABLE(2);

        private final int code;

        ExportStatus(int code) {
            this.code = code;
        }

        public int code() {
            return code;
        }

        public static ExportStatus of(int code) {
            for (ExportStatus s : values()) {
                if (s.code == code) {
                    return s;
                }
            }
            throw new ProtocolException(ErrorCode.PROTOCOL_ERROR, "unknown export status " + code
                    + " (expected: 0 to 2)");
        }
    }

    /**
     * Service to gateway: the answer to {@link Export}: the client's record ({@code data}, laid out as the
     * runtime's client record) and its version. Reference counted.
     */
    final class Exported extends PayloadFrame {
        private final String clientId;
        private final long epoch;
        private final ExportStatus status;
        private final long version;

        public Exported(String clientId, long epoch, ExportStatus status, long version, ByteBuf data) {
            super(data);
            this.clientId = clientId;
            this.epoch = epoch;
            this.status = status;
            this.version = version;
        }

        public String clientId() {
            return clientId;
        }

        public long epoch() {
            return epoch;
        }

        public ExportStatus status() {
            return status;
        }

        public long version() {
            return version;
        }

        public FrameType type() {
            return FrameType.EXPORTED;
        }

        @Override
        public Exported replace(ByteBuf content) {
            return new Exported(clientId, epoch, status, version, content);
        }
    }

    /**
     * Gateway to service: a client's record handed over by another instance, to restore the client from
     * under the new pin's {@code epoch}; sent before the client's ATTACH and requests. Reference counted.
     */
    final class Import extends PayloadFrame {
        private final String clientId;
        private final long epoch;
        private final long version;

        public Import(String clientId, long epoch, long version, ByteBuf data) {
            super(data);
            this.clientId = clientId;
            this.epoch = epoch;
            this.version = version;
        }

        public String clientId() {
            return clientId;
        }

        public long epoch() {
            return epoch;
        }

        public long version() {
            return version;
        }

        public FrameType type() {
            return FrameType.IMPORT;
        }

        @Override
        public Import replace(ByteBuf content) {
            return new Import(clientId, epoch, version, content);
        }
    }
}
