package io.reploid.internal.protocol;

import static io.reploid.internal.protocol.FrameCodecMalformedTest.assertRejected;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.Unpooled;
import io.reploid.ErrorCode;
import io.reploid.InstanceState;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The value checks of MEMBERS and the peer frames, beyond the layout checks every frame type gets. */
class MembersAndPeerFramesTest {

    @Test
    void memberStatesHaveFixedWireValues() {
        InstanceState[] inOrder = {InstanceState.JOINING, InstanceState.HEALTHY, InstanceState.FULL,
            InstanceState.SUSPECT, InstanceState.DEAD, InstanceState.DRAINING};
        for (int code = 0; code < inOrder.length; code++) {
            assertThat(Frame.Member.stateOf(code)).isEqualTo(inOrder[code]);
            assertThat(Frame.Member.stateCode(inOrder[code])).isEqualTo(code);
        }
    }

    @Test
    void anUnknownMemberStateIsRejected() {
        assertRejected(WireBytes.body(FrameType.MEMBERS).i64(1).i32(1).str("svc-a").str("").u8(6).frame(),
                ErrorCode.PROTOCOL_ERROR, "unknown instance state 6 (expected: 0 to 5)");
    }

    @Test
    void aMembersCountOutOfRangeIsRejectedBeforeAnyEntryIsRead() {
        assertRejected(WireBytes.body(FrameType.MEMBERS).i64(1).i32(-1).frame(),
                ErrorCode.PROTOCOL_ERROR, "MEMBERS count -1 (expected: 0 to 4096)");
        assertRejected(WireBytes.body(FrameType.MEMBERS).i64(1).i32(4097).frame(),
                ErrorCode.PROTOCOL_ERROR, "MEMBERS count 4097 (expected: 0 to 4096)");
        assertRejected(WireBytes.body(FrameType.MEMBERS).i64(1).i32(Integer.MAX_VALUE).frame(),
                ErrorCode.PROTOCOL_ERROR, "MEMBERS count 2147483647 (expected: 0 to 4096)");
        assertRejected(WireBytes.body(FrameType.MEMBERS).i64(1).i32(2).str("a").str("").u8(1).frame(),
                ErrorCode.PROTOCOL_ERROR, "truncated MEMBERS frame: instanceId length needs 2 bytes, 0 remain");
    }

    @Test
    void theLargestMembersFrameRoundTripsAndALargerOneIsNotEncoded() {
        List<Frame.Member> members = new ArrayList<>();
        for (int i = 0; i < Protocol.MAX_MEMBERS; i++) {
            members.add(new Frame.Member("svc-" + i, "10.0.0." + (i % 250) + ":7500", InstanceState.HEALTHY));
        }
        FrameCodecRoundTripTest.assertRoundTrip(new Frame.Members(Long.MAX_VALUE, members));
        members.add(new Frame.Member("one-more", "", InstanceState.JOINING));
        try (CodecChannel ch = new CodecChannel()) {
            assertThatThrownBy(() -> ch.encode(new Frame.Members(1, members)))
                    .hasRootCauseMessage("MEMBERS of 4097 instances (expected: at most 4096)");
        }
    }

    @Test
    void aPeerHelloChecksMagicAndVersion() {
        assertRejected(WireBytes.body(FrameType.PEER_HELLO).i32(0x47455420).u16(1).str("svc").frame(),
                ErrorCode.PROTOCOL_ERROR, "bad magic 0x47455420 in PEER_HELLO (expected: 0x52504C44 \"RPLD\")");
        assertRejected(WireBytes.body(FrameType.PEER_HELLO).magicAndVersion(2).str("svc").frame(),
                ErrorCode.UNSUPPORTED_VERSION, "protocol version 2 is not supported (supported: 1)");
    }

    @Test
    void aReplicateRecordMayBeEmptyOrLarge() {
        FrameCodecRoundTripTest.assertRoundTrip(new Frame.Replicate("c", 1, 1, Unpooled.EMPTY_BUFFER));
        FrameCodecRoundTripTest.assertRoundTrip(new Frame.Replicate("c", Long.MAX_VALUE, 9,
                Unpooled.wrappedBuffer(new byte[100_000])));
        FrameCodecRoundTripTest.assertRoundTrip(new Frame.ReplicateAck("c", -1, 0));
        FrameCodecRoundTripTest.assertRoundTrip(new Frame.ReplicaDrop("c", 0));
    }
}
