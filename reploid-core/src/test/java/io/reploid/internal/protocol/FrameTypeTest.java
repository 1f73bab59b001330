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
        assertThat(named).isEqualTo(30);
        assertThat(FrameType.of(0)).isNull();
        assertThat(FrameType.of(0x1C)).isNull();
        assertThat(FrameType.of(0x1F)).isNull();
        assertThat(FrameType.of(0x26)).isNull();
        assertThat(FrameType.of(0x2F)).isNull();
        assertThat(FrameType.of(0x34)).isNull();
        assertThat(FrameType.of(0xFF)).isNull();
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
