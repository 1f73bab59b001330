package io.reploid.jdbc;

import static io.reploid.jdbc.DirectoryCluster.member;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.reploid.directory.ClaimOutcome;
import io.reploid.directory.DirectoryPin;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;

/** Pins in the JDBC directory, on a real PostgreSQL server: compare-and-set claims, lookups, removals. */
class JdbcPinDirectoryTest {
    private static final int GATEWAYS = 4;
    private static final int ROUNDS = 200;

    private final PostgresServer server = SharedPostgres.server();

    @Test
    void concurrentClaimsForOneClientFromFourGatewaysHaveExactlyOneWinner() throws Exception {
        ExecutorService callers = Executors.newFixedThreadPool(GATEWAYS);
        try (DirectoryCluster cluster = new DirectoryCluster()) {
            // Started together on fresh tables: their first claims race with each other's table creation.
            List<JdbcPinDirectory> gateways = new ArrayList<>();
            for (int g = 0; g < GATEWAYS; g++) {
                gateways.add(cluster.start("gw-" + g));
            }
            for (int round = 0; round < ROUNDS; round++) {
                String client = "client-" + round;

                List<ClaimOutcome> first = claimTogether(callers, gateways,
                        g -> gateways.get(g).claim(client, new DirectoryPin("instance-" + g, 1000 + g), 0));
                DirectoryPin pin = onlyWinner(first, client);
                assertThat(pin.epoch()).isEqualTo(1000 + Integer.parseInt(pin.instanceId().substring(9)));

                // Every gateway moves the client away from that pin, proposing epochs that are too small.
                List<ClaimOutcome> moves = claimTogether(callers, gateways,
                        g -> gateways.get(g).claim(client, new DirectoryPin("mover-" + g, 1 + g), pin.epoch()));
                DirectoryPin moved = onlyWinner(moves, client);
                assertThat(moved.epoch()).isEqualTo(pin.epoch() + 1);

                assertThat(get(gateways.get(round % GATEWAYS).lookup(client))).contains(moved);
            }
        } finally {
            callers.shutdownNow();
        }
    }

    @Test
    void aClaimWinsOnlyIfThePinStillHasTheExpectedEpoch() throws Exception {
        try (DirectoryCluster cluster = new DirectoryCluster()) {
            JdbcPinDirectory a = cluster.start("gw-a");
            JdbcPinDirectory b = cluster.start("gw-b");
            DirectoryPin first = new DirectoryPin("i1", 10);
            assertThat(get(a.claim("alice", first, 0))).isEqualTo(ClaimOutcome.won(first));

            DirectoryPin second = new DirectoryPin("i2", 20);
            assertThat(get(b.claim("alice", second, 10))).isEqualTo(ClaimOutcome.won(second));

            assertThat(get(a.claim("alice", new DirectoryPin("i3", 30), 10)))
                    .as("stale expected epoch").isEqualTo(ClaimOutcome.lost(second));
            assertThat(get(a.claim("alice", new DirectoryPin("i3", 30), 0)))
                    .as("a first pin for a client that has one").isEqualTo(ClaimOutcome.lost(second));
            assertThat(get(a.claim("alice", new DirectoryPin("i3", 30), 25)))
                    .as("an epoch the client never had").isEqualTo(ClaimOutcome.lost(second));
            assertThat(get(a.lookup("alice"))).contains(second);
        }
    }

    @Test
    void epochsGrowEvenWhenTheProposalIsSmaller() throws Exception {
        try (DirectoryCluster cluster = new DirectoryCluster()) {
            JdbcPinDirectory d = cluster.start("gw-a");
            get(d.claim("bob", new DirectoryPin("i1", 100), 0));

            assertThat(get(d.claim("bob", new DirectoryPin("i2", 5), 100)))
                    .isEqualTo(ClaimOutcome.won(new DirectoryPin("i2", 101)));
            assertThat(get(d.claim("bob", new DirectoryPin("i1", 101), 101)))
                    .as("a proposal equal to the old epoch").isEqualTo(ClaimOutcome.won(new DirectoryPin("i1", 102)));
            assertThat(get(d.claim("bob", new DirectoryPin("i3", 500), 102)))
                    .as("a larger proposal is kept").isEqualTo(ClaimOutcome.won(new DirectoryPin("i3", 500)));
        }
    }

