package io.reploid.internal.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.EncoderException;
import io.reploid.ErrorCode;
import io.reploid.LoadReport;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.FieldSource;
import org.junit.jupiter.params.provider.ValueSource;

class FrameCodecMalformedTest {

    // ------------------------------------------------------------------ truncation and framing

    @ParameterizedTest
    @EnumSource(FrameType.class)
    void aFrameCutAtAnyPointBeforeItsLastFieldNamesTheFieldThatIsShort(FrameType type) {
        byte[] wire;
        try (CodecChannel ch = new CodecChannel()) {
            wire = ch.encode(SampleFrames.of(type));
        }
        List<WireLayout.Row> rows = WireLayout.rows(wire);
        // A payload runs to the end of the frame, so only the fields before it can be cut short.
        String last = rows.get(rows.size() - 1).name();
        int end = last.equals("payload") || last.equals("data") ? rows.get(rows.size() - 1).offset() : wire.length;
        for (int cut = 5; cut < end; cut++) {
            int at = cut;
            WireLayout.Row field = rows.stream()
                    .filter(r -> r.offset() + r.bytes().length > at)
                    .findFirst().orElseThrow();
            byte[] truncated = WireBytes.withLength(Arrays.copyOfRange(wire, 4, cut));
            assertRejected(truncated, ErrorCode.PROTOCOL_ERROR, "truncated " + type + " frame: " + field.name()
                    + " needs " + field.bytes().length + " bytes, " + (cut - field.offset()) + " remain");
        }
    }

    @Test
    void aFrameOfLengthZeroIsRejected() {
        assertRejected(new byte[4], ErrorCode.PROTOCOL_ERROR, "empty frame: a frame has at least a type byte");
    }

    @Test
    void everyUnknownTypeByteIsRejected() {
        for (int b = 0; b < 256; b++) {
            if (FrameType.of(b) == null) {
                assertRejected(WireBytes.body(b).i64(1).frame(), ErrorCode.PROTOCOL_ERROR,
                        String.format("unknown frame type 0x%02X", b));
            }
        }
    }

    @ParameterizedTest
    @EnumSource(value = FrameType.class, names = {"REQUEST", "RESPONSE", "PUSH", "CLIENT_REQUEST",
            "CLIENT_RESPONSE", "CLIENT_PUSH", "REPLICATE"}, mode = EnumSource.Mode.EXCLUDE)
    void bytesAfterTheLastFieldAreRejected(FrameType type) {
        byte[] wire;
        try (CodecChannel ch = new CodecChannel()) {
            wire = ch.encode(SampleFrames.of(type));
        }
        for (int extra : new int[] {1, 5}) {
            byte[] body = Arrays.copyOfRange(wire, 4, wire.length + extra);
            assertRejected(WireBytes.withLength(body), ErrorCode.PROTOCOL_ERROR,
                    type + " frame has " + extra + " unexpected trailing bytes");
        }
    }

    @Test
    void randomGarbageIsRejectedWithAProtocolErrorAndNothingElse() {
        Random random = new Random(7);
        for (int i = 0; i < 2000; i++) {
            byte[] body = new byte[1 + random.nextInt(60)];
            random.nextBytes(body);
            if (i % 2 == 0) {
                body[0] = (byte) FrameType.values()[random.nextInt(FrameType.values().length)].code();
            }
            try (CodecChannel ch = new CodecChannel()) {
                try {
                    CodecChannel.release(ch.feed(WireBytes.withLength(body)));
                } catch (ProtocolException expected) {
                    assertThat(expected.code()).isIn(ErrorCode.PROTOCOL_ERROR, ErrorCode.UNSUPPORTED_VERSION,
                            ErrorCode.INVALID_ID);
                    assertThat(expected.getMessage()).isNotBlank();
                }
            }
        }
    }

    // ------------------------------------------------------------------ handshakes

