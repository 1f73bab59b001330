package io.reploid.service.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.reploid.ErrorCode;
import java.util.List;
import org.junit.jupiter.api.Test;

class RecentAnswersTest {
    private static final Answer ONE = Answer.response(new byte[] {1});
    private static final Answer TWO = Answer.response(new byte[] {2});

    @Test
    void findsAnAnswerByIdAndPayload() {
        RecentAnswers answers = new RecentAnswers(4);
        answers.put(1, 10, ONE);
        assertThat(answers.find(1, 10)).isSameAs(ONE);
        assertThat(answers.find(1, 11)).as("the same id with another payload is another request").isNull();
        assertThat(answers.find(2, 10)).isNull();
    }

    @Test
    void forgetsTheOldestBeyondItsCapacity() {
        RecentAnswers answers = new RecentAnswers(3);
        for (long id = 1; id <= 5; id++) {
            answers.put(id, 0, ONE);
        }
        assertThat(answers.entries()).extracting(RecentAnswers.Entry::requestId).containsExactly(3L, 4L, 5L);
        answers.put(3, 0, TWO); // answered again: now the newest
        answers.put(6, 0, ONE);
        assertThat(answers.entries()).extracting(RecentAnswers.Entry::requestId).containsExactly(5L, 3L, 6L);
    }

    @Test
    void replacesItsEntriesKeepingTheNewest() {
        RecentAnswers answers = new RecentAnswers(2);
        answers.put(9, 0, ONE);
        answers.replaceAll(List.of(new RecentAnswers.Entry(1, 0, ONE), new RecentAnswers.Entry(2, 0, TWO),
                new RecentAnswers.Entry(3, 0, Answer.error(ErrorCode.HANDLER_ERROR, "x"))));
        assertThat(answers.entries()).extracting(RecentAnswers.Entry::requestId).containsExactly(2L, 3L);
        assertThat(answers.size()).isEqualTo(2);
    }

    @Test
    void fingerprintsDependOnEveryByteAndTheLength() {
        assertThat(RecentAnswers.fingerprint(new byte[] {1, 2})).isNotEqualTo(RecentAnswers.fingerprint(new byte[] {2, 1}));
        assertThat(RecentAnswers.fingerprint(new byte[0])).isNotEqualTo(RecentAnswers.fingerprint(new byte[1]));
        assertThat(RecentAnswers.fingerprint("inc".getBytes())).isEqualTo(RecentAnswers.fingerprint("inc".getBytes()));
    }

    @Test
    void needsACapacity() {
        assertThatThrownBy(() -> new RecentAnswers(0)).hasMessage("capacity: 0 (expected: > 0)");
    }
}
