package io.reploid.internal.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.util.ReferenceCountUtil;
import io.reploid.ErrorCode;
import io.reploid.LoadReport;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.FieldSource;
import org.junit.jupiter.params.provider.ValueSource;

class FrameCodecRoundTripTest {

    @ParameterizedTest
    @EnumSource(FrameType.class)
    void everyFrameTypeRoundTrips(FrameType type) {
        assertRoundTrip(SampleFrames.of(type));
    }

    @ParameterizedTest
    @EnumSource(FrameType.class)
    void encodingStartsWithLengthAndTypeByte(FrameType type) {
        try (CodecChannel ch = new CodecChannel()) {
            byte[] wire = ch.encode(SampleFrames.of(type));
            assertThat(ByteBuffer.wrap(wire).getInt()).isEqualTo(wire.length - 4);
            assertThat(wire[4] & 0xFF).isEqualTo(type.code());
            assertThat(WireLayout.rows(wire)).as("bytes follow the documented layout").isNotEmpty();
        }
    }

    @Test
    void controlFramesKeepExtremeValues() {
        assertRoundTrip(new Frame.Welcome(1, "", "i", Long.MIN_VALUE, false));
        assertRoundTrip(new Frame.Welcome(1, "g", "i", Long.MAX_VALUE, true));
        assertRoundTrip(new Frame.Ping(0));
        assertRoundTrip(new Frame.Ping(Long.MIN_VALUE));
        assertRoundTrip(new Frame.Pong(Long.MAX_VALUE));
        assertRoundTrip(new Frame.Error(0, ErrorCode.PROTOCOL_ERROR, ""));
        assertRoundTrip(new Frame.Error(-1, ErrorCode.INTERNAL, "x"));
        assertRoundTrip(new Frame.Register(1, "i", "", Integer.MAX_VALUE, Integer.MAX_VALUE, Map.of()));
        assertRoundTrip(new Frame.Registered(1, "", Integer.MIN_VALUE));
        assertRoundTrip(new Frame.Attach("c", Long.MIN_VALUE, Map.of()));
        assertRoundTrip(new Frame.Detach("c", -1, Frame.DetachReason.DISCONNECTED));
        assertRoundTrip(new Frame.Release("c", 0));
        assertRoundTrip(new Frame.GatewayHello(1, "g", "", "", false));
        assertRoundTrip(new Frame.PinClaim(Long.MIN_VALUE, "c", "i", Long.MAX_VALUE, 0));
        assertRoundTrip(new Frame.PinClaim(0, "c", "i", -1, Long.MIN_VALUE));
        assertRoundTrip(new Frame.PinClaimResult(Long.MAX_VALUE, true, "c", "i", Long.MIN_VALUE));
        assertRoundTrip(new Frame.PinDrop("c", "i", Long.MAX_VALUE));
    }

    @ParameterizedTest
    @EnumSource(ErrorCode.class)
    void everyErrorCodeRoundTrips(ErrorCode code) {
        assertRoundTrip(new Frame.Error(3, code, code.name()));
        assertRoundTrip(new Frame.ClientError("c", 1, 3, code, code.name()));
    }

    @Test
    void loadKeepsEveryDoubleBitForBitAndTheHealthFlag() {
        double[] values = {0, -0.0, 1, -1, 0.1, Double.MIN_VALUE, Double.MAX_VALUE, Double.NaN,
                Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY};
        for (double v : values) {
            for (boolean healthy : new boolean[] {true, false}) {
                assertRoundTrip(new Frame.Load(new LoadReport(Long.MIN_VALUE, 0, Integer.MAX_VALUE, v, Long.MAX_VALUE,
                        -1, v, healthy)));
            }
        }
        assertRoundTrip(new Frame.Load(LoadReport.EMPTY));
    }