    @Test
    void aMoveOfAClientWithoutPinMakesAFirstPin() throws Exception {
        try (DirectoryCluster cluster = new DirectoryCluster()) {
            JdbcPinDirectory d = cluster.start("gw-a");
            DirectoryPin pin = new DirectoryPin("i1", 7);
            assertThat(get(d.claim("carol", pin, 3))).isEqualTo(ClaimOutcome.won(pin));
            assertThat(get(d.lookup("carol"))).contains(pin);
        }
    }

    @Test
    void lookupAndRemove() throws Exception {
        try (DirectoryCluster cluster = new DirectoryCluster()) {
            JdbcPinDirectory d = cluster.start("gw-a");
            assertThat(get(d.lookup("dave"))).isEmpty();
            DirectoryPin pin = new DirectoryPin("i1", 5);
            get(d.claim("dave", pin, 0));
            assertThat(get(d.lookup("dave"))).contains(pin);

            assertThat(get(d.removeIfCurrent("dave", new DirectoryPin("i1", 4)))).as("wrong epoch").isFalse();
            assertThat(get(d.removeIfCurrent("dave", new DirectoryPin("i2", 5)))).as("wrong instance").isFalse();
            assertThat(get(d.lookup("dave"))).contains(pin);

            d.remove("dave", pin);
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(get(d.lookup("dave"))).isEmpty());
            assertThat(get(d.removeIfCurrent("dave", pin))).as("already removed").isFalse();
        }
    }

    @Test
    void createsTheDocumentedTables() throws Exception {
        try (DirectoryCluster cluster = new DirectoryCluster()) {
            JdbcPinDirectory d = cluster.start("gw-a");
            get(d.lookup("anyone"));

            assertThat(columns(cluster.prefix + "pins")).containsExactly(
                    Map.entry("client_id", "text not null"),
                    Map.entry("instance_id", "text not null"),
                    Map.entry("epoch", "bigint not null"));
            assertThat(columns(cluster.prefix + "gateways")).containsExactly(
                    Map.entry("gateway_id", "text not null"),
                    Map.entry("service_address", "text not null"),
                    Map.entry("admin_address", "text not null"),
                    Map.entry("last_seen", "timestamp with time zone not null"));
            assertThat(columns(cluster.prefix + "leases")).containsExactly(
                    Map.entry("name", "text not null"),
                    Map.entry("holder", "text"),
                    Map.entry("term", "bigint not null"),
                    Map.entry("expires_at", "timestamp with time zone not null"));
        }
    }

    @Test
    void usesAGivenDataSourceAndLeavesItOpen() throws Exception {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(server.jdbcUrl());
        config.setUsername(PostgresServer.USER);
        config.setMaximumPoolSize(5);
        try (HikariDataSource pool = new HikariDataSource(config)) {
            String prefix = SharedPostgres.newPrefix();
            try (JdbcPinDirectory d = JdbcPinDirectory.builder(pool).tablePrefix(prefix).build()) {
                assertThat(d.describe()).startsWith("jdbc DataSource ");
                d.start(member("gw-a"));
                DirectoryPin pin = new DirectoryPin("i1", 1);
                assertThat(get(d.claim("erin", pin, 0))).isEqualTo(ClaimOutcome.won(pin));
                assertThat(d.describe()).isEqualTo("postgresql " + server.jdbcUrl());
            }
            assertThat(pool.isClosed()).isFalse();
            try (Connection c = pool.getConnection(); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT instance_id FROM " + prefix + "pins WHERE client_id = 'erin'")) {
                assertThat(rs.next()).isTrue();
                assertThat(c.getAutoCommit()).isTrue();
            }
        }
    }

    @Test
    void aClosedDirectoryRefusesWork() throws Exception {
        JdbcPinDirectory d = JdbcPinDirectory.connect(server.jdbcUrl() + "?user=" + PostgresServer.USER);
        assertThat(d.describe()).isEqualTo("postgresql " + server.jdbcUrl() + "?user=" + PostgresServer.USER);
        d.start(member("gw-a"));
        assertThatThrownBy(() -> d.start(member("gw-a"))).isInstanceOf(IllegalStateException.class)
                .hasMessageEndingWith("is already started");
        d.close();
        d.close();

        assertThatThrownBy(() -> get(d.claim("frank", new DirectoryPin("i1", 1), 0)))
                .isInstanceOf(DirectoryException.class)
                .hasMessageStartingWith("claim of client 'frank' failed: the directory is closed");
        assertThat(d.isLeader()).isFalse();
        d.remove("frank", new DirectoryPin("i1", 1)); // logged, not thrown
    }

    @Test
    void builderValidatesEagerly() {
        JdbcPinDirectoryBuilder builder = JdbcPinDirectory.builder("jdbc:postgresql://127.0.0.1:1/db");
        assertThatThrownBy(() -> builder.leaseDuration(Duration.ofMillis(100)))
                .hasMessage("leaseDuration: PT0.1S (expected: >= PT0.3S)");
        assertThatThrownBy(() -> builder.heartbeatInterval(Duration.ZERO))
                .hasMessage("heartbeatInterval: PT0S (expected: >= PT0.05S)");
        assertThatThrownBy(() -> builder.tablePrefix("x; DROP TABLE users; --"))
                .hasMessageStartingWith("tablePrefix: 'x; DROP TABLE users; --' (expected: the start of an SQL identifier");
        assertThatThrownBy(() -> builder.tablePrefix("a".repeat(56))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> builder.leaseDuration(null)).isInstanceOf(NullPointerException.class)
                .hasMessage("leaseDuration");
        builder.tablePrefix("").tablePrefix("app.").tablePrefix("app.edge_");
        assertThatThrownBy(() -> JdbcPinDirectory.builder("postgres://db/app?password=pw"))
                .hasMessage("jdbcUrl: 'postgres://db/app?password=***' (expected: a JDBC URL such as "
                        + "jdbc:postgresql://localhost:5432/app)");
        assertThatThrownBy(() -> JdbcPinDirectory.builder(server.dataSource()).user("u").build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("user: set, but the directory uses the given DataSource (expected: configure the DataSource itself)");
    }

    @Test
    void claimArgumentsAreChecked() {
        try (JdbcPinDirectory d = JdbcPinDirectory.connect("jdbc:postgresql://127.0.0.1:1/db")) {
            assertThatThrownBy(() -> d.claim("a", new DirectoryPin("i", 1), -1))
                    .hasMessage("expectedEpoch: -1 (expected: >= 0)");
            assertThatThrownBy(() -> d.claim(null, new DirectoryPin("i", 1), 0)).hasMessage("clientId");
            assertThatThrownBy(() -> d.claim("a", null, 0)).hasMessage("proposed");
        }
    }

    /** Runs {@code claim(g)} for every gateway g on its own thread, released at once. */
    private static List<ClaimOutcome> claimTogether(ExecutorService callers, List<JdbcPinDirectory> gateways,
            IntFunction<CompletionStage<ClaimOutcome>> claim) throws Exception {
        CountDownLatch go = new CountDownLatch(1);
        List<Future<CompletableFuture<ClaimOutcome>>> issued = new ArrayList<>();
        for (int g = 0; g < gateways.size(); g++) {
            int gateway = g;
            issued.add(callers.submit(() -> {
                go.await();
                return claim.apply(gateway).toCompletableFuture();
            }));
        }
        go.countDown();
        List<ClaimOutcome> outcomes = new ArrayList<>();
        for (Future<CompletableFuture<ClaimOutcome>> f : issued) {
            outcomes.add(get(f.get(30, TimeUnit.SECONDS)));
        }
        return outcomes;
    }

    /** The pin of the one winner, after checking that every loser names it. */
    private static DirectoryPin onlyWinner(List<ClaimOutcome> outcomes, String client) {
        assertThat(outcomes).as("outcomes for %s", client).filteredOn(ClaimOutcome::won).hasSize(1);
        DirectoryPin winner = outcomes.stream().filter(ClaimOutcome::won).findFirst().orElseThrow().current();
        assertThat(outcomes).as("outcomes for %s", client).allSatisfy(o -> assertThat(o.current()).isEqualTo(winner));
        return winner;
    }

    private Map<String, String> columns(String table) throws Exception {
        Map<String, String> columns = new LinkedHashMap<>();
        try (Connection c = server.dataSource().getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT column_name, data_type, is_nullable FROM information_schema.columns "
                     + "WHERE table_name = '" + table + "' ORDER BY ordinal_position")) {
            while (rs.next()) {
                columns.put(rs.getString(1), rs.getString(2) + (rs.getString(3).equals("NO") ? " not null" : ""));
            }
        }
        return columns;
    }

    /** The stage's value, or its failure (unwrapped), waiting generously for a slow machine. */
    static <T> T get(CompletionStage<T> stage) throws Exception {
        try {
            return stage.toCompletableFuture().get(60, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception cause) {
                throw cause;
            }
            throw e;
        }
    }
}
