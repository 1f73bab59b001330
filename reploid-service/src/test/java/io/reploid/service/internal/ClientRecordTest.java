package io.reploid.service.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.reploid.ErrorCode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClientRecordTest {

    @Test
    void roundTripsStateAndAnswers() throws IOException {
        List<RecentAnswers.Entry> answers = List.of(
                new RecentAnswers.Entry(1, 11, Answer.response(new byte[] {1, 2, 3})),
                new RecentAnswers.Entry(2, -5, Answer.error(ErrorCode.HANDLER_ERROR, "bœm ✓")),
                new RecentAnswers.Entry(Long.MAX_VALUE, 0, Answer.response(new byte[0])));
        ClientRecord decoded = ClientRecord.decode(ClientRecord.encode(new byte[] {9, 8}, answers));
        assertThat(decoded.state()).containsExactly(9, 8);
        assertThat(decoded.answers()).hasSize(3);
        assertThat(decoded.answers().get(0).answer().response()).containsExactly(1, 2, 3);
        assertThat(decoded.answers().get(1)).isEqualTo(answers.get(1));
        assertThat(decoded.answers().get(2).requestId()).isEqualTo(Long.MAX_VALUE);
        assertThat(decoded.answers().get(2).answer().response()).isEmpty();
    }

    @Test
    void aClientWithoutStateHasLengthMinusOne() throws IOException {
        byte[] data = ClientRecord.encode(null, List.of());
        assertThat(HexFormat.of().formatHex(data)).isEqualTo("01" + "ffffffff" + "00000000");
        assertThat(ClientRecord.decode(data).state()).isNull();
    }

    @Test
    void layoutIsTheDocumentedOne() {
        byte[] data = ClientRecord.encode(new byte[] {0x2a}, List.of(
                new RecentAnswers.Entry(7, 0x0102, Answer.response(new byte[] {0x6f, 0x6b})),
                new RecentAnswers.Entry(8, 3, Answer.error(ErrorCode.OVERLOADED, "é"))));
        assertThat(HexFormat.of().formatHex(data)).isEqualTo(
                "01" + "00000001" + "2a" + "00000002"
                        + "0000000000000007" + "0000000000000102" + "00" + "00000002" + "6f6b"
                        + "0000000000000008" + "0000000000000003" + "01" + "000d" + "00000002" + "c3a9");
    }

    @Test
    void rejectsWhatIsNotARecord() {
        assertRejected(new byte[0], "record of 0 bytes ends early");
        assertRejected(bytes(2, 0, 0, 0, 0, 0, 0, 0, 0), "unknown record format 2 (expected: 1)");
        assertRejected(bytes(1, 0, 0, 0, 5, 1, 2), "state length 5 (expected: 0 to 2)");
        assertRejected(bytes(1, 0xff, 0xff, 0xff, 0xfe), "state length -2 (expected: 0 to 0)");
        assertRejected(bytes(1, 0xff, 0xff, 0xff, 0xff, 0x7f, 0, 0, 0), "answer count 2130706432 does not fit the 0 bytes left");
        assertRejected(bytes(1, 0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0, 9), "1 trailing bytes");
        byte[] unknownKind = ByteBuffer.allocate(30).put((byte) 1).putInt(-1).putInt(1).putLong(4).putLong(0)
                .put((byte) 2).array();
        assertRejected(unknownKind, "unknown answer kind 2 of request 4");
        byte[] badUtf8 = ByteBuffer.allocate(34).put((byte) 1).putInt(-1).putInt(1).putLong(4).putLong(0)
                .put((byte) 1).putShort((short) 11).putInt(1).put((byte) 0xff).array();
        assertRejected(badUtf8, "error message is not valid UTF-8");
    }

    private static void assertRejected(byte[] data, String message) {
        assertThatThrownBy(() -> ClientRecord.decode(data)).isInstanceOf(IOException.class).hasMessage(message);
    }

    private static byte[] bytes(int... values) {
        byte[] b = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            b[i] = (byte) values[i];
        }
        return b;
    }
}
