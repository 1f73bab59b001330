package io.reploid.jdbc;

import static java.util.Objects.requireNonNull;

import com.zaxxer.hikari.HikariDataSource;
import io.reploid.state.FencedException;
import io.reploid.state.StateStore;
import io.reploid.state.StoreException;
import io.reploid.state.StoredRecord;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import javax.sql.DataSource;

/**
 * A {@link StateStore} in a database over JDBC, for services whose instances run on several machines.
 * Targets PostgreSQL 9.5 or later (the SQL uses {@code ON CONFLICT}); the {@code reploid-jdbc} module
 * brings the PostgreSQL driver and a HikariCP pool.
 *
 * <p>The table, created if absent (see {@link JdbcStateStoreBuilder#createTable}):
 * <pre>
 * CREATE TABLE IF NOT EXISTS reploid_state (
 *     client_id  text PRIMARY KEY,
 *     epoch      bigint NOT NULL,
 *     version    bigint NOT NULL,
 *     data       bytea NOT NULL,
 *     updated_at timestamptz NOT NULL DEFAULT now())
 * </pre>
 * A write is one statement, {@code INSERT ... ON CONFLICT (client_id) DO UPDATE ... WHERE} the stored row
 * is older; when it changes no row, the stored epoch and version are read and a {@link FencedException}
 * thrown. {@link #writeAll} runs in one transaction (all or nothing), {@link #delete} deletes only a row
 * whose epoch is not newer. A write is acknowledged when the database has committed it, so it is as
 * durable as the database's commit (with PostgreSQL's defaults, {@code synchronous_commit = on}, it
 * survives a crash of the database server).
 *
 * <p>Failures: every SQL or connection error becomes a {@link StoreException} that names the database
 * (the URL without its password) and what failed. With the built-in pool, an operation waits at most
 * the {@linkplain JdbcStateStoreBuilder#connectionTimeout connection timeout} (3 s) for a connection, so
 * requests fail fast while the database is down, and the pool reconnects by itself when it is back.
 *
 * <p>Thread-safe. Closing the store closes its pool, but not a {@link DataSource} it was given.
 */
public final class JdbcStateStore implements StateStore {
    private static final int BATCH_CHUNK = 1000;

    private final DataSource dataSource;
    private final HikariDataSource ownedPool;
    private final String target;
    private final StateTable table;
    private volatile boolean closed;

    private JdbcStateStore(DataSource dataSource, HikariDataSource ownedPool, String target, StateTable table) {
        this.dataSource = dataSource;
        this.ownedPool = ownedPool;
        this.target = target;
        this.table = table;
    }

    /** A store in table {@code reploid_state} with a pool of 8 connections to {@code jdbcUrl}. */
    public static JdbcStateStore create(String jdbcUrl, String user, String password) throws StoreException {
        return builder(jdbcUrl).user(user).password(password).build();
    }

    /** A store in table {@code reploid_state} that takes its connections from {@code dataSource}. */
    public static JdbcStateStore create(DataSource dataSource) throws StoreException {
        return builder(dataSource).build();
    }

    /** A builder for a store with its own pool of connections to {@code jdbcUrl}. */
    public static JdbcStateStoreBuilder builder(String jdbcUrl) {
        return new JdbcStateStoreBuilder(jdbcUrl);
    }

    /**
     * A builder for a store that takes its connections from {@code dataSource}, which should be a pool
     * with a short connection timeout. Batches need exact update counts: leave the PostgreSQL driver's
     * {@code reWriteBatchedInserts} off.
     */
    public static JdbcStateStoreBuilder builder(DataSource dataSource) {
        return new JdbcStateStoreBuilder(dataSource);
    }

    static JdbcStateStore open(DataSource dataSource, HikariDataSource ownedPool, String target, StateTable table,
            boolean createTable) throws StoreException {
        JdbcStateStore store = new JdbcStateStore(dataSource, ownedPool, target, table);
        try {
            store.prepareTable(createTable);
            return store;
        } catch (StoreException | RuntimeException e) {
            store.close();
            throw e;
        }
    }

    @Override
    public Optional<StoredRecord> load(String clientId) throws StoreException {
        requireNonNull(clientId, "clientId");
        try (Connection c = connection(); PreparedStatement ps = c.prepareStatement(table.load)) {
            ps.setString(1, clientId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next()
                        ? Optional.of(new StoredRecord(clientId, rs.getLong(1), rs.getLong(2), rs.getBytes(3)))
                        : Optional.empty();
            }
        } catch (SQLException e) {
            throw failure("load of client '" + clientId + "'", e);
        }
    }

