package io.reploid.internal.protocol;

import static io.reploid.internal.protocol.FrameCodecMalformedTest.assertRejected;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.util.ReferenceCountUtil;
import io.reploid.ErrorCode;
import io.reploid.LoadReport;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The value checks of the live migration frames (EXPORT, EXPORTED, IMPORT, DRAIN) and of LOAD's draining
 * flag, beyond the layout checks every frame type gets.
 */
class MigrationFramesTest {
    private static final byte[] RECORD = {1, 0, 0, 0, 7, '{', '"', 'n', '"', ':', '3', '}', 0, 0, 0, 0};

    @Test
    void exportStatusesHaveFixedWireValues() {
        Frame.ExportStatus[] inOrder = {Frame.ExportStatus.OK, Frame.ExportStatus.NOT_HELD,
            Frame.ExportStatus.NOT_EXPORTABLE};
        assertThat(Frame.ExportStatus.values()).hasSameSizeAs(inOrder);
        for (int code = 0; code < inOrder.length; code++) {
            assertThat(Frame.ExportStatus.of(code)).isEqualTo(inOrder[code]);
            assertThat(inOrder[code].code()).isEqualTo(code);
        }
        assertThatThrownBy(() -> Frame.ExportStatus.of(3))
                .isInstanceOfSatisfying(ProtocolException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.PROTOCOL_ERROR))
                .hasMessage("unknown export status 3 (expected: 0 to 2)");
    }

    @ParameterizedTest
    @EnumSource(Frame.ExportStatus.class)
    void everyExportStatusRoundTripsWithAndWithoutARecord(Frame.ExportStatus status) {
        FrameCodecRoundTripTest.assertRoundTrip(new Frame.Exported("alice", 8, status, 12, Unpooled.EMPTY_BUFFER));
        FrameCodecRoundTripTest.assertRoundTrip(new Frame.Exported("alice", 8, status, 12,
                Unpooled.wrappedBuffer(RECORD)));
        FrameCodecRoundTripTest.assertRoundTrip(new Frame.Exported("alice", 8, status, 12,
                Unpooled.wrappedBuffer(new byte[100_000])));
    }

    @Test
    void anImportedRecordMayBeEmptyOrLarge() {
        FrameCodecRoundTripTest.assertRoundTrip(new Frame.Import("alice", 9, 0, Unpooled.EMPTY_BUFFER));
        FrameCodecRoundTripTest.assertRoundTrip(new Frame.Import("alice", 9, 12, Unpooled.wrappedBuffer(RECORD)));
        FrameCodecRoundTripTest.assertRoundTrip(new Frame.Import("alice", Long.MAX_VALUE, 12,
                Unpooled.wrappedBuffer(new byte[100_000])));
    }

    @Test
    void theFramesDecodeFromTheDocumentedLayout() {
        try (CodecChannel ch = new CodecChannel()) {
            assertThat(ch.decode(WireBytes.body(FrameType.EXPORT).str("alice").i64(8).frame()))
                    .isEqualTo(new Frame.Export("alice", 8));
            assertThat(ch.decode(WireBytes.body(FrameType.DRAIN).u8(1).frame())).isEqualTo(new Frame.Drain(true));
            assertThat(ch.decode(WireBytes.body(FrameType.DRAIN).u8(0).frame())).isEqualTo(new Frame.Drain(false));

            Frame exported = ch.decode(WireBytes.body(FrameType.EXPORTED).str("alice").i64(8).u8(0).i64(12)
                    .bytes(RECORD).frame());
            try {
                assertThat(FrameText.describe(exported))
                        .isEqualTo("EXPORTED clientId=\"alice\" epoch=8 status=OK version=12 data=0x"
                                + ByteBufUtil.hexDump(RECORD));
            } finally {
                ReferenceCountUtil.release(exported);
            }
            Frame notHeld = ch.decode(WireBytes.body(FrameType.EXPORTED).str("bob").i64(3).u8(1).i64(0).frame());
            try {
                Frame.Exported e = (Frame.Exported) notHeld;
                assertThat(e.status()).isEqualTo(Frame.ExportStatus.NOT_HELD);
                assertThat(e.payload().readableBytes()).isZero();
            } finally {
                ReferenceCountUtil.release(notHeld);
            }
            Frame imported = ch.decode(WireBytes.body(FrameType.IMPORT).str("alice").i64(9).i64(12).bytes(RECORD).frame());
            try {
                assertThat(FrameText.describe(imported))
                        .isEqualTo("IMPORT clientId=\"alice\" epoch=9 version=12 data=0x" + ByteBufUtil.hexDump(RECORD));
            } finally {
                ReferenceCountUtil.release(imported);
            }
        }
    }

    @Test
    void aDecodedRecordIsARetainedSliceOfTheBodyThatOneReleaseFrees() {
        for (FrameType type : new FrameType[] {FrameType.EXPORTED, FrameType.IMPORT}) {
            byte[] wire;
            try (CodecChannel ch = new CodecChannel()) {
                wire = ch.encode(SampleFrames.withPayload(type, Unpooled.wrappedBuffer(RECORD)));
            }
            ByteBuf body = Unpooled.wrappedBuffer(Arrays.copyOfRange(wire, 4, wire.length));
            Frame.PayloadFrame frame = (Frame.PayloadFrame) FrameCodec.decode(body);
            assertThat(ByteBufUtil.getBytes(frame.payload())).as(type.name()).isEqualTo(RECORD);
            assertThat(body.refCnt()).as("the frame holds the body").isEqualTo(2);
            body.release();
            assertThat(frame.refCnt()).isEqualTo(1);
            assertThat(ByteBufUtil.getBytes(frame.payload())).as("still readable").isEqualTo(RECORD);
            assertThat(frame.release()).isTrue();
            assertThat(body.refCnt()).as("released with the frame").isZero();
        }
    }

    @Test
    void aDuplicateOrReplacementKeepsTheHeaderFields() {
        Frame.Exported exported = new Frame.Exported("alice", 8, Frame.ExportStatus.NOT_EXPORTABLE, 12,
                Unpooled.wrappedBuffer(RECORD));
        Frame.Import imported = new Frame.Import("alice", 9, 12, Unpooled.wrappedBuffer(RECORD));
        try {
            for (Frame.PayloadFrame f : new Frame.PayloadFrame[] {exported, imported}) {
                Frame.PayloadFrame duplicate = (Frame.PayloadFrame) f.retainedDuplicate();
                Frame.PayloadFrame replaced = (Frame.PayloadFrame) f.replace(Unpooled.EMPTY_BUFFER);
                try {
                    assertThat(duplicate.type()).isEqualTo(f.type());
                    assertThat(FrameText.describe(duplicate)).isEqualTo(FrameText.describe(f));
                    assertThat(f.refCnt()).as("the duplicate shares the count").isEqualTo(2);
                    assertThat(FrameText.describe(replaced))
                            .isEqualTo(FrameText.describe(f).replace("data=0x" + ByteBufUtil.hexDump(RECORD), "data=\"\""));
                } finally {
                    duplicate.release();
                    replaced.release();
                }
            }
        } finally {
            exported.release();
            imported.release();
        }
        assertThat(exported.refCnt()).isZero();
        assertThat(imported.refCnt()).isZero();
    }

    @Test
    void theDrainingFlagOfLoadIsBit1AndIndependentOfTheHealthBit() {
        LoadReport healthy = new LoadReport(1, 2, 3, 0.5, 4, 5, 6, true);
        LoadReport unhealthy = new LoadReport(1, 2, 3, 0.5, 4, 5, 6, false);
        try (CodecChannel ch = new CodecChannel()) {
            assertThat(flags(ch, new Frame.Load(healthy, false))).isEqualTo(0x00);
            assertThat(flags(ch, new Frame.Load(unhealthy, false))).isEqualTo(0x01);
            assertThat(flags(ch, new Frame.Load(healthy, true))).isEqualTo(0x02);
            assertThat(flags(ch, new Frame.Load(unhealthy, true))).isEqualTo(0x03);
            for (Frame.Load load : new Frame.Load[] {new Frame.Load(healthy, false), new Frame.Load(unhealthy, false),
                new Frame.Load(healthy, true), new Frame.Load(unhealthy, true)}) {
                assertThat(ch.roundTrip(load)).isEqualTo(load);
            }
        }
    }

    @Test
    void aLoadMadeWithoutTheFlagIsNotDraining() {
        assertThat(new Frame.Load(LoadReport.EMPTY)).isEqualTo(new Frame.Load(LoadReport.EMPTY, false));
        assertThat(new Frame.Load(LoadReport.EMPTY).draining()).isFalse();
    }

    @Test
    void drainSetsOnlyBit0() {
        try (CodecChannel ch = new CodecChannel()) {
            assertThat(ch.encode(new Frame.Drain(true))).containsExactly(0, 0, 0, 2, 0x1F, 0x01);
            assertThat(ch.encode(new Frame.Drain(false))).containsExactly(0, 0, 0, 2, 0x1F, 0x00);
        }
    }

    @Test
    void aTruncatedDrainOrExportNamesItsField() {
        assertRejected(WireBytes.body(FrameType.DRAIN).frame(), ErrorCode.PROTOCOL_ERROR,
                "truncated DRAIN frame: flags needs 1 bytes, 0 remain");
        assertRejected(WireBytes.body(FrameType.EXPORT).str("alice").i32(0).frame(), ErrorCode.PROTOCOL_ERROR,
                "truncated EXPORT frame: epoch needs 8 bytes, 4 remain");
        assertRejected(WireBytes.body(FrameType.EXPORTED).str("alice").i64(8).frame(), ErrorCode.PROTOCOL_ERROR,
                "truncated EXPORTED frame: status needs 1 bytes, 0 remain");
        assertRejected(WireBytes.body(FrameType.EXPORTED).str("alice").i64(8).u8(0).i32(0).frame(),
                ErrorCode.PROTOCOL_ERROR, "truncated EXPORTED frame: version needs 8 bytes, 4 remain");
        assertRejected(WireBytes.body(FrameType.IMPORT).str("alice").i64(9).frame(), ErrorCode.PROTOCOL_ERROR,
                "truncated IMPORT frame: version needs 8 bytes, 0 remain");
    }

    /** The flags byte of an encoded LOAD (its last byte). */
    private static int flags(CodecChannel ch, Frame.Load load) {
        byte[] wire = ch.encode(load);
        return wire[wire.length - 1] & 0xFF;
    }
}
