package io.reploid.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.reploid.client.ReploidClient;
import io.reploid.service.ReploidService;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Live migration: clients move between instances with their state while they send requests, and none of
 * their requests fails, is lost or runs twice. Instances without any persistence: the state travels only
 * through the hand-over.
 */
class LiveMigrationTest {

    private static List<CounterLoop> loops(TestCluster cluster, int n, String prefix) {
        List<CounterLoop> loops = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ReploidClient c = cluster.client(prefix + i);
            CounterLoop loop = new CounterLoop(prefix + i, c);
            loop.start();
            loops.add(loop);
        }
        return loops;
    }

    private static void assertClean(List<CounterLoop> loops) {
        CompletableFuture.allOf(loops.stream().map(CounterLoop::stop).toArray(CompletableFuture[]::new))
                .orTimeout(30, TimeUnit.SECONDS).join();
        for (CounterLoop l : loops) {
            assertThat(l.failed()).as(l.toString()).isZero();
            assertThat(l.lost()).as(l.toString()).isZero();
            assertThat(l.duplicated()).as(l.toString()).isZero();
        }
    }

    @Test
    void drainingAnInstanceMovesItsActiveClientsWithTheirState() {
        try (TestCluster cluster = new TestCluster()) {
            cluster.addInstance("a", 1000);
            List<CounterLoop> loops = loops(cluster, 40, "m");
            cluster.addInstance("b", 1000);
            cluster.addInstance("c", 1000);
            await().atMost(Duration.ofSeconds(30)).until(() -> loops.stream().allMatch(l -> l.acks() >= 20));
            assertThat(cluster.gateway.drain("a")).isTrue();
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                assertThat(cluster.services.get("a").clientCount()).isZero();
                assertThat(cluster.gateway.instances().stream().filter(i -> i.id().equals("a")).findFirst()
                        .orElseThrow().clients()).isZero();
            });
            loops.forEach(CounterLoop::mark);
            await().atMost(Duration.ofSeconds(30)).until(() -> loops.stream().allMatch(l -> l.acksSinceMark() >= 10));
            for (CounterLoop l : loops) {
                assertThat(l.instance()).as(l.toString()).isIn("b", "c");
            }
            assertClean(loops);
        }
    }

    @Test
    void anInstanceThatDrainsItselfBeforeClosingLosesNoClient() throws Exception {
        try (TestCluster cluster = new TestCluster()) {
            ReploidService a = cluster.addInstance("a", 1000);
            List<CounterLoop> loops = loops(cluster, 20, "s");
            cluster.addInstance("b", 1000);
            await().atMost(Duration.ofSeconds(30)).until(() -> loops.stream().allMatch(l -> l.acks() >= 20));
            a.drain().get(60, TimeUnit.SECONDS);
            a.close();
            cluster.services.remove("a");
            loops.forEach(CounterLoop::mark);
            await().atMost(Duration.ofSeconds(30)).until(() -> loops.stream().allMatch(l -> l.acksSinceMark() >= 10));
            assertClean(loops);
        }
    }

    @Test
    void aRollingRestartOfEveryInstanceIsInvisibleToClients() throws Exception {
        try (TestCluster cluster = new TestCluster()) {
            for (String id : List.of("r1", "r2", "r3")) {
                cluster.addInstance(id, 1000);
            }
            List<CounterLoop> loops = loops(cluster, 30, "roll");
            await().atMost(Duration.ofSeconds(30)).until(() -> loops.stream().allMatch(l -> l.acks() >= 10));
            for (String id : List.of("r1", "r2", "r3")) {
                ReploidService old = cluster.services.remove(id);
                old.drain().get(60, TimeUnit.SECONDS);
                old.close();
                cluster.addInstance(id, 1000); // the same id again, as a restarted pod would
                loops.forEach(CounterLoop::mark);
                await().atMost(Duration.ofSeconds(30)).until(() -> loops.stream().allMatch(l -> l.acksSinceMark() >= 5));
            }
            assertClean(loops);
        }
    }

    @Test
    void disconnectedClientsMoveWithTheirStateToo() {
        try (TestCluster cluster = new TestCluster()) {
            cluster.addInstance("a", 1000);
            for (int i = 0; i < 10; i++) {
                ReploidClient c = cluster.client("d" + i);
                for (int k = 0; k < 3; k++) {
                    TestCluster.call(c, "incr");
                }
                c.close();
            }
            cluster.addInstance("b", 1000);
            cluster.gateway.drain("a");
            await().atMost(Duration.ofSeconds(60)).untilAsserted(
                    () -> assertThat(cluster.services.get("a").clientCount()).isZero());
            for (int i = 0; i < 10; i++) {
                assertThat(cluster.gateway.pinnedInstance("d" + i)).contains("b");
                ReploidClient c = cluster.client("d" + i);
                assertThat(TestCluster.call(c, "incr")).isEqualTo("b:4");
            }
        }
    }
}
