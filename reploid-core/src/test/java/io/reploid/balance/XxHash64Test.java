package io.reploid.balance;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class XxHash64Test {

    @Test
    void matchesReferenceVectors() {
        assertThat(XxHash64.hash(new byte[0], 0)).isEqualTo(0xEF46DB3751D8E999L);
        assertThat(XxHash64.hash("abc".getBytes(StandardCharsets.US_ASCII), 0)).isEqualTo(0x44BC2CF5AD770999L);
    }

    @Test
    void hashesAStringAsItsUtf16LittleEndianBytes() {
        StringBuilder s = new StringBuilder();
        for (int length = 0; length < 70; length++) {
            String str = s.toString();
            for (long seed : new long[] {0, 42, -1}) {
                assertThat(XxHash64.hash(str, seed)).as("length %d", length)
                        .isEqualTo(XxHash64.hash(str.getBytes(StandardCharsets.UTF_16LE), seed));
            }
            s.append((char) ('a' + length % 26 + (length % 7 == 0 ? 0x400 : 0)));
        }
    }

    @Test
    void mixIsABijectionThatSpreadsBits() {
        assertThat(XxHash64.mix(0)).isZero();
        assertThat(Long.bitCount(XxHash64.mix(1) ^ XxHash64.mix(2))).isBetween(16, 48);
    }
}
