package io.reploid.internal.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The value checks of the gateway-to-gateway frames, beyond the layout checks every frame type gets. */
class GatewayFramesTest {

    @Test
    void gatewaysAndPinSyncMayBeEmpty() {
        FrameCodecRoundTripTest.assertRoundTrip(new Frame.Gateways(List.of()));
        FrameCodecRoundTripTest.assertRoundTrip(new Frame.PinSync(true, List.of()));
        FrameCodecRoundTripTest.assertRoundTrip(new Frame.PinSync(false, List.of()));
    }

    @Test
    void theLargestGatewaysAndPinSyncFramesRoundTrip() {
        List<Frame.GatewayEntry> gateways = new ArrayList<>();
        for (int i = 0; i < Protocol.MAX_MEMBERS; i++) {
            gateways.add(new Frame.GatewayEntry("gw-" + i, "10.0.0." + (i % 250) + ":7401",
                    i % 3 == 0 ? "" : "10.0.0." + (i % 250) + ":8080", i == 17));
        }
        FrameCodecRoundTripTest.assertRoundTrip(new Frame.Gateways(gateways));
        List<Frame.SyncedPin> pins = new ArrayList<>();
        for (int i = 0; i < Protocol.MAX_ANNOUNCE_ENTRIES; i++) {
            pins.add(new Frame.SyncedPin("client-" + i, "svc-" + (i % 7), i * 31L - 1000));
        }
        FrameCodecRoundTripTest.assertRoundTrip(new Frame.PinSync(false, pins));
        FrameCodecRoundTripTest.assertRoundTrip(new Frame.PinSync(true, pins));
    }

    @Test
    void gatewayEntriesKeepTheirOrderAndEachItsOwnLeaderFlag() {
        List<Frame.GatewayEntry> gateways = List.of(new Frame.GatewayEntry("gw-3", "c:1", "", false),
                new Frame.GatewayEntry("gw-1", "a:1", "a:2", true), new Frame.GatewayEntry("gw-2", "b:1", "", false));
        try (CodecChannel ch = new CodecChannel()) {
            Frame.Gateways decoded = (Frame.Gateways) ch.roundTrip(new Frame.Gateways(gateways));
            assertThat(decoded.gateways()).containsExactlyElementsOf(gateways);
        }
    }

    @Test
    void aPinClaimResultWithoutAPinHasAnEmptyInstanceIdAndEpochZero() {
        FrameCodecRoundTripTest.assertRoundTrip(new Frame.PinClaimResult(5, false, "c", "", 0));
        FrameCodecRoundTripTest.assertRoundTrip(new Frame.PinClaimResult(5, true, "c", "", 0));
        try (CodecChannel ch = new CodecChannel()) {
            // instanceId is a str, not an id: the empty string is its "no pin" value, not an invalid id.
            assertThat(ch.decode(WireBytes.body(FrameType.PIN_CLAIM_RESULT).i64(5).u8(0).str("c").str("").i64(0).frame()))
                    .isEqualTo(new Frame.PinClaimResult(5, false, "c", "", 0));
        }
    }

    @Test
    void aPinClaimThatKnowsNoPinHasExpectedEpochZero() {
        try (CodecChannel ch = new CodecChannel()) {
            assertThat(ch.decode(WireBytes.body(FrameType.PIN_CLAIM).i64(3).str("c").str("svc").i64(1).i64(0).frame()))
                    .isEqualTo(new Frame.PinClaim(3, "c", "svc", 1, 0));
        }
    }
}
