package io.reploid.jdbc;

import static io.reploid.jdbc.DirectoryCluster.member;
import static io.reploid.jdbc.JdbcPinDirectoryTest.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.reploid.directory.ClaimOutcome;
import io.reploid.directory.DirectoryPin;
import io.reploid.directory.GatewayMember;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The database goes away: claims fail with a message that names the database instead of hanging, the
 * gateway stops leading within the lease, and both come back with the database.
 */
class DirectoryOutageTest {
    /** Not a speed assertion: a bound far above the 3 s connection timeout, to tell failing from hanging. */
    private static final Duration HANG = Duration.ofSeconds(25);
    /**
     * Leadership ends by the gateway's own clock four fifths of a lease (0.8 s) after the last renewal was
     * sent, whatever the database does; the bound only leaves room for a slow machine.
     */
    private static final Duration WITHIN_THE_LEASE = Duration.ofSeconds(10);
    private static final Duration PATIENCE = Duration.ofSeconds(60);

    @TempDir
    Path dataDirectory;

    @Test
    void claimsFailAndLeadershipEndsWhileTheDatabaseIsDownAndBothReturnWithIt() throws Exception {
        try (PostgresServer server = PostgresServer.start(dataDirectory, true);
             JdbcPinDirectory directory = JdbcPinDirectory.builder(server.jdbcUrl()).user(PostgresServer.USER)
                     .leaseDuration(DirectoryCluster.LEASE).heartbeatInterval(DirectoryCluster.HEARTBEAT).build()) {
            directory.start(member("gw-a"));
            await().atMost(PATIENCE).until(directory::isLeader);
            DirectoryPin pin = new DirectoryPin("i1", 1);
            assertThat(get(directory.claim("alice", pin, 0))).isEqualTo(ClaimOutcome.won(pin));

            server.stop();

            await().atMost(WITHIN_THE_LEASE).until(() -> !directory.isLeader());
            assertTimeoutPreemptively(HANG, () -> {
                assertThatThrownBy(() -> get(directory.claim("bob", new DirectoryPin("i1", 2), 0)))
                        .isInstanceOf(DirectoryException.class)
                        .hasMessageStartingWith("claim of client 'bob' failed: cannot reach " + server.jdbcUrl());
            });
            assertTimeoutPreemptively(HANG, () -> {
                assertThatThrownBy(() -> get(directory.lookup("alice")))
                        .isInstanceOf(DirectoryException.class)
                        .hasMessageStartingWith("lookup of client 'alice' failed: cannot reach " + server.jdbcUrl());
            });
            assertThat(directory.isLeader()).isFalse();
            assertThat(directory.gateways()).containsExactly(
                    new GatewayMember("gw-a", "gw-a.example:7000", "gw-a.example:8000", false, true));

            server.start();

            await().atMost(PATIENCE).until(directory::isLeader);
            await().atMost(PATIENCE).ignoreExceptions()
                    .untilAsserted(() -> assertThat(get(directory.lookup("alice"))).contains(pin));
            DirectoryPin moved = new DirectoryPin("i2", 2);
            assertThat(get(directory.claim("alice", moved, 1))).isEqualTo(ClaimOutcome.won(moved));
        }
    }

    @Test
    void aDatabaseThatIsNotThereIsNamedWithoutItsPassword() throws Exception {
        String url = "jdbc:postgresql://127.0.0.1:" + PostgresServer.freePort() + "/postgres?password=secret&ssl=false";
        String shown = url.replace("secret", "***");
        try (JdbcPinDirectory directory = JdbcPinDirectory.builder(url).user("nobody")
                .leaseDuration(DirectoryCluster.LEASE).heartbeatInterval(DirectoryCluster.HEARTBEAT).build()) {
            assertThat(directory.describe()).isEqualTo("postgresql " + shown);
            directory.start(member("gw-a"));

            assertTimeoutPreemptively(HANG, () -> {
                assertThatThrownBy(() -> get(directory.claim("alice", new DirectoryPin("i1", 1), 0)))
                        .isInstanceOf(DirectoryException.class)
                        .hasMessageStartingWith("claim of client 'alice' failed: cannot reach " + shown)
                        .hasMessageNotContaining("secret");
            });
            assertThat(directory.isLeader()).isFalse();
            assertThat(directory.gateways()).extracting(GatewayMember::gatewayId).isEqualTo(List.of("gw-a"));
        }
    }
}
