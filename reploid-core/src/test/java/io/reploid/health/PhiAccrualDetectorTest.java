package io.reploid.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.reploid.testing.FakeClock;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class PhiAccrualDetectorTest {

    private static PhiAccrualDetector detector() {
        return new PhiAccrualDetector(100, 200, 50, 200);
    }

    @Test
    void regularHeartbeatsKeepPhiLow() {
        FakeClock clock = new FakeClock();
        PhiAccrualDetector d = detector();
        for (int i = 0; i < 50; i++) {
            d.heartbeat(clock.nanoTime());
            clock.advance(200, TimeUnit.MILLISECONDS);
        }
        assertThat(d.phi(clock.nanoTime())).isLessThan(1);
        assertThat(d.meanIntervalMillis()).isBetween(195.0, 205.0);
    }

    @Test
    void silenceRaisesPhiPastTheThresholdWithinASecond() {
        FakeClock clock = new FakeClock();
        PhiAccrualDetector d = detector();
        for (int i = 0; i < 50; i++) {
            d.heartbeat(clock.nanoTime());
            clock.advance(200, TimeUnit.MILLISECONDS);
        }
        d.heartbeat(clock.nanoTime());
        long crossed = -1;
        for (int ms = 0; ms <= 2000; ms += 10) {
            if (d.phi(clock.nanoTime() + TimeUnit.MILLISECONDS.toNanos(ms)) > HealthChecks.DEFAULT_PHI_THRESHOLD) {
                crossed = ms;
                break;
            }
        }
        // Not before the mean plus the acceptable pause; well before a second.
        assertThat(crossed).isBetween(400L, 1000L);
    }

    @Test
    void phiGrowsMonotonicallyWithSilence() {
        double last = -1;
        for (int ms = 0; ms < 3000; ms += 50) {
            double phi = PhiAccrualDetector.phi(ms, 400, 50);
            assertThat(phi).isGreaterThanOrEqualTo(last);
            last = phi;
        }
    }

    @Test
    void noHeartbeatMeansNoSuspicionYet() {
        assertThat(detector().phi(System.nanoTime())).isZero();
    }

    @Test
    void rejectsBadSettings() {
        assertThatThrownBy(() -> new PhiAccrualDetector(1, 200, 50, 0)).hasMessageContaining("windowSize: 1");
        assertThatThrownBy(() -> new PhiAccrualDetector(10, 0, 50, 0)).hasMessageContaining("firstIntervalMillis");
    }
}
