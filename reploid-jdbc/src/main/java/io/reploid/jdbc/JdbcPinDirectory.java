package io.reploid.jdbc;

import static java.util.Objects.requireNonNull;

import io.reploid.directory.ClaimOutcome;
import io.reploid.directory.DirectoryPin;
import io.reploid.directory.GatewayMember;
import io.reploid.directory.PinDirectory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link PinDirectory} in PostgreSQL (9.5 or later), for gateways that should agree on pins and leadership
 * through a database they already run rather than through links to each other.
 *
 * <pre>{@code
 * PinDirectory directory = JdbcPinDirectory.connect("jdbc:postgresql://db:5432/app?user=reploid");
 * PinDirectory tuned = JdbcPinDirectory.builder(myDataSource)   // your pool; not closed by the directory
 *         .leaseDuration(Duration.ofSeconds(10)).tablePrefix("edge_").build();
 * }</pre>
 *
 * <p>Tables, created if absent when the directory first reaches the database (in one transaction under an
 * advisory lock, so any number of gateways may start at once), with the {@linkplain
 * JdbcPinDirectoryBuilder#tablePrefix prefix} {@code reploid_}:
 * <pre>
 * reploid_pins     (client_id text PRIMARY KEY, instance_id text NOT NULL, epoch bigint NOT NULL)
 * reploid_gateways (gateway_id text PRIMARY KEY, service_address text NOT NULL, admin_address text NOT NULL,
 *                   last_seen timestamptz NOT NULL)
 * reploid_leases   (name text PRIMARY KEY, holder text, term bigint NOT NULL, expires_at timestamptz NOT NULL)
 * </pre>
 *
 * <p>Pins: a {@linkplain #claim claim} is one statement, a compare-and-set on the pin's epoch: an
 * {@code INSERT ... ON CONFLICT DO NOTHING} for a first pin, an {@code UPDATE ... WHERE epoch = expected} for a
 * move, which sets the epoch to the larger of the proposal and the old epoch plus one. Of concurrent claims
 * for one client exactly one wins; the others lose to the pin it made. No lock is held beyond one statement.
 *
 * <p>Leadership: one lease row, {@code 'leader'}. Every third of the {@linkplain
 * JdbcPinDirectoryBuilder#leaseDuration lease} each gateway bids with one atomic upsert that succeeds only if
 * the lease is free, expired or already its own, and extends it to the database's {@code now()} plus the
 * lease. {@link #isLeader()} is true only while the gateway's monotonic clock is within the lease minus a
 * fifth of the moment the granted bid was sent, so a gateway stops believing it leads before the database
 * lets another take over. Liveness: each gateway heartbeats its row every {@linkplain
 * JdbcPinDirectoryBuilder#heartbeatInterval heartbeat interval}; a gateway is live while its last heartbeat is
 * at most three intervals old. All times in the tables are the database's, never a gateway's. {@link #close()}
 * releases the lease and removes the gateway's row, so that another gateway leads at its next bid.
 *
 * <p>Threads: every database round trip runs on the directory's own threads: four for {@linkplain #claim
 * claims}, {@linkplain #lookup lookups} and {@linkplain #remove removals}, one for heartbeats and the lease,
 * so that a backlog of claims never delays a renewal. Stages complete on those threads. {@link #isLeader()},
 * {@link #gateways()} and {@link #describe()} read snapshots and never query. With five connections a pool
 * never makes the directory wait for one; {@link #connect} makes such a pool.
 *
 * <p>Failures: while the database is unreachable, stages complete exceptionally with a
 * {@link DirectoryException} that names the operation and the database, such as {@code "claim of client
 * 'alice' failed: cannot reach jdbc:postgresql://db:5432/app: ..."}, after at most the pool's connection
 * timeout (3 s with the directory's own pool), and the gateway stops leading within the lease. It leads again
 * and heartbeats again when the database is back.
 *
 * <p>Thread-safe. Closing the directory closes a pool it made, but not a {@link DataSource} it was given.
 */
public final class JdbcPinDirectory implements PinDirectory {
    private static final Logger log = LoggerFactory.getLogger(JdbcPinDirectory.class);
    /** Threads for pin operations; the pool the directory makes has one connection more, for the lease. */
    static final int WORKERS = 4;
    private static final int MAX_QUEUED = 65_536;
    /** How long {@link #close()} waits for the database to release the lease and for running operations. */
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(5);
    private static final AtomicInteger DIRECTORIES = new AtomicInteger();

    private final DirectoryDatabase database;
    private final PinRows pins;
    private final GatewayPresence presence;
    private final ThreadPoolExecutor workers;
    private final AtomicBoolean started = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();

    JdbcPinDirectory(DirectoryDatabase database, Duration leaseDuration, Duration heartbeatInterval) {
        this.database = database;
        this.pins = new PinRows(database.tables);
        this.presence = new GatewayPresence(database, leaseDuration, heartbeatInterval,
                new LeaderLease(leaseDuration, System::nanoTime));
        String name = "reploid-pin-directory-" + DIRECTORIES.incrementAndGet() + "-";
        AtomicInteger threads = new AtomicInteger();
        workers = new ThreadPoolExecutor(WORKERS, WORKERS, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(MAX_QUEUED),
                r -> {
                    Thread t = new Thread(r, name + threads.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        workers.allowCoreThreadTimeOut(true);
    }

    /**
     * A directory that takes its connections from {@code dataSource}, which should be a pool with a short
     * connection timeout and at least five connections. Does not connect yet.
     */
    public static JdbcPinDirectory create(DataSource dataSource) {
        return builder(dataSource).build();
    }

    /**
     * A directory with its own pool of five connections to {@code jdbcUrl} (user and password as URL
     * parameters), which it closes when it closes. Does not connect yet.
     */
    public static JdbcPinDirectory connect(String jdbcUrl) {
        return builder(jdbcUrl).build();
    }

    /** A builder for a directory that takes its connections from {@code dataSource}. */
    public static JdbcPinDirectoryBuilder builder(DataSource dataSource) {
        return new JdbcPinDirectoryBuilder(dataSource);
    }

    /** A builder for a directory with its own pool of connections to {@code jdbcUrl}. */
    public static JdbcPinDirectoryBuilder builder(String jdbcUrl) {
        return new JdbcPinDirectoryBuilder(jdbcUrl);
    }

    /**
     * Starts heartbeating and bidding for the lease, on the directory's thread; returns at once. The first
     * round creates the tables if absent; while the database is unreachable it is retried every round.
     *
     * @throws IllegalStateException when called twice or after {@link #close()}
     */
    @Override
    public void start(GatewayMember self) {
        requireNonNull(self, "self");
        if (closed.get() || !started.compareAndSet(false, true)) {
            throw new IllegalStateException(this + (closed.get() ? " is closed" : " is already started"));
        }
        presence.start(self);
    }

    @Override
    public CompletionStage<Optional<DirectoryPin>> lookup(String clientId) {
        requireNonNull(clientId, "clientId");
        return submit("lookup of client '" + clientId + "'", c -> pins.lookup(c, clientId));
    }

    @Override
    public CompletionStage<ClaimOutcome> claim(String clientId, DirectoryPin proposed, long expectedEpoch) {
        requireNonNull(clientId, "clientId");
        requireNonNull(proposed, "proposed");
        if (expectedEpoch < 0) {
            throw new IllegalArgumentException("expectedEpoch: " + expectedEpoch + " (expected: >= 0)");
        }
        return submit("claim of client '" + clientId + "'", c -> pins.claim(c, clientId, proposed, expectedEpoch));
    }

    /** Deletes the client's row if it still has this instance and epoch; logs a failure at WARN. */
    @Override
    public void remove(String clientId, DirectoryPin pin) {
        removeIfCurrent(clientId, pin).whenComplete((removed, error) -> {
            if (error != null) {
                log.warn("{}", error.getMessage());
            }
        });
    }

    /** {@link #remove}, with a stage that tells whether the row was there and deleted. */
    CompletableFuture<Boolean> removeIfCurrent(String clientId, DirectoryPin pin) {
        requireNonNull(clientId, "clientId");
        requireNonNull(pin, "pin");
        return submit("removal of the pin of client '" + clientId + "'", c -> pins.remove(c, clientId, pin));
    }

    @Override
    public boolean isLeader() {
        return presence.isLeader();
    }

    @Override
    public List<GatewayMember> gateways() {
        return presence.gateways();
    }

    /** Such as {@code "postgresql jdbc:postgresql://db:5432/app"} (without a password). */
    @Override
    public String describe() {
        return database.describe();
    }

    /**
     * Stops leading at once, releases the lease and removes this gateway's row (waiting at most 5 s for the
     * database), fails operations that have not started, waits at most 5 s for running ones, and closes the
     * pool the directory made. Idempotent.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        presence.close(CLOSE_WAIT);
        workers.shutdown();
        List<Runnable> waiting = new ArrayList<>();
        workers.getQueue().drainTo(waiting);
        for (Runnable r : waiting) {
            ((Operation<?>) r).fail();
        }
        try {
            if (!workers.awaitTermination(CLOSE_WAIT.toNanos(), TimeUnit.NANOSECONDS)) {
                workers.shutdownNow();
            }
        } catch (InterruptedException e) {
            workers.shutdownNow();
            Thread.currentThread().interrupt();
        }
        database.close();
    }

    @Override
    public String toString() {
        return "JDBC pin directory " + database.tables + " at " + database.target();
    }

    private <T> CompletableFuture<T> submit(String what, DirectoryDatabase.Work<T> work) {
        Operation<T> op = new Operation<>(what, work);
        if (closed.get()) {
            op.fail();
            return op.result;
        }
        try {
            workers.execute(op);
        } catch (RejectedExecutionException e) {
            op.result.completeExceptionally(closed.get() ? closedFailure(what)
                    : database.failure(what, MAX_QUEUED + " operations are already waiting for the database"));
        }
        return op.result;
    }

    private DirectoryException closedFailure(String what) {
        return database.failure(what, "the directory is closed");
    }

    /** One database operation on a worker thread, completing its stage there. */
    private final class Operation<T> implements Runnable {
        final String what;
        final DirectoryDatabase.Work<T> work;
        final CompletableFuture<T> result = new CompletableFuture<>();

        Operation(String what, DirectoryDatabase.Work<T> work) {
            this.what = what;
            this.work = work;
        }

        @Override
        public void run() {
            try {
                result.complete(database.run(what, work));
            } catch (DirectoryException | RuntimeException e) {
                result.completeExceptionally(e);
            } catch (Error e) {
                result.completeExceptionally(e);
                throw e;
            }
        }

        void fail() {
            result.completeExceptionally(closedFailure(what));
        }
    }
}
