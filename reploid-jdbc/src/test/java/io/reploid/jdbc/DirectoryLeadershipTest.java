package io.reploid.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.reploid.directory.GatewayMember;
import io.reploid.jdbc.DirectoryCluster.Gateway;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/**
 * Leadership and membership through the JDBC directory, lease 1 s: never two leaders, a quick takeover when
 * the leader closes, the list of gateways with their liveness.
 */
class DirectoryLeadershipTest {
    /** Generous, for a slow machine: takeovers need a third of a lease after a release, a lease after a crash. */
    private static final Duration PATIENCE = Duration.ofSeconds(30);
    private static final int HANDOVERS = 4;

    /**
     * Two gateways; the leader changes again and again, in turns because it closes (and comes back) and
     * because it is cut off from the database for longer than the lease (and reconnects), while a sampler
     * checks that the two never lead at once.
     */
    @Test
    void neverTwoLeadersWhileTheLeaderChanges() throws Exception {
        try (DirectoryCluster cluster = new DirectoryCluster()) {
            List<Gateway> running = new CopyOnWriteArrayList<>(
                    List.of(cluster.startCuttable("gw-a"), cluster.startCuttable("gw-b")));
            Sampler sampler = new Sampler(running);
            sampler.start();
            try {
                for (int handover = 0; handover < HANDOVERS; handover++) {
                    Gateway leader = awaitOneLeadingGateway(running);
                    Gateway other = running.get(1 - running.indexOf(leader));
                    if (handover % 2 == 0) {
                        leader.directory().close();
                        assertThat(leader.directory().isLeader()).isFalse();
                        await().atMost(PATIENCE).until(other.directory()::isLeader);
                        running.set(running.indexOf(leader), cluster.startCuttable(leader.id())); // it comes back
                    } else {
                        leader.cutOff();
                        await().atMost(PATIENCE).until(other.directory()::isLeader);
                        assertThat(leader.directory().isLeader()).isFalse();
                        leader.reconnect();
                    }
                }
                awaitOneLeadingGateway(running);
            } finally {
                sampler.stop();
            }
            assertThat(sampler.overlap.get()).as("two leaders at once").isNull();
            assertThat(sampler.samples.get()).isPositive();
        }
    }

    @Test
    void aClosingLeaderReleasesTheLeaseAndTheOtherGatewayLeads() throws Exception {
        try (DirectoryCluster cluster = new DirectoryCluster()) {
            JdbcPinDirectory a = cluster.start("gw-a");
            JdbcPinDirectory b = cluster.start("gw-b");
            JdbcPinDirectory leader = awaitOneLeader(List.of(a, b));
            JdbcPinDirectory other = leader == a ? b : a;
            String leaderId = leader == a ? "gw-a" : "gw-b";

            leader.close();
            assertThat(leader.isLeader()).isFalse();
            // Released, not merely left to run out: free, or already taken by the other gateway.
            try (Connection c = cluster.server().dataSource().getConnection(); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT holder FROM " + cluster.prefix + "leases")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isNotEqualTo(leaderId);
            }
            await().atMost(PATIENCE).until(other::isLeader);
            await().atMost(PATIENCE).untilAsserted(() -> assertThat(other.gateways())
                    .extracting(GatewayMember::gatewayId).as("after its next heartbeat").doesNotContain(leaderId));
        }
    }

