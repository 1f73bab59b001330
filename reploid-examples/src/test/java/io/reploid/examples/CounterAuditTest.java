package io.reploid.examples;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CounterAuditTest {
    private final CounterAudit audit = new CounterAudit();

    /** Feeds a sequence: a number is an acknowledged value, 'x' a failed request. */
    private CounterAudit feed(Object... events) {
        for (Object e : events) {
            if (e instanceof Integer) {
                audit.acknowledged((Integer) e);
            } else {
                audit.failed();
            }
        }
        return audit;
    }

    @Test
    void consecutiveValuesAreClean() {
        feed(1, 2, 3, 4, 5);
        assertThat(audit.lost()).isZero();
        assertThat(audit.duplicated()).isZero();
        assertThat(audit.uncertain()).isZero();
        assertThat(audit.acked()).isEqualTo(5);
    }

    @Test
    void aRestartedCounterLosesEveryAcknowledgedIncrement() {
        feed(1, 2, 3, 4, 1, 2);
        assertThat(audit.lost()).isEqualTo(4); // expected 5, got 1
        assertThat(audit.duplicated()).isZero();
    }

    @Test
    void aRepeatedValueIsOneLostIncrement() {
        feed(1, 2, 2, 3);
        assertThat(audit.lost()).isEqualTo(1);
        assertThat(audit.duplicated()).isZero();
    }

    @Test
    void aFirstValueAboveOneIsADuplicate() {
        feed(2);
        assertThat(audit.duplicated()).isEqualTo(1);
        assertThat(audit.lost()).isZero();
    }

    @Test
    void aJumpIsDuplicatedUnlessExplainedByFailedRequests() {
        feed(1, 3, 4);
        assertThat(audit.duplicated()).isEqualTo(1);

        CounterAudit explained = new CounterAudit();
        explained.acknowledged(1);
        explained.failed();
        explained.acknowledged(3); // the failed request was applied after all
        explained.acknowledged(4);
        assertThat(explained.duplicated()).isZero();
        assertThat(explained.uncertain()).isZero();
    }

    @Test
    void aFailedRequestThatWasNotAppliedStaysUncertain() {
        feed(1, "x", 2, 3);
        assertThat(audit.lost()).isZero();
        assertThat(audit.duplicated()).isZero();
        assertThat(audit.uncertain()).isEqualTo(1);
    }

    @Test
    void eachFailedRequestExplainsAtMostOneIncrement() {
        feed(1, "x", "x", 5);
        assertThat(audit.duplicated()).isEqualTo(1); // gap 3, two explained
        assertThat(audit.uncertain()).isZero();
        feed(6, 8);
        assertThat(audit.duplicated()).isEqualTo(2); // nothing left to explain the second jump
    }

    @Test
    void anUncertainRequestAppliedLaterStillExplainsAJump() {
        feed(1, "x", 2, 3, 5);
        assertThat(audit.duplicated()).isZero();
        assertThat(audit.uncertain()).isZero();
    }

    @Test
    void lossAndDuplicationAreCountedFromTheNewValue() {
        feed(1, 2, 3, 2, 3, 4, 6, 7);
        assertThat(audit.lost()).isEqualTo(2); // expected 4, got 2
        assertThat(audit.duplicated()).isEqualTo(1); // expected 5, got 6
        assertThat(audit.acked()).isEqualTo(7);
    }

    @Test
    void uncertainRequestsNeverExplainALoss() {
        feed(1, 2, "x", 1);
        assertThat(audit.lost()).isEqualTo(2);
        assertThat(audit.uncertain()).isEqualTo(1);
    }
}