    @ParameterizedTest
    @ValueSource(ints = {0x52504C45, 0x44504C52, 0, -1, 0x47455420})
    void aBadMagicIsRejected(int magic) {
        String expected = "bad magic 0x%08X in %s (expected: 0x52504C44 \"RPLD\")";
        assertRejected(WireBytes.body(FrameType.HELLO).i32(magic).u16(1).str("c").u16(0).frame(),
                ErrorCode.PROTOCOL_ERROR, String.format(expected, magic, "HELLO"));
        assertRejected(WireBytes.body(FrameType.REGISTER).i32(magic).u16(1).str("i").str("a").i32(1).i32(1).u16(0).frame(),
                ErrorCode.PROTOCOL_ERROR, String.format(expected, magic, "REGISTER"));
        assertRejected(WireBytes.body(FrameType.GATEWAY_HELLO).i32(magic).u16(1).str("gw").str("a").str("").u8(0)
                .frame(), ErrorCode.PROTOCOL_ERROR, String.format(expected, magic, "GATEWAY_HELLO"));
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 2, 0xFFFF})
    void anotherProtocolVersionIsUnsupported(int version) {
        String expected = "protocol version " + version + " is not supported (supported: 1)";
        assertRejected(WireBytes.body(FrameType.HELLO).magicAndVersion(version).str("c").u16(0).frame(),
                ErrorCode.UNSUPPORTED_VERSION, expected);
        assertRejected(WireBytes.body(FrameType.REGISTER).magicAndVersion(version).str("i").str("a").i32(1).i32(1)
                .u16(0).frame(), ErrorCode.UNSUPPORTED_VERSION, expected);
        assertRejected(WireBytes.body(FrameType.WELCOME).u16(version).str("g").str("i").i64(1).u8(1).frame(),
                ErrorCode.UNSUPPORTED_VERSION, expected);
        assertRejected(WireBytes.body(FrameType.REGISTERED).u16(version).str("g").i32(500).frame(),
                ErrorCode.UNSUPPORTED_VERSION, expected);
        assertRejected(WireBytes.body(FrameType.GATEWAY_HELLO).magicAndVersion(version).str("gw").str("a").str("")
                .u8(1).frame(), ErrorCode.UNSUPPORTED_VERSION, expected);
    }

    // ------------------------------------------------------------------ ids

    static final List<SampleFrames.IdField> ID_FIELDS = SampleFrames.ID_FIELDS;

    @Test
    void everyIdFieldOfTheLayoutIsChecked() {
        List<String> declared = new ArrayList<>();
        for (FrameType type : FrameType.values()) {
            WireLayout.declaredFields(type).stream()
                    .filter(f -> f.startsWith("id "))
                    .forEach(f -> declared.add(type + " " + f.substring(3)));
        }
        assertThat(ID_FIELDS.stream().map(SampleFrames.IdField::toString).toList())
                .containsExactlyInAnyOrderElementsOf(declared);
    }

    @ParameterizedTest
    @FieldSource("ID_FIELDS")
    void anEmptyIdIsInvalid(SampleFrames.IdField field) {
        assertInvalidId(field, "", "is empty (expected: 1 to 255 UTF-8 bytes)");
    }

    @ParameterizedTest
    @FieldSource("ID_FIELDS")
    void anIdOver255BytesIsInvalid(SampleFrames.IdField field) {
        assertInvalidId(field, "x".repeat(256), "is 256 bytes long (expected: at most 255 UTF-8 bytes)");
        assertInvalidId(field, "€".repeat(86), "is 258 bytes long (expected: at most 255 UTF-8 bytes)");
        assertInvalidId(field, "y".repeat(65_535), "is 65535 bytes long (expected: at most 255 UTF-8 bytes)");
    }

    @ParameterizedTest
    @FieldSource("ID_FIELDS")
    void anIdWithAControlCharacterIsInvalid(SampleFrames.IdField field) {
        assertInvalidId(field, "\u0000", "contains control character U+0000 at index 0");
        assertInvalidId(field, "a\nb", "contains control character U+000A at index 1");
        assertInvalidId(field, "ab\u001f", "contains control character U+001F at index 2");
        assertInvalidId(field, "é\u007f", "contains control character U+007F at index 1");
        assertInvalidId(field, "\u0085", "contains control character U+0085 at index 0");
        assertInvalidId(field, "x\u009f", "contains control character U+009F at index 1");
    }

    @ParameterizedTest
    @FieldSource("ID_FIELDS")
    void anIdThatIsNotUtf8IsInvalid(SampleFrames.IdField field) {
        for (byte[] bad : NOT_UTF8) {
            byte[] wire = encodeWithId(field, "~".repeat(bad.length));
            int at = indexOf(wire, "~".repeat(bad.length).getBytes(StandardCharsets.US_ASCII));
            System.arraycopy(bad, 0, wire, at, bad.length);
            assertRejected(wire, ErrorCode.INVALID_ID, field.field() + " is not valid UTF-8");
        }
    }

    /** Malformed UTF-8: a stray byte, an overlong NUL, a lone continuation, a surrogate, a cut sequence, > U+10FFFF. */
    static final List<byte[]> NOT_UTF8 = List.of(
            new byte[] {(byte) 0xFF},
            new byte[] {'a', (byte) 0xC0, (byte) 0x80},
            new byte[] {(byte) 0x80},
            new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80},
            new byte[] {'a', 'b', (byte) 0xE2, (byte) 0x82},
            new byte[] {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80});

    private static void assertInvalidId(SampleFrames.IdField field, String id, String problem) {
        assertRejected(encodeWithId(field, id), ErrorCode.INVALID_ID, field.field() + " " + problem);
    }

    private static byte[] encodeWithId(SampleFrames.IdField field, String id) {
        try (CodecChannel ch = new CodecChannel()) {
            return ch.encode(field.withId().apply(id));
        }
    }

    // ------------------------------------------------------------------ strings and maps

    @Test
    void aStringThatIsNotUtf8IsAProtocolError() {
        for (byte[] bad : NOT_UTF8) {
            int[] raw = new int[bad.length];
            for (int i = 0; i < bad.length; i++) {
                raw[i] = bad[i] & 0xFF;
            }
            assertRejected(WireBytes.body(FrameType.ERROR).i64(1).u16(1).str(raw).frame(),
                    ErrorCode.PROTOCOL_ERROR, "message is not valid UTF-8");
            assertRejected(WireBytes.body(FrameType.WELCOME).u16(1).str(raw).str("i").i64(1).u8(0).frame(),
                    ErrorCode.PROTOCOL_ERROR, "gatewayId is not valid UTF-8");
            assertRejected(WireBytes.body(FrameType.REGISTER).magicAndVersion(1).str("i").str(raw).i32(1).i32(1)
                    .u16(0).frame(), ErrorCode.PROTOCOL_ERROR, "address is not valid UTF-8");
            assertRejected(WireBytes.body(FrameType.HELLO).magicAndVersion(1).str("c").u16(1).str(raw).str("v").frame(),
                    ErrorCode.PROTOCOL_ERROR, "metadata key is not valid UTF-8");
            assertRejected(WireBytes.body(FrameType.ATTACH).str("c").i64(1).u16(1).str("k").str(raw).frame(),
                    ErrorCode.PROTOCOL_ERROR, "metadata value is not valid UTF-8");
            assertRejected(WireBytes.body(FrameType.CLIENT_ERROR).str("c").i64(1).i64(1).u16(11).str(raw).frame(),
                    ErrorCode.PROTOCOL_ERROR, "message is not valid UTF-8");
            assertRejected(WireBytes.body(FrameType.MEMBERS).i64(1).i32(1).str("i").str(raw).u8(1).frame(),
                    ErrorCode.PROTOCOL_ERROR, "address is not valid UTF-8");
            assertRejected(WireBytes.body(FrameType.GATEWAY_HELLO).magicAndVersion(1).str("gw").str(raw).str("")
                    .u8(0).frame(), ErrorCode.PROTOCOL_ERROR, "serviceAddress is not valid UTF-8");
            assertRejected(WireBytes.body(FrameType.GATEWAY_HELLO).magicAndVersion(1).str("gw").str("a").str(raw)
                    .u8(0).frame(), ErrorCode.PROTOCOL_ERROR, "adminAddress is not valid UTF-8");
            assertRejected(WireBytes.body(FrameType.GATEWAYS).i32(1).str("gw").str(raw).str("").u8(0).frame(),
                    ErrorCode.PROTOCOL_ERROR, "serviceAddress is not valid UTF-8");
            assertRejected(WireBytes.body(FrameType.GATEWAYS).i32(1).str("gw").str("a").str(raw).u8(0).frame(),
                    ErrorCode.PROTOCOL_ERROR, "adminAddress is not valid UTF-8");
            assertRejected(WireBytes.body(FrameType.PIN_CLAIM_RESULT).i64(1).u8(0).str("c").str(raw).i64(1).frame(),
                    ErrorCode.PROTOCOL_ERROR, "instanceId is not valid UTF-8");
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {65, 1000, 0xFFFF})
    void aMapOfMoreThan64EntriesIsRejectedBeforeItsEntriesAreRead(int count) {
        assertRejected(WireBytes.body(FrameType.HELLO).magicAndVersion(1).str("c").u16(count).frame(),
                ErrorCode.PROTOCOL_ERROR, "metadata has " + count + " entries (expected: at most 64)");
        assertRejected(WireBytes.body(FrameType.REGISTER).magicAndVersion(1).str("i").str("a").i32(1).i32(1)
                .u16(count).frame(), ErrorCode.PROTOCOL_ERROR, "labels has " + count + " entries (expected: at most 64)");
        assertRejected(WireBytes.body(FrameType.ATTACH).str("c").i64(1).u16(count).frame(),
                ErrorCode.PROTOCOL_ERROR, "metadata has " + count + " entries (expected: at most 64)");
    }

    @Test
    void aMapWithADuplicateKeyIsRejected() {
        assertRejected(WireBytes.body(FrameType.HELLO).magicAndVersion(1).str("c").u16(3)
                        .str("a").str("1").str("b").str("2").str("a").str("3").frame(),
                ErrorCode.PROTOCOL_ERROR, "metadata has the key \"a\" twice");
        assertRejected(WireBytes.body(FrameType.REGISTER).magicAndVersion(1).str("i").str("a").i32(1).i32(1)
                        .u16(2).str("zone").str("x").str("zone").str("x").frame(),
                ErrorCode.PROTOCOL_ERROR, "labels has the key \"zone\" twice");
    }

    // ------------------------------------------------------------------ field values

    @ParameterizedTest
    @ValueSource(ints = {-1, 4097, Integer.MAX_VALUE, Integer.MIN_VALUE})
    void anAnnounceCountOutOfRangeIsRejectedBeforeAnyEntryIsRead(int count) {
        assertRejected(WireBytes.body(FrameType.ANNOUNCE).i32(count).frame(), ErrorCode.PROTOCOL_ERROR,
                "ANNOUNCE count " + count + " (expected: 0 to 4096)");
    }

    @Test
    void anAnnounceCountThatDisagreesWithItsEntriesIsRejected() {
        assertRejected(WireBytes.body(FrameType.ANNOUNCE).i32(4096).frame(), ErrorCode.PROTOCOL_ERROR,
                "truncated ANNOUNCE frame: clientId length needs 2 bytes, 0 remain");
        assertRejected(WireBytes.body(FrameType.ANNOUNCE).i32(2).str("a").i64(1).frame(), ErrorCode.PROTOCOL_ERROR,
                "truncated ANNOUNCE frame: clientId length needs 2 bytes, 0 remain");
        assertRejected(WireBytes.body(FrameType.ANNOUNCE).i32(1).str("a").i64(1).str("b").i64(2).frame(),
                ErrorCode.PROTOCOL_ERROR, "ANNOUNCE frame has 11 unexpected trailing bytes");
        assertRejected(WireBytes.body(FrameType.ANNOUNCE).i32(0).str("a").i64(1).frame(),
                ErrorCode.PROTOCOL_ERROR, "ANNOUNCE frame has 11 unexpected trailing bytes");
    }

    @ParameterizedTest
    @ValueSource(ints = {-1, 4097, Integer.MAX_VALUE, Integer.MIN_VALUE})
    void aGatewaysCountOutOfRangeIsRejectedBeforeAnyEntryIsRead(int count) {
        assertRejected(WireBytes.body(FrameType.GATEWAYS).i32(count).frame(), ErrorCode.PROTOCOL_ERROR,
                "GATEWAYS count " + count + " (expected: 0 to 4096)");
    }

    @Test
    void aGatewaysCountThatDisagreesWithItsEntriesIsRejected() {
        assertRejected(WireBytes.body(FrameType.GATEWAYS).i32(4096).frame(), ErrorCode.PROTOCOL_ERROR,
                "truncated GATEWAYS frame: gatewayId length needs 2 bytes, 0 remain");
        assertRejected(WireBytes.body(FrameType.GATEWAYS).i32(2).str("a").str("h:1").str("").u8(1).frame(),
                ErrorCode.PROTOCOL_ERROR, "truncated GATEWAYS frame: gatewayId length needs 2 bytes, 0 remain");
        assertRejected(WireBytes.body(FrameType.GATEWAYS).i32(1).str("a").str("").str("").u8(1)
                .str("b").str("").str("").u8(0).frame(),
                ErrorCode.PROTOCOL_ERROR, "GATEWAYS frame has 8 unexpected trailing bytes");
        assertRejected(WireBytes.body(FrameType.GATEWAYS).i32(0).str("a").str("").str("").u8(1).frame(),
                ErrorCode.PROTOCOL_ERROR, "GATEWAYS frame has 8 unexpected trailing bytes");
    }

    @ParameterizedTest
    @ValueSource(ints = {-1, 4097, Integer.MAX_VALUE, Integer.MIN_VALUE})
    void aPinSyncCountOutOfRangeIsRejectedBeforeAnyEntryIsRead(int count) {
        for (int flags : new int[] {0, 1}) {
            assertRejected(WireBytes.body(FrameType.PIN_SYNC).u8(flags).i32(count).frame(), ErrorCode.PROTOCOL_ERROR,
                    "PIN_SYNC count " + count + " (expected: 0 to 4096)");
        }
    }

    @Test
    void aPinSyncCountThatDisagreesWithItsEntriesIsRejected() {
        assertRejected(WireBytes.body(FrameType.PIN_SYNC).u8(1).i32(4096).frame(), ErrorCode.PROTOCOL_ERROR,
                "truncated PIN_SYNC frame: clientId length needs 2 bytes, 0 remain");
        assertRejected(WireBytes.body(FrameType.PIN_SYNC).u8(0).i32(2).str("a").str("i").i64(1).frame(),
                ErrorCode.PROTOCOL_ERROR, "truncated PIN_SYNC frame: clientId length needs 2 bytes, 0 remain");
        assertRejected(WireBytes.body(FrameType.PIN_SYNC).u8(1).i32(1).str("a").str("i").i64(1)
                .str("b").str("i").i64(2).frame(),
                ErrorCode.PROTOCOL_ERROR, "PIN_SYNC frame has 14 unexpected trailing bytes");
        assertRejected(WireBytes.body(FrameType.PIN_SYNC).u8(1).i32(0).str("a").str("i").i64(1).frame(),
                ErrorCode.PROTOCOL_ERROR, "PIN_SYNC frame has 14 unexpected trailing bytes");
    }

    @ParameterizedTest
    @ValueSource(ints = {0, -1, Integer.MIN_VALUE})
    void aCapacityOrWeightBelowOneIsRejected(int value) {
        assertRejected(WireBytes.body(FrameType.REGISTER).magicAndVersion(1).str("i").str("a").i32(value).i32(1)
                .u16(0).frame(), ErrorCode.PROTOCOL_ERROR, "capacity: " + value + " (expected: > 0)");
        assertRejected(WireBytes.body(FrameType.REGISTER).magicAndVersion(1).str("i").str("a").i32(1).i32(value)
                .u16(0).frame(), ErrorCode.PROTOCOL_ERROR, "weight: " + value + " (expected: > 0)");
    }

    @ParameterizedTest
    @ValueSource(ints = {-1, Integer.MIN_VALUE})
    void aNegativeLoadCountIsRejected(int value) {
        assertRejected(WireBytes.body(FrameType.LOAD).i64(1).i32(value).i32(0).f64(0).i64(0).i64(0).f64(0).u8(0)
                .frame(), ErrorCode.PROTOCOL_ERROR, "clients: " + value + " (expected: >= 0)");
        assertRejected(WireBytes.body(FrameType.LOAD).i64(1).i32(0).i32(value).f64(0).i64(0).i64(0).f64(0).u8(0)
                .frame(), ErrorCode.PROTOCOL_ERROR, "inFlight: " + value + " (expected: >= 0)");
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 3, 0x80, 0xFF})
    void anUnknownDetachReasonIsRejected(int reason) {
        assertRejected(WireBytes.body(FrameType.DETACH).str("c").i64(1).u8(reason).frame(),
                ErrorCode.PROTOCOL_ERROR, "unknown detach reason " + reason);
    }

    // ------------------------------------------------------------------ encoding

    @Test
    void encodingAMapOfMoreThan64EntriesFailsWithoutLeaking() {
        Map<String, String> big = new LinkedHashMap<>();
        for (int i = 0; i < 65; i++) {
            big.put("k" + i, "v");
        }
        assertEncodeFails(new Frame.Hello(1, "c", big), "map of 65 entries (expected: at most 64)");
        assertEncodeFails(new Frame.Register(1, "i", "a", 1, 1, big), "map of 65 entries (expected: at most 64)");
        assertEncodeFails(new Frame.Attach("c", 1, big), "map of 65 entries (expected: at most 64)");
    }

    @Test
    void encodingMoreEntriesThanACountAllowsFails() {
        List<Frame.GatewayEntry> gateways = new ArrayList<>();
        List<Frame.SyncedPin> pins = new ArrayList<>();
        for (int i = 0; i <= 4096; i++) {
            gateways.add(new Frame.GatewayEntry("gw-" + i, "", "", false));
            pins.add(new Frame.SyncedPin("c-" + i, "svc", i));
        }
        assertEncodeFails(new Frame.Gateways(gateways), "GATEWAYS of 4097 gateways (expected: at most 4096)");
        assertEncodeFails(new Frame.PinSync(true, pins), "PIN_SYNC of 4097 pins (expected: at most 4096)");
    }

    @Test
    void encodingAStringOver65535BytesFailsWithoutLeaking() {
        String huge = "é".repeat(40_000);
        String problem = "string of 80000 UTF-8 bytes (expected: at most 65535)";
        assertEncodeFails(new Frame.Welcome(1, huge, "i", 1, true), problem);
        assertEncodeFails(new Frame.Hello(1, "c", Map.of("k", huge)), problem);
        assertEncodeFails(new Frame.GatewayHello(1, "gw", "a", huge, true), problem);
        assertEncodeFails(new Frame.Gateways(List.of(new Frame.GatewayEntry("gw", huge, "", false))), problem);
        assertEncodeFails(new Frame.PinClaimResult(1, false, "c", huge, 1), problem);
        ByteBuf small = Unpooled.wrappedBuffer(new byte[10]);
        assertEncodeFails(new Frame.ClientRequest(huge, 1, 1, small), problem);
        assertThat(small.refCnt()).as("the failed frame's payload is released").isZero();
        ByteBuf large = Unpooled.wrappedBuffer(new byte[5000]);
        assertEncodeFails(new Frame.ClientPush(huge, 1, large), problem);
        assertThat(large.refCnt()).as("the failed frame's payload is released").isZero();
    }

    @Test
    void loadReportsRejectNegativeCountsBeforeTheyAreSent() {
        assertThatThrownBy(() -> new LoadReport(0, -1, 0, 0, 0, 0, 0, true))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("clients: -1 (expected: >= 0)");
    }

    private static void assertEncodeFails(Frame frame, String message) {
        try (CodecChannel ch = new CodecChannel()) {
            assertThatThrownBy(() -> ch.channel.writeOutbound(frame))
                    .isInstanceOf(EncoderException.class)
                    .hasRootCauseInstanceOf(IllegalArgumentException.class)
                    .hasRootCauseMessage(message);
            assertThat((Object) ch.channel.readOutbound()).as("nothing was written").isNull();
        }
    }

    // ------------------------------------------------------------------ helpers

    /** Feeds {@code wire} and checks it fails with a {@link ProtocolException} of {@code code} and {@code message}. */
    static void assertRejected(byte[] wire, ErrorCode code, String message) {
        try (CodecChannel ch = new CodecChannel()) {
            assertThatThrownBy(() -> CodecChannel.release(ch.feed(wire)))
                    .isInstanceOfSatisfying(ProtocolException.class, e -> assertThat(e.code()).isEqualTo(code))
                    .hasMessage(message);
            assertThat(ch.readAll()).isEmpty();
        }
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new AssertionError("not found");
    }
}
