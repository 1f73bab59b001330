package io.reploid.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.reploid.health.HealthChecks;
import io.reploid.scaling.InstanceProvisioner;
import io.reploid.testing.FakeClock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Starts that never register stop counting after the start timeout; failed starts are errors. */
class AutoscalerStartTimeoutTest {
    private static final Duration PATIENCE = Duration.ofSeconds(60);

    /**
     * Says it starts instances, and starts nothing: with ids {@code ghost-N}, naming none, or failing with
     * {@code failure} when it is not null. Thread-safe.
     */
    static final class Unstartable implements InstanceProvisioner {
        final boolean named;
        final RuntimeException failure;
        final AtomicInteger asked = new AtomicInteger();

        Unstartable(boolean named, RuntimeException failure) {
            this.named = named;
            this.failure = failure;
        }

        @Override
        public String name() {
            return "unstartable";
        }

        @Override
        public CompletionStage<List<String>> scaleOut(int count) {
            int n = asked.incrementAndGet();
            if (failure != null) {
                return CompletableFuture.failedFuture(failure);
            }
            return CompletableFuture.completedFuture(named ? List.of("ghost-" + n) : List.of());
        }

        @Override
        public CompletionStage<Void> remove(String instanceId) {
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public List<String> managed() {
            return List.of();
        }
    }

    private static TestCluster cluster(FakeClock clock, InstanceProvisioner provisioner) {
        // The fake clock jumps minutes: judge instances by their connection only.
        return new TestCluster(b -> b.nanoClock(clock).healthCheck(HealthChecks.connection())
                .autoscale(new SteeredPolicy(1), provisioner).autoscaleInterval(Duration.ofMillis(200)));
    }

    private static long decisions(TestCluster cluster) {
        return Admin.get(cluster.gateway, "/api/autoscaler").get("decisions").asLong();
    }

    @ParameterizedTest(name = "named {0}")
    @ValueSource(booleans = {true, false})
    void aStartThatNeverRegistersIsGivenUpAfterTwoMinutes(boolean named) {
        FakeClock clock = new FakeClock();
        Unstartable provisioner = new Unstartable(named, null);
        try (TestCluster cluster = cluster(clock, provisioner)) {
            await().atMost(PATIENCE).until(() -> Admin.get(cluster.gateway, "/api/autoscaler")
                    .get("pendingStarts").asInt() == 1);
            JsonNode status = Admin.get(cluster.gateway, "/api/autoscaler");
            assertThat(status.get("starting").size()).isEqualTo(named ? 1 : 0);
            // The pending start counts: no second start while it is young.
            long seen = decisions(cluster);
            await().atMost(PATIENCE).until(() -> decisions(cluster) >= seen + 5);
            clock.advance(119, TimeUnit.SECONDS);
            long later = decisions(cluster);
            await().atMost(PATIENCE).until(() -> decisions(cluster) >= later + 3);
            assertThat(provisioner.asked).hasValue(1);
            assertThat(Admin.events(cluster.gateway, "scale-error")).isEmpty();

            clock.advance(2, TimeUnit.SECONDS);
            await().atMost(PATIENCE).until(() -> provisioner.asked.get() == 2);
            List<JsonNode> errors = Admin.events(cluster.gateway, "scale-error");
            assertThat(errors).hasSize(1);
            assertThat(errors.get(0).get("message").asText()).isEqualTo((named ? "ghost-1 did not register"
                    : "1 started instance did not register") + " within 120 s (unstartable); no longer counted as starting");
            assertThat(Admin.events(cluster.gateway, "scale-out")).hasSize(2);
        }
    }

    @Test
    void aFailedStartIsAnErrorAndIsTriedAgain() {
        Unstartable refusing = new Unstartable(true, new IllegalStateException("quota exceeded"));
        try (TestCluster cluster = cluster(new FakeClock(), refusing)) {
            await().atMost(PATIENCE).until(() -> refusing.asked.get() >= 2);
            await().atMost(PATIENCE).until(() -> Admin.events(cluster.gateway, "scale-error").size() >= 2);
            assertThat(Admin.events(cluster.gateway, "scale-error").get(0).get("message").asText())
                    .isEqualTo("starting 1 through unstartable failed: quota exceeded");
        }
    }
}