    @Test
    void nonAsciiStringsRoundTrip() {
        String id = "Zoë-東京-🚀-\u00a0";
        Map<String, String> labels = SampleFrames.map("ключ", "значение", "emoji 🎉", "✓", "", "");
        assertRoundTrip(new Frame.Hello(1, id, labels));
        assertRoundTrip(new Frame.Register(1, id, "[::1]:9000 — ü", 1, 1, labels));
        assertRoundTrip(new Frame.Welcome(1, "gw-ß", id, 1, true));
        assertRoundTrip(new Frame.Error(1, ErrorCode.TIMEOUT, "délai dépassé 🕐"));
        assertRoundTrip(new Frame.ClientError(id, 1, 2, ErrorCode.HANDLER_ERROR, "失败"));
        assertRoundTrip(new Frame.Announce(List.of(new Frame.HeldClient(id, 1))));
        assertRoundTrip(new Frame.GatewayHello(1, id, "[::1]:7401 — ü", "東京:8080", true));
        assertRoundTrip(new Frame.Gateways(List.of(new Frame.GatewayEntry(id, "ö:1", "🚀:2", false))));
        assertRoundTrip(new Frame.PinClaim(1, id, id, 2, 1));
        assertRoundTrip(new Frame.PinClaimResult(1, false, id, "svc-ж", 2));
        assertRoundTrip(new Frame.PinDrop(id, "svc-€", 2));
        assertRoundTrip(new Frame.PinSync(false, List.of(new Frame.SyncedPin(id, "svc-ß", 2))));
    }

    @Test
    void stringsMayHoldControlCharactersButIdsMayNot() {
        assertRoundTrip(new Frame.Error(1, ErrorCode.HANDLER_ERROR, "line 1\nline 2\t\u0000"));
        assertRoundTrip(new Frame.Hello(1, "c", SampleFrames.map("k\n", "v\u0001")));
    }

    @Test
    void idsOfExactly255BytesRoundTrip() {
        String ascii = "a".repeat(Protocol.MAX_ID_BYTES);
        String emoji = "🚀".repeat(63) + "abc"; // 63 * 4 + 3 = 255 bytes
        String euro = "€".repeat(85); // 85 * 3 = 255 bytes
        for (String id : List.of(ascii, emoji, euro)) {
            assertRoundTrip(new Frame.Hello(1, id, Map.of()));
            assertRoundTrip(new Frame.Release(id, 1));
            assertRoundTrip(new Frame.GatewayHello(1, id, "a", "b", false));
            assertRoundTrip(new Frame.PinSync(true, List.of(new Frame.SyncedPin(id, id, 1))));
        }
    }

    @Test
    void mapsKeepOrderAndHoldUpTo64Entries() {
        for (int size : new int[] {0, 1, 2, 63, 64}) {
            Map<String, String> m = new LinkedHashMap<>();
            for (int i = size; i > 0; i--) {
                m.put("key-" + i, "value-" + "x".repeat(i));
            }
            try (CodecChannel ch = new CodecChannel()) {
                Frame decoded = ch.roundTrip(new Frame.Attach("c", 1, m));
                assertThat(decoded).isEqualTo(new Frame.Attach("c", 1, m));
                assertThat(((Frame.Attach) decoded).metadata().keySet()).containsExactlyElementsOf(m.keySet());
            }
        }
    }

    @Test
    void announceRoundTripsWithNoneOneAndTheMaximumOfEntries() {
        assertRoundTrip(new Frame.Announce(List.of()));
        assertRoundTrip(new Frame.Announce(List.of(new Frame.HeldClient("only", 0))));
        List<Frame.HeldClient> many = IntStream.range(0, Protocol.MAX_ANNOUNCE_ENTRIES)
                .mapToObj(i -> new Frame.HeldClient("client-" + i, i * 31L - 1000))
                .toList();
        assertRoundTrip(new Frame.Announce(many));
    }

