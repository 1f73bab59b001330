package io.reploid.internal.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.reploid.ErrorCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IdsTest {

    @ParameterizedTest
    @ValueSource(strings = {"a", "client-42", "Zoë", "東京", "🚀", "with space", "\u00a0", "tab\u00adsoft", "a:b/c?d#e"})
    void acceptsPrintableIds(String id) {
        assertThat(Ids.problem(id)).isNull();
        assertThat(Ids.check("clientId", id)).isSameAs(id);
        assertThat(Ids.checkArgument("clientId", id)).isSameAs(id);
    }

    @Test
    void acceptsUpTo255Utf8Bytes() {
        assertThat(Ids.problem("a".repeat(255))).isNull();
        assertThat(Ids.problem("€".repeat(85))).isNull(); // 255 bytes
        assertThat(Ids.problem("🚀".repeat(63) + "abc")).isNull(); // 255 bytes
    }

    @Test
    void rejectsMissingAndEmptyIds() {
        assertThat(Ids.problem(null)).isEqualTo("is missing");
        assertThat(Ids.problem("")).isEqualTo("is empty (expected: 1 to 255 UTF-8 bytes)");
    }

    @Test
    void countsBytesNotCharacters() {
        assertThat(Ids.problem("a".repeat(256))).isEqualTo("is 256 bytes long (expected: at most 255 UTF-8 bytes)");
        assertThat(Ids.problem("é".repeat(128))).isEqualTo("is 256 bytes long (expected: at most 255 UTF-8 bytes)");
        assertThat(Ids.problem("🚀".repeat(64))).isEqualTo("is 256 bytes long (expected: at most 255 UTF-8 bytes)");
    }

    @Test
    void rejectsEveryC0AndC1ControlCharacterAndDelete() {
        for (char c = 0; c <= 0x9F; c++) {
            boolean control = c < 0x20 || c >= 0x7F;
            String problem = Ids.problem("ab" + c);
            if (control) {
                assertThat(problem).isEqualTo(String.format("contains control character U+%04X at index 2", (int) c));
            } else {
                assertThat(problem).as("U+%04X", (int) c).isNull();
            }
        }
    }

    @Test
    void rejectsUnpairedSurrogates() {
        assertThat(Ids.problem("\uD83D")).isEqualTo("contains an unpaired surrogate at index 0");
        assertThat(Ids.problem("a\uDE80")).isEqualTo("contains an unpaired surrogate at index 1");
        assertThat(Ids.problem("ab\uD83Dc")).isEqualTo("contains an unpaired surrogate at index 2");
        assertThat(Ids.problem("\uDE80\uD83D")).isEqualTo("contains an unpaired surrogate at index 0");
        assertThat(Ids.problem("\uD83D\uDE80\uD83D")).isEqualTo("contains an unpaired surrogate at index 2");
    }

    @Test
    void reportsTheFirstProblem() {
        assertThat(Ids.problem("a\u0000\uD83D")).startsWith("contains control character U+0000");
        assertThat(Ids.problem("x".repeat(300) + "\n")).startsWith("contains control character U+000A");
    }

    @Test
    void checkThrowsAnInvalidIdProtocolExceptionNamingTheField() {
        assertThatThrownBy(() -> Ids.check("instanceId", ""))
                .isInstanceOfSatisfying(ProtocolException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ID))
                .hasMessage("instanceId is empty (expected: 1 to 255 UTF-8 bytes)");
        assertThatThrownBy(() -> Ids.check("clientId", null))
                .isInstanceOf(ProtocolException.class)
                .hasMessage("clientId is missing");
    }

    @Test
    void checkArgumentThrowsAnIllegalArgumentExceptionForBuilders() {
        assertThatThrownBy(() -> Ids.checkArgument("clientId", "a\tb"))
                .isExactlyInstanceOf(IllegalArgumentException.class)
                .hasMessage("clientId contains control character U+0009 at index 1");
    }
}
