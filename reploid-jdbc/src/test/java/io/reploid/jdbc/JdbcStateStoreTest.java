package io.reploid.jdbc;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.reploid.state.FencedException;
import io.reploid.state.StoreException;
import io.reploid.state.StoredRecord;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What only the JDBC store does: its schema, its configuration, its DataSource mode, its messages. */
class JdbcStateStoreTest {
    private final PostgresServer server = SharedPostgres.server();

    private static StoredRecord record(String clientId, long epoch, long version, String data) {
        return new StoredRecord(clientId, epoch, version, data.getBytes(UTF_8));
    }

    @Test
    void createsTheDocumentedTable() throws Exception {
        String table = SharedPostgres.newTable();
        JdbcStateStore.builder(server.jdbcUrl()).user(PostgresServer.USER).table(table).build().close();

        Map<String, String> columns = new LinkedHashMap<>();
        try (Connection c = server.dataSource().getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT column_name, data_type, is_nullable FROM information_schema.columns "
                     + "WHERE table_name = '" + table + "' ORDER BY ordinal_position")) {
            while (rs.next()) {
                columns.put(rs.getString(1), rs.getString(2) + (rs.getString(3).equals("NO") ? " not null" : ""));
            }
        }
        assertThat(columns).containsExactly(
                Map.entry("client_id", "text not null"),
                Map.entry("epoch", "bigint not null"),
                Map.entry("version", "bigint not null"),
                Map.entry("data", "bytea not null"),
                Map.entry("updated_at", "timestamp with time zone not null"));
        try (Connection c = server.dataSource().getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT a.attname FROM pg_index i JOIN pg_attribute a "
                     + "ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey) "
                     + "WHERE i.indrelid = '" + table + "'::regclass AND i.indisprimary")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("client_id");
        }
    }

    @Test
    void recordsOutliveTheStoreAndAreSharedByStoresOnOneTable() throws Exception {
        String table = SharedPostgres.newTable();
        try (JdbcStateStore first = JdbcStateStore.builder(server.jdbcUrl()).user(PostgresServer.USER).table(table).build()) {
            first.write(record("alice", 1, 1, "written by the first instance"));
        }
        try (JdbcStateStore second = JdbcStateStore.builder(server.jdbcUrl()).user(PostgresServer.USER).table(table).build();
             JdbcStateStore zombie = JdbcStateStore.builder(server.jdbcUrl()).user(PostgresServer.USER).table(table).build()) {
            assertThat(second.load("alice").orElseThrow().data()).isEqualTo("written by the first instance".getBytes(UTF_8));
            second.write(record("alice", 2, 1, "new owner"));
            assertThatThrownBy(() -> zombie.write(record("alice", 1, 2, "old owner is back")))
                    .isInstanceOfSatisfying(FencedException.class, e -> assertThat(e.storedEpoch()).isEqualTo(2));
        }
    }

    @Test
    void tableInAnotherSchema() throws Exception {
        try (Connection c = server.dataSource().getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA IF NOT EXISTS app");
        }
        try (JdbcStateStore store = JdbcStateStore.builder(server.jdbcUrl()).user(PostgresServer.USER)
                .table("app." + SharedPostgres.newTable()).build()) {
            store.write(record("alice", 1, 1, "in schema app"));
            assertThat(store.load("alice")).isPresent();
        }
    }

    @Test
    void missingTableIsReportedWhenCreationIsOff() {
        String table = SharedPostgres.newTable();
        assertThatThrownBy(() -> JdbcStateStore.builder(server.jdbcUrl()).user(PostgresServer.USER).table(table)
                .createTable(false).build())
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("check of table " + table)
                .hasMessageContaining(server.jdbcUrl());
    }

    @Test
    void usesAGivenDataSourceAndLeavesItOpen() throws Exception {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(server.jdbcUrl());
        config.setUsername(PostgresServer.USER);
        config.setMaximumPoolSize(2);
        try (HikariDataSource pool = new HikariDataSource(config)) {
            try (JdbcStateStore store = JdbcStateStore.builder(pool).table(SharedPostgres.newTable()).build()) {
                store.write(record("alice", 1, 1, "a"));
                assertThat(store.writeAll(java.util.List.of(record("alice", 1, 2, "b"), record("bob", 1, 1, "c")))).isEmpty();
                assertThat(store.load("alice").orElseThrow().version()).isEqualTo(2);
            }
            assertThat(pool.isClosed()).isFalse();
            try (Connection c = pool.getConnection()) {
                assertThat(c.getAutoCommit()).isTrue();
            }
        }
    }

    @Test
    void unreachableDatabaseIsReportedWithTheUrlAndWithoutThePassword() throws Exception {
        String url = "jdbc:postgresql://127.0.0.1:" + PostgresServer.freePort() + "/postgres?password=secret&ssl=false";
        assertThatThrownBy(() -> JdbcStateStore.builder(url).user("nobody").connectionTimeout(Duration.ofMillis(500)).build())
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("creation of table reploid_state failed: cannot reach jdbc:postgresql://127.0.0.1:")
                .hasMessageContaining("password=***&ssl=false")
                .hasMessageNotContaining("secret");
    }

    @Test
    void builderValidatesEagerly() {
        JdbcStateStoreBuilder builder = JdbcStateStore.builder("jdbc:postgresql://127.0.0.1:1/db");
        assertThatThrownBy(() -> builder.poolSize(0)).hasMessage("poolSize: 0 (expected: > 0)");
        assertThatThrownBy(() -> builder.table("state; DROP TABLE users"))
                .hasMessageStartingWith("table: 'state; DROP TABLE users' (expected: an SQL identifier");
        assertThatThrownBy(() -> builder.table("a.b.c")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> builder.connectionTimeout(Duration.ofMillis(100)))
                .hasMessage("connectionTimeout: PT0.1S (expected: >= PT0.25S)");
        assertThatThrownBy(() -> builder.socketTimeout(Duration.ofSeconds(-1)))
                .hasMessage("socketTimeout: PT-1S (expected: >= 0)");
        assertThatThrownBy(() -> JdbcStateStore.builder("postgres://127.0.0.1/db?password=pw"))
                .hasMessage("jdbcUrl: 'postgres://127.0.0.1/db?password=***' (expected: a JDBC URL such as jdbc:postgresql://localhost:5432/app)");
        assertThatThrownBy(() -> JdbcStateStore.builder(server.dataSource()).poolSize(4).user("u").build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("poolSize, user: set, but the store uses the given DataSource (expected: configure the DataSource itself)");
    }
}