    @Override
    public void write(StoredRecord record) throws StoreException {
        requireNonNull(record, "record");
        try (Connection c = connection()) {
            // A row deleted between the upsert and the read of its stamp is written on the next attempt.
            for (int attempt = 0; attempt < 3; attempt++) {
                try (PreparedStatement ps = c.prepareStatement(table.upsert)) {
                    bind(ps, record);
                    if (ps.executeUpdate() > 0) {
                        return;
                    }
                }
                try (PreparedStatement ps = c.prepareStatement(table.stamp)) {
                    ps.setString(1, record.clientId());
                    try (ResultSet rs = ps.executeQuery()) {
                        if (rs.next()) {
                            throw new FencedException(record.clientId(), rs.getLong(1), rs.getLong(2),
                                    record.epoch(), record.version());
                        }
                    }
                }
            }
            throw new StoreException("write of client '" + record.clientId() + "' at " + target
                    + " neither succeeded nor found a newer row, three times (concurrent deletes?)");
        } catch (SQLException e) {
            throw failure("write of client '" + record.clientId() + "'", e);
        }
    }

    /**
     * Writes the records in one transaction: all of them or, on a {@link StoreException}, none. Rows are
     * written in client id order, so that concurrent batches lock them in the same order and cannot
     * deadlock; records of one client keep their order.
     */
    @Override
    public List<StoredRecord> writeAll(List<StoredRecord> records) throws StoreException {
        requireNonNull(records, "records");
        records.forEach(r -> requireNonNull(r, "records contains null"));
        if (records.isEmpty()) {
            checkOpen();
            return List.of();
        }
        List<Integer> order = IntStream.range(0, records.size()).boxed()
                .sorted(Comparator.comparing(i -> records.get(i).clientId()))
                .collect(Collectors.toList());
        boolean[] fenced = new boolean[records.size()];
        try (Connection c = connection()) {
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement(table.upsert)) {
                for (int from = 0; from < order.size(); from += BATCH_CHUNK) {
                    List<Integer> chunk = order.subList(from, Math.min(order.size(), from + BATCH_CHUNK));
                    for (int i : chunk) {
                        bind(ps, records.get(i));
                        ps.addBatch();
                    }
                    int[] counts = ps.executeBatch();
                    for (int k = 0; k < counts.length; k++) {
                        if (counts[k] == Statement.SUCCESS_NO_INFO) {
                            throw new SQLException("the driver gave no update count for a batched statement "
                                    + "(is reWriteBatchedInserts on?); fencing needs them");
                        }
                        fenced[chunk.get(k)] = counts[k] == 0;
                    }
                }
                c.commit();
            } catch (SQLException | RuntimeException e) {
                rollback(c, e);
                throw e;
            } finally {
                restoreAutoCommit(c);
            }
        } catch (SQLException e) {
            throw failure("batch of " + records.size() + " writes", e);
        }
        List<StoredRecord> refused = new ArrayList<>();
        for (int i = 0; i < fenced.length; i++) {
            if (fenced[i]) {
                refused.add(records.get(i));
            }
        }
        return refused;
    }

    @Override
    public void delete(String clientId, long epoch) throws StoreException {
        requireNonNull(clientId, "clientId");
        try (Connection c = connection(); PreparedStatement ps = c.prepareStatement(table.delete)) {
            ps.setString(1, clientId);
            ps.setLong(2, epoch);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw failure("delete of client '" + clientId + "'", e);
        }
    }

    /** Closes the pool this store made; a given {@link DataSource} stays open. Idempotent. */
    @Override
    public void close() {
        closed = true;
        if (ownedPool != null) {
            ownedPool.close();
        }
    }

    private void prepareTable(boolean createTable) throws StoreException {
        try (Connection c = connection(); Statement s = c.createStatement()) {
            if (createTable) {
                try {
                    s.execute(table.create);
                } catch (SQLException e) {
                    // Two instances creating the table at once: PostgreSQL may report the loser's
                    // CREATE ... IF NOT EXISTS as a duplicate; the check below tells.
                    if (!"23505".equals(e.getSQLState()) && !"42P07".equals(e.getSQLState())) {
                        throw e;
                    }
                }
            }
            s.executeQuery(table.check).close();
        } catch (SQLException e) {
            throw failure((createTable ? "creation of table " : "check of table ") + table.name, e);
        }
    }

    private Connection connection() throws SQLException, StoreException {
        checkOpen();
        Connection c = dataSource.getConnection();
        try {
            if (!c.getAutoCommit()) {
                c.setAutoCommit(true);
            }
            return c;
        } catch (SQLException e) {
            c.close();
            throw e;
        }
    }

    private void checkOpen() throws StoreException {
        if (closed) {
            throw new StoreException(this + " is closed");
        }
    }

    private static void bind(PreparedStatement ps, StoredRecord record) throws SQLException {
        ps.setString(1, record.clientId());
        ps.setLong(2, record.epoch());
        ps.setLong(3, record.version());
        ps.setBytes(4, record.data());
    }

    /** Best effort: a pool resets it anyway, and {@link #connection()} sets it on every use. */
    private static void restoreAutoCommit(Connection c) {
        try {
            c.setAutoCommit(true);
        } catch (SQLException ignored) {
            // a broken connection; the pool discards it
        }
    }

    private static void rollback(Connection c, Exception cause) {
        try {
            c.rollback();
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }

    private StoreException failure(String what, SQLException e) {
        return StoreFailure.of(what, target, e);
    }

    @Override
    public String toString() {
        return "JDBC state store " + table.name + " at " + target;
    }
}