    @Test
    void longErrorMessagesAreCutAt4096CharactersWithoutSplittingASurrogatePair() {
        try (CodecChannel ch = new CodecChannel()) {
            Frame.Error decoded = (Frame.Error) ch.roundTrip(new Frame.Error(1, ErrorCode.INTERNAL, "é".repeat(5000)));
            assertThat(decoded.message()).isEqualTo("é".repeat(4096) + "...");

            decoded = (Frame.Error) ch.roundTrip(new Frame.Error(1, ErrorCode.INTERNAL, "a".repeat(4095) + "🚀🚀"));
            assertThat(decoded.message()).isEqualTo("a".repeat(4095) + "...");

            Frame.ClientError ce = (Frame.ClientError) ch.roundTrip(
                    new Frame.ClientError("c", 1, 1, ErrorCode.HANDLER_ERROR, "b".repeat(4097)));
            assertThat(ce.message()).isEqualTo("b".repeat(4096) + "...");

            decoded = (Frame.Error) ch.roundTrip(new Frame.Error(1, ErrorCode.INTERNAL, "c".repeat(4096)));
            assertThat(decoded.message()).isEqualTo("c".repeat(4096));
        }
    }

    @Test
    void aMissingErrorMessageIsSentEmpty() {
        try (CodecChannel ch = new CodecChannel()) {
            assertThat(ch.roundTrip(new Frame.Error(1, ErrorCode.INTERNAL, null)))
                    .isEqualTo(new Frame.Error(1, ErrorCode.INTERNAL, ""));
        }
    }

    @Test
    void unknownErrorCodesDecodeAsInternal() {
        try (CodecChannel ch = new CodecChannel()) {
            byte[] wire = ch.encode(new Frame.Error(5, ErrorCode.TIMEOUT, "m"));
            for (int code : new int[] {0, 22, 63, 64, 1000, 0xFFFF}) {
                wire[4 + 1 + 8] = (byte) (code >> 8);
                wire[4 + 1 + 8 + 1] = (byte) code;
                assertThat(ch.decode(wire)).isEqualTo(new Frame.Error(5, ErrorCode.INTERNAL, "m"));
            }
        }
    }

    @Test
    void reservedFlagBitsAreIgnored() {
        try (CodecChannel ch = new CodecChannel()) {
            byte[] welcome = ch.encode(new Frame.Welcome(1, "g", "i", 1, false));
            welcome[welcome.length - 1] = (byte) 0xFE;
            assertThat(ch.decode(welcome)).isEqualTo(new Frame.Welcome(1, "g", "i", 1, false));
            welcome[welcome.length - 1] = (byte) 0xFF;
            assertThat(ch.decode(welcome)).isEqualTo(new Frame.Welcome(1, "g", "i", 1, true));

            byte[] load = ch.encode(new Frame.Load(LoadReport.EMPTY));
            load[load.length - 1] = (byte) 0x80;
            assertThat(ch.decode(load)).isEqualTo(new Frame.Load(LoadReport.EMPTY));

            byte[] hello = ch.encode(new Frame.GatewayHello(1, "g", "s", "a", false));
            hello[hello.length - 1] = (byte) 0xFE;
            assertThat(ch.decode(hello)).isEqualTo(new Frame.GatewayHello(1, "g", "s", "a", false));
            hello[hello.length - 1] = (byte) 0x81;
            assertThat(ch.decode(hello)).isEqualTo(new Frame.GatewayHello(1, "g", "s", "a", true));

            byte[] gateways = ch.encode(new Frame.Gateways(List.of(new Frame.GatewayEntry("g", "s", "", false))));
            gateways[gateways.length - 1] = (byte) 0xF1;
            assertThat(ch.decode(gateways))
                    .isEqualTo(new Frame.Gateways(List.of(new Frame.GatewayEntry("g", "s", "", true))));

            byte[] result = ch.encode(new Frame.PinClaimResult(1, false, "c", "", 0));
            result[4 + 1 + 8] = (byte) 0x02;
            assertThat(ch.decode(result)).isEqualTo(new Frame.PinClaimResult(1, false, "c", "", 0));
            result[4 + 1 + 8] = (byte) 0xFF;
            assertThat(ch.decode(result)).isEqualTo(new Frame.PinClaimResult(1, true, "c", "", 0));

            byte[] sync = ch.encode(new Frame.PinSync(false, List.of()));
            sync[4 + 1] = (byte) 0x40;
            assertThat(ch.decode(sync)).isEqualTo(new Frame.PinSync(false, List.of()));
            sync[4 + 1] = (byte) 0x03;
            assertThat(ch.decode(sync)).isEqualTo(new Frame.PinSync(true, List.of()));
        }
    }

