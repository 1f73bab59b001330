package io.reploid.internal.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import io.reploid.internal.protocol.FrameType.Side;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class FrameTypeTest {

    @ParameterizedTest
    @EnumSource(FrameType.class)
    void everyTypeIsFoundByItsCode(FrameType type) {
        assertThat(FrameType.of(type.code())).isSameAs(type);
        assertThat(FrameType.of(type.code() | 0x100)).as("only the low byte counts").isSameAs(type);
    }

    @Test
    void codesAreUniqueAndOtherBytesNameNoType() {
        assertThat(Arrays.stream(FrameType.values()).mapToInt(FrameType::code).distinct().count())
                .isEqualTo(FrameType.values().length);
        long named = java.util.stream.IntStream.range(0, 256).filter(b -> FrameType.of(b) != null).count();
        assertThat(named).isEqualTo(34);
        assertThat(FrameType.of(0)).isNull();
        assertThat(FrameType.of(0x09)).isNull();
        assertThat(FrameType.of(0x0F)).isNull();
        assertThat(FrameType.of(0x26)).isNull();
        assertThat(FrameType.of(0x2F)).isNull();
        assertThat(FrameType.of(0x34)).isNull();
        assertThat(FrameType.of(0xFF)).isNull();
    }

    @Test
    void theServiceCodesRunWithoutAGapFrom0x10To0x25() {
        // 0x1C to 0x1F, once unused, are the live migration frames.
        assertThat(FrameType.of(0x1B)).isSameAs(FrameType.MEMBERS);
        assertThat(FrameType.of(0x1C)).isSameAs(FrameType.EXPORT);
        assertThat(FrameType.of(0x1D)).isSameAs(FrameType.EXPORTED);
        assertThat(FrameType.of(0x1E)).isSameAs(FrameType.IMPORT);
        assertThat(FrameType.of(0x1F)).isSameAs(FrameType.DRAIN);
        assertThat(FrameType.of(0x20)).isSameAs(FrameType.GATEWAY_HELLO);
        for (int b = 0x10; b <= 0x25; b++) {
            assertThat(FrameType.of(b)).as("0x%02X", b).isNotNull();
        }
    }

    @Test
    void clientFramesBelongOnTheClientPortAndServiceFramesOnTheServicePort() {
        assertThat(FrameType.REQUEST.allowedOn(Side.CLIENT)).isTrue();
        assertThat(FrameType.REQUEST.allowedOn(Side.SERVICE)).isFalse();
        assertThat(FrameType.REGISTER.allowedOn(Side.SERVICE)).isTrue();
        assertThat(FrameType.REGISTER.allowedOn(Side.CLIENT)).isFalse();
        assertThat(FrameType.REPLICATE.allowedOn(Side.PEER)).isTrue();
        assertThat(FrameType.REPLICATE.allowedOn(Side.SERVICE)).isFalse();
        assertThat(FrameType.MEMBERS.allowedOn(Side.PEER)).isFalse();
        for (FrameType gatewayLink : new FrameType[] {FrameType.GATEWAY_HELLO, FrameType.GATEWAYS,
            FrameType.PIN_CLAIM, FrameType.PIN_CLAIM_RESULT, FrameType.PIN_DROP, FrameType.PIN_SYNC}) {
            // Gateways talk to each other on the service port.
            assertThat(gatewayLink.allowedOn(Side.SERVICE)).as(gatewayLink.name()).isTrue();
            assertThat(gatewayLink.allowedOn(Side.CLIENT)).as(gatewayLink.name()).isFalse();
            assertThat(gatewayLink.allowedOn(Side.PEER)).as(gatewayLink.name()).isFalse();
        }
        for (FrameType migration : new FrameType[] {FrameType.EXPORT, FrameType.EXPORTED, FrameType.IMPORT,
            FrameType.DRAIN}) {
            // A gateway and an instance exchange them; never a client, nor a peer.
            assertThat(migration.allowedOn(Side.SERVICE)).as(migration.name()).isTrue();
            assertThat(migration.allowedOn(Side.CLIENT)).as(migration.name()).isFalse();
            assertThat(migration.allowedOn(Side.PEER)).as(migration.name()).isFalse();
        }
        for (FrameType shared : new FrameType[] {FrameType.ERROR, FrameType.PING, FrameType.PONG}) {
            assertThat(shared.side()).isEqualTo(Side.BOTH);
            assertThat(shared.allowedOn(Side.CLIENT)).isTrue();
            assertThat(shared.allowedOn(Side.SERVICE)).isTrue();
            assertThat(shared.allowedOn(Side.PEER)).isTrue();
        }
        for (FrameType t : FrameType.values()) {
            assertThat(t.side()).as(t.name()).isEqualTo(t.code() < 0x06 ? Side.CLIENT : t.code() < 0x10 ? Side.BOTH
                    : t.code() < 0x30 ? Side.SERVICE : Side.PEER);
        }
    }
}