    @Test
    void gatewaysListsEveryGatewayWithLivenessAndTheLeader() throws Exception {
        try (DirectoryCluster cluster = new DirectoryCluster()) {
            JdbcPinDirectory a = cluster.start("gw-a");
            JdbcPinDirectory b = cluster.start("gw-b");
            assertThat(a.gateways()).as("before the first heartbeat: itself").extracting(GatewayMember::gatewayId)
                    .contains("gw-a");

            for (JdbcPinDirectory d : List.of(a, b)) {
                await().atMost(PATIENCE).untilAsserted(() -> {
                    List<GatewayMember> members = d.gateways();
                    assertThat(members).extracting(GatewayMember::gatewayId).containsExactly("gw-a", "gw-b");
                    assertThat(members).allMatch(GatewayMember::live);
                    assertThat(members).filteredOn(GatewayMember::leader).hasSize(1);
                });
            }
            GatewayMember listed = a.gateways().stream().filter(m -> m.gatewayId().equals("gw-b")).findFirst().orElseThrow();
            assertThat(listed.serviceAddress()).isEqualTo("gw-b.example:7000");
            assertThat(listed.adminAddress()).isEqualTo("gw-b.example:8000");

            // A gateway that crashed long ago: listed, not live, not leading.
            try (Connection c = cluster.server().dataSource().getConnection(); Statement s = c.createStatement()) {
                s.executeUpdate("INSERT INTO " + cluster.prefix + "gateways VALUES "
                        + "('gw-0', 'gw-0.example:7000', '', now() - interval '1 hour')");
            }
            await().atMost(PATIENCE).untilAsserted(() -> assertThat(a.gateways())
                    .contains(new GatewayMember("gw-0", "gw-0.example:7000", "", false, false)));

            b.close();
            await().atMost(PATIENCE).untilAsserted(() -> assertThat(a.gateways())
                    .extracting(GatewayMember::gatewayId).containsExactly("gw-0", "gw-a"));
            await().atMost(PATIENCE).untilAsserted(() -> assertThat(a.gateways())
                    .contains(new GatewayMember("gw-a", "gw-a.example:7000", "gw-a.example:8000", true, true)));
        }
    }

    private static JdbcPinDirectory awaitOneLeader(List<JdbcPinDirectory> directories) {
        AtomicReference<JdbcPinDirectory> leader = new AtomicReference<>();
        await().atMost(PATIENCE).until(() -> {
            List<JdbcPinDirectory> leading = directories.stream().filter(JdbcPinDirectory::isLeader).toList();
            leader.set(leading.size() == 1 ? leading.get(0) : null);
            return leader.get() != null;
        });
        return leader.get();
    }

    private static Gateway awaitOneLeadingGateway(List<Gateway> gateways) {
        AtomicReference<Gateway> leader = new AtomicReference<>();
        await().atMost(PATIENCE).until(() -> {
            List<Gateway> leading = gateways.stream().filter(g -> g.directory().isLeader()).toList();
            leader.set(leading.size() == 1 ? leading.get(0) : null);
            return leader.get() != null;
        });
        return leader.get();
    }

    /**
     * Samples every running directory, over and over, on a thread of its own. A sample of two directories
     * reads x, y, then x again: both leading at once is recorded only when x leads at the first and the third
     * read and y at the second, which two gateways taking turns cannot produce within one sample (the lease
     * runs out between them).
     */
    private static final class Sampler {
        final AtomicReference<String> overlap = new AtomicReference<>();
        final AtomicLong samples = new AtomicLong();
        private final List<Gateway> running;
        private final AtomicBoolean stopped = new AtomicBoolean();
        private final Thread thread;

        Sampler(List<Gateway> running) {
            this.running = running;
            thread = new Thread(this::run, "leader-sampler");
            thread.setDaemon(true);
        }

        void start() {
            thread.start();
        }

        void stop() throws InterruptedException {
            stopped.set(true);
            thread.join();
        }

        private void run() {
            while (!stopped.get()) {
                List<Gateway> now = List.copyOf(running);
                for (Gateway x : now) {
                    for (Gateway y : now) {
                        if (x != y && x.directory().isLeader() && y.directory().isLeader() && x.directory().isLeader()) {
                            overlap.compareAndSet(null, x.id() + " and " + y.id());
                        }
                    }
                }
                samples.incrementAndGet();
                LockSupport.parkNanos(100_000); // leaves the other core to the gateways
            }
        }
    }
}
