package io.reploid.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PersistenceTest {

    @Test
    void factories() {
        assertThat(Persistence.none().mode()).isEqualTo(Persistence.Mode.NONE);
        assertThat(Persistence.writeThrough().needsStore()).isTrue();
        assertThat(Persistence.writeBehind().flushInterval()).isEqualTo(Duration.ofMillis(100));
        assertThat(Persistence.writeBehind(Duration.ofSeconds(2)).flushInterval()).isEqualTo(Duration.ofSeconds(2));
        assertThat(Persistence.replicated(2).replicas()).isEqualTo(2);
        assertThat(Persistence.replicated(2).needsStore()).isFalse();
        assertThat(Persistence.replicated(2)).isEqualTo(Persistence.replicated(2)).isNotEqualTo(Persistence.replicated(3));
        assertThat(Persistence.replicated(2).hashCode()).isEqualTo(Persistence.replicated(2).hashCode());
    }

    @ParameterizedTest
    @ValueSource(strings = {"none", "write-through", "write-behind:100ms", "write-behind:2500ms", "replicated:1", "replicated:3"})
    void parsesWhatItPrints(String text) {
        assertThat(Persistence.parse(text)).hasToString(text);
        assertThat(Persistence.parse(" " + text.toUpperCase() + " ")).isEqualTo(Persistence.parse(text));
    }

    @Test
    void parsesTheShortForms() {
        assertThat(Persistence.parse("write-behind")).isEqualTo(Persistence.writeBehind());
        assertThat(Persistence.parse("replicated:2")).isEqualTo(Persistence.replicated(2));
    }

    @Test
    void rejectsBadTextWithTheAcceptedForms() {
        String forms = "(expected: none, write-through, write-behind, write-behind:<millis>ms or replicated:<k>)";
        assertThatThrownBy(() -> Persistence.parse("durable")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("persistence: 'durable' " + forms);
        assertThatThrownBy(() -> Persistence.parse("replicated")).hasMessage("persistence: 'replicated' " + forms);
        assertThatThrownBy(() -> Persistence.parse("replicated:0"))
                .hasMessage("persistence: 'replicated:0': k: 0 (expected: >= 1) " + forms);
        assertThatThrownBy(() -> Persistence.parse("replicated:two"))
                .hasMessageStartingWith("persistence: 'replicated:two': For input string");
        assertThatThrownBy(() -> Persistence.parse("write-behind:0ms"))
                .hasMessageContaining("flushInterval: PT0S (expected: >= 1 ms)");
        assertThatThrownBy(() -> Persistence.parse(null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void rejectsBadValuesAtOnce() {
        assertThatThrownBy(() -> Persistence.replicated(0)).hasMessage("k: 0 (expected: >= 1)");
        assertThatThrownBy(() -> Persistence.writeBehind(Duration.ZERO)).hasMessage("flushInterval: PT0S (expected: >= 1 ms)");
        assertThatThrownBy(() -> Persistence.writeBehind(null)).hasMessage("flushInterval");
    }
}