    static final List<Integer> PAYLOAD_SIZES = List.of(0, 1, 100, 1023, 1024, 1025, 4096, 65_536, 1_000_000);

    @ParameterizedTest
    @FieldSource("PAYLOAD_SIZES")
    void payloadFramesRoundTripOnBothEncodePaths(int size) {
        for (FrameType type : SampleFrames.WITH_PAYLOAD) {
            byte[] bytes = randomBytes(size, size);
            try (CodecChannel ch = new CodecChannel()) {
                Frame frame = SampleFrames.withPayload(type, Unpooled.wrappedBuffer(bytes));
                String expected = FrameText.describe(frame);
                List<ByteBuf> written = ch.encodeToBuffers(frame);
                // Up to 1 KiB the payload is copied behind its header; above, it is written as a second buffer.
                assertThat(written).hasSize(size <= 1024 ? 1 : 2);
                ch.channel.writeInbound(written.toArray());
                List<Frame> decoded = ch.readAll();
                try {
                    assertThat(decoded).hasSize(1);
                    assertThat(FrameText.describe(decoded.get(0))).isEqualTo(expected);
                    assertThat(ByteBufUtil.getBytes(((Frame.PayloadFrame) decoded.get(0)).payload())).isEqualTo(bytes);
                } finally {
                    CodecChannel.release(decoded);
                }
            }
        }
    }

