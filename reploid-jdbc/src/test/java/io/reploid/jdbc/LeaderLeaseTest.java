package io.reploid.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The gateway's belief in its lease, on a fake monotonic clock: lease 5 s, so belief lasts 4 s from sending. */
class LeaderLeaseTest {
    private static final long SECOND = 1_000_000_000L;

    private final AtomicLong clock = new AtomicLong(42 * SECOND);
    private final LeaderLease lease = new LeaderLease(Duration.ofSeconds(5), clock::get);

    @Test
    void noGrantNoLeadership() {
        assertThat(lease.held()).isFalse();
        assertThat(lease.term()).isZero();
    }

    @Test
    void beliefEndsAFifthOfTheLeaseBeforeTheDatabaseLetsAnotherGatewayTakeOver() {
        long sent = lease.now();
        clock.addAndGet(2 * SECOND); // a slow answer: the belief still counts from the sending
        lease.granted(sent, 7);
        assertThat(lease.held()).isTrue();
        assertThat(lease.term()).isEqualTo(7);

        clock.set(sent + 4 * SECOND - 1);
        assertThat(lease.held()).isTrue();
        clock.set(sent + 4 * SECOND);
        assertThat(lease.held()).isFalse();
    }

    @Test
    void aRenewalExtendsTheBelief() {
        lease.granted(lease.now(), 1);
        clock.addAndGet(3 * SECOND);
        long renewal = lease.now();
        lease.granted(renewal, 1);
        clock.set(renewal + 4 * SECOND - 1);
        assertThat(lease.held()).isTrue();
    }

    @Test
    void aRefusalEndsTheBeliefAtOnce() {
        lease.granted(lease.now(), 1);
        lease.refused();
        assertThat(lease.held()).isFalse();
        assertThat(lease.term()).isZero();
    }

    @Test
    void afterStopGrantsAreIgnored() {
        lease.granted(lease.now(), 1);
        lease.stop();
        assertThat(lease.held()).isFalse();
        lease.granted(lease.now(), 2);
        assertThat(lease.held()).isFalse();
    }

    @Test
    void monotonicClockMayWrapAround() {
        clock.set(Long.MAX_VALUE - SECOND);
        long sent = lease.now();
        lease.granted(sent, 1);
        clock.addAndGet(2 * SECOND); // past Long.MAX_VALUE
        assertThat(lease.held()).isTrue();
        clock.set(sent + 4 * SECOND);
        assertThat(lease.held()).isFalse();
    }
}