    @Test
    void aLargePayloadIsWrittenAsItIsWithoutACopy() {
        try (CodecChannel ch = new CodecChannel()) {
            ByteBuf payload = Unpooled.wrappedBuffer(randomBytes(5000, 1));
            List<ByteBuf> written = ch.encodeToBuffers(new Frame.Response(9, payload));
            try {
                assertThat(written).hasSize(2);
                assertThat(written.get(1)).isSameAs(payload);
                assertThat(payload.refCnt()).as("the frame's reference went to the written buffer").isEqualTo(1);
                assertThat(written.get(0).readableBytes()).isEqualTo(4 + 1 + 8);
                assertThat(written.get(0).getInt(0)).isEqualTo(1 + 8 + 5000);
            } finally {
                written.forEach(ByteBuf::release);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {10, 1500})
    void onlyTheReadableBytesOfAPayloadAreSent(int size) {
        try (CodecChannel ch = new CodecChannel()) {
            byte[] bytes = randomBytes(size, 2);
            ByteBuf payload = Unpooled.buffer(size + 16).writeBytes(new byte[7]).writeBytes(bytes).writeBytes(new byte[5]);
            payload.readerIndex(7).writerIndex(7 + size);
            Frame decoded = ch.roundTrip(new Frame.ClientPush("c", 1, payload));
            try {
                assertThat(ByteBufUtil.getBytes(((Frame.ClientPush) decoded).payload())).isEqualTo(bytes);
            } finally {
                ReferenceCountUtil.release(decoded);
            }
        }
    }

    @Test
    void aCompositePayloadRoundTrips() {
        try (CodecChannel ch = new CodecChannel()) {
            byte[] a = randomBytes(700, 3);
            byte[] b = randomBytes(900, 4);
            CompositeByteBuf payload = Unpooled.compositeBuffer()
                    .addComponents(true, Unpooled.wrappedBuffer(a), Unpooled.wrappedBuffer(b));
            Frame decoded = ch.roundTrip(new Frame.Request(1, payload));
            try {
                ByteArrayOutputStream expected = new ByteArrayOutputStream();
                expected.writeBytes(a);
                expected.writeBytes(b);
                assertThat(ByteBufUtil.getBytes(((Frame.Request) decoded).payload())).isEqualTo(expected.toByteArray());
            } finally {
                ReferenceCountUtil.release(decoded);
            }
        }
    }

    @Test
    void aFrameOfExactlyTheMaximumSizeIsAccepted() {
        int max = 4096;
        try (CodecChannel ch = new CodecChannel(max)) {
            byte[] bytes = randomBytes(max - 1, 5);
            Frame decoded = ch.roundTrip(new Frame.Push(Unpooled.wrappedBuffer(bytes)));
            try {
                assertThat(ByteBufUtil.getBytes(((Frame.Push) decoded).payload())).isEqualTo(bytes);
            } finally {
                ReferenceCountUtil.release(decoded);
            }
        }
    }

    @Test
    void framesSplitIntoSingleBytesAreReassembled() {
        try (CodecChannel ch = new CodecChannel()) {
            byte[] stream = allSamples(ch);
            List<Frame> decoded = new ArrayList<>();
            try {
                for (byte b : stream) {
                    decoded.addAll(ch.feed(new byte[] {b}));
                }
                assertSamples(decoded);
            } finally {
                CodecChannel.release(decoded);
            }
        }
    }

    @Test
    void manyFramesInOneReadAreAllDecodedInOrder() {
        try (CodecChannel ch = new CodecChannel()) {
            byte[] once = allSamples(ch);
            byte[] stream = new byte[once.length * 3];
            for (int i = 0; i < 3; i++) {
                System.arraycopy(once, 0, stream, i * once.length, once.length);
            }
            List<Frame> decoded = ch.feed(stream);
            try {
                assertThat(decoded).hasSize(3 * FrameType.values().length);
                for (int i = 0; i < 3; i++) {
                    assertSamples(decoded.subList(i * FrameType.values().length, (i + 1) * FrameType.values().length));
                }
            } finally {
                CodecChannel.release(decoded);
            }
        }
    }

    @Test
    void framesSplitAtRandomPointsAreReassembled() {
        Random random = new Random(42);
        try (CodecChannel ch = new CodecChannel()) {
            byte[] stream = allSamples(ch);
            for (int round = 0; round < 50; round++) {
                List<Frame> decoded = new ArrayList<>();
                try {
                    for (int pos = 0; pos < stream.length; ) {
                        int n = Math.min(stream.length - pos, 1 + random.nextInt(40));
                        decoded.addAll(ch.feed(Arrays.copyOfRange(stream, pos, pos + n)));
                        pos += n;
                    }
                    assertSamples(decoded);
                } finally {
                    CodecChannel.release(decoded);
                }
            }
        }
    }

    /** The sample of every type, encoded back to back. */
    private static byte[] allSamples(CodecChannel ch) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (FrameType t : FrameType.values()) {
            out.writeBytes(ch.encode(SampleFrames.of(t)));
        }
        return out.toByteArray();
    }

    private static void assertSamples(List<Frame> decoded) {
        List<String> expected = new ArrayList<>();
        for (FrameType t : FrameType.values()) {
            Frame f = SampleFrames.of(t);
            expected.add(FrameText.describe(f));
            ReferenceCountUtil.release(f);
        }
        assertThat(decoded.stream().map(FrameText::describe).toList()).containsExactlyElementsOf(expected);
    }

    /** Encodes and decodes {@code frame} and checks the result equals it (field by field for payload frames). */
    static void assertRoundTrip(Frame frame) {
        String expected = FrameText.describe(frame);
        try (CodecChannel ch = new CodecChannel()) {
            Frame decoded = ch.roundTrip(frame);
            try {
                assertThat(decoded.type()).isEqualTo(frame.type());
                assertThat(FrameText.describe(decoded)).isEqualTo(expected);
                if (frame instanceof Record) {
                    assertThat(decoded).isEqualTo(frame);
                }
            } finally {
                ReferenceCountUtil.release(decoded);
            }
        }
    }

    private static byte[] randomBytes(int size, long seed) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }
}
