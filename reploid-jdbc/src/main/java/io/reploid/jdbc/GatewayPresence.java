package io.reploid.jdbc;

import io.reploid.directory.GatewayMember;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A gateway's presence in a {@link JdbcPinDirectory}: its row in the gateways table, heartbeated, with the
 * list of gateways read back each time; and its bid for the leader lease, renewed every third of the lease.
 * Both run on one timer thread of their own, so claims waiting for the database never delay a renewal.
 *
 * <p>Thread-safe: the timer thread writes, {@link #isLeader()} and {@link #gateways()} read volatile
 * snapshots without touching the database.
 */
final class GatewayPresence {
    private static final Logger log = LoggerFactory.getLogger(GatewayPresence.class);
    /** A gateway is live while its last heartbeat is at most this many intervals old. */
    static final int LIVE_INTERVALS = 3;

    /** The gateways as the last successful heartbeat round read them, and when (monotonic). */
    private record Roster(List<GatewayMember> members, long readAtNanos) {
    }

    private final DirectoryDatabase database;
    private final Duration leaseDuration;
    private final Duration heartbeatInterval;
    private final LeaderLease lease;
    private final ScheduledThreadPoolExecutor timer;
    private volatile GatewayMember self;
    private volatile Roster roster;
    // Timer thread only: what was last logged, so that an outage is logged once, not every round.
    private boolean heartbeatFailing;
    private boolean leaseFailing;
    private boolean announcedLeader;

    GatewayPresence(DirectoryDatabase database, Duration leaseDuration, Duration heartbeatInterval,
            LeaderLease lease) {
        this.database = database;
        this.leaseDuration = leaseDuration;
        this.heartbeatInterval = heartbeatInterval;
        this.lease = lease;
        timer = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "reploid-pin-directory-lease");
            t.setDaemon(true);
            return t;
        });
        timer.setRemoveOnCancelPolicy(true);
    }

    /** Starts heartbeating and bidding for the lease, at once and then periodically. */
    void start(GatewayMember self) {
        this.self = self;
        timer.scheduleWithFixedDelay(this::heartbeat, 0, heartbeatInterval.toNanos(), TimeUnit.NANOSECONDS);
        timer.scheduleWithFixedDelay(this::renewLease, 0, leaseDuration.toNanos() / 3, TimeUnit.NANOSECONDS);
    }

    boolean isLeader() {
        return lease.held();
    }

    /**
     * The gateways of the last heartbeat round, sorted by id. This gateway is always live and leads exactly
     * when {@link #isLeader()}; when the last successful round is older than the liveness window (the
     * database is unreachable), no other gateway is known to be live or to lead.
     */
    List<GatewayMember> gateways() {
        GatewayMember me = self;
        if (me == null) {
            return List.of();
        }
        boolean leading = lease.held();
        Roster r = roster;
        List<GatewayMember> out = new ArrayList<>(r == null ? 1 : r.members.size() + 1);
        out.add(new GatewayMember(me.gatewayId(), me.serviceAddress(), me.adminAddress(), leading, true));
        if (r != null) {
            boolean fresh = lease.now() - r.readAtNanos < LIVE_INTERVALS * heartbeatInterval.toNanos();
            for (GatewayMember m : r.members) {
                if (!m.gatewayId().equals(me.gatewayId())) {
                    out.add(fresh && !leading ? m
                            : new GatewayMember(m.gatewayId(), m.serviceAddress(), m.adminAddress(), false,
                                    fresh && m.live()));
                }
            }
        }
        out.sort(Comparator.comparing(GatewayMember::gatewayId));
        return List.copyOf(out);
    }

    /**
     * Stops the rounds, stops believing in the lease at once, then releases the lease and removes this
     * gateway's row, so that another gateway can lead without waiting for the lease to run out. Waits at most
     * {@code wait} for the database.
     */
    void close(Duration wait) {
        lease.stop();
        GatewayMember me = self;
        try {
            if (me != null) {
                timer.execute(() -> leave(me));
            }
        } catch (RejectedExecutionException alreadyClosed) {
            return;
        }
        timer.shutdown(); // cancels the periodic rounds; the leave task still runs
        try {
            if (!timer.awaitTermination(wait.toNanos(), TimeUnit.NANOSECONDS) && me != null) {
                log.warn("Gateway {} left the directory at {} without releasing the leader lease within {} ms; "
                        + "another gateway leads when it runs out", me.gatewayId(), database.target(), wait.toMillis());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            timer.shutdownNow();
        }
    }

    private void heartbeat() {
        GatewayMember me = self;
        DirectoryTables t = database.tables;
        try {
            Roster read = database.run("heartbeat of gateway '" + me.gatewayId() + "'", c -> {
                try (PreparedStatement ps = c.prepareStatement(t.heartbeat)) {
                    ps.setString(1, me.gatewayId());
                    ps.setString(2, me.serviceAddress());
                    ps.setString(3, me.adminAddress());
                    ps.executeUpdate();
                }
                long readAt = lease.now();
                return new Roster(readRoster(c, t), readAt);
            });
            roster = read;
            if (heartbeatFailing) {
                heartbeatFailing = false;
                log.info("Gateway {} reaches the directory at {} again", me.gatewayId(), database.target());
            }
        } catch (DirectoryException | RuntimeException e) {
            logFailure(!heartbeatFailing, e);
            heartbeatFailing = true;
        }
    }

    private List<GatewayMember> readRoster(Connection c, DirectoryTables t) throws SQLException {
        List<GatewayMember> members = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(t.roster)) {
            ps.setDouble(1, LIVE_INTERVALS * heartbeatInterval.toNanos() / 1e9);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    members.add(new GatewayMember(rs.getString(1), rs.getString(2), rs.getString(3),
                            rs.getBoolean(5), rs.getBoolean(4)));
                }
            }
        }
        return List.copyOf(members);
    }

    private void renewLease() {
        GatewayMember me = self;
        DirectoryTables t = database.tables;
        try {
            database.run("renewal of the leader lease by gateway '" + me.gatewayId() + "'", c -> {
                try (PreparedStatement ps = c.prepareStatement(t.acquireLease)) {
                    ps.setString(1, me.gatewayId());
                    ps.setDouble(2, leaseDuration.toNanos() / 1e9);
                    long sentAt = lease.now();
                    try (ResultSet rs = ps.executeQuery()) {
                        if (rs.next()) {
                            lease.granted(sentAt, rs.getLong(1));
                        } else {
                            lease.refused();
                        }
                    }
                }
                return null;
            });
            leaseFailing = false;
        } catch (DirectoryException | RuntimeException e) {
            logFailure(!leaseFailing && !heartbeatFailing, e);
            leaseFailing = true;
        }
        boolean leading = lease.held();
        if (leading != announcedLeader) {
            announcedLeader = leading;
            if (leading) {
                log.info("Gateway {} leads (term {} of the lease at {})", me.gatewayId(), lease.term(),
                        database.target());
            } else {
                log.info("Gateway {} no longer leads", me.gatewayId());
            }
        }
    }

    private void leave(GatewayMember me) {
        DirectoryTables t = database.tables;
        try {
            database.run("leave of gateway '" + me.gatewayId() + "'", c -> {
                try (PreparedStatement release = c.prepareStatement(t.releaseLease);
                     PreparedStatement delete = c.prepareStatement(t.leave)) {
                    release.setString(1, me.gatewayId());
                    release.executeUpdate();
                    delete.setString(1, me.gatewayId());
                    delete.executeUpdate();
                }
                return null;
            });
        } catch (DirectoryException | RuntimeException e) {
            log.warn("{}; a lease it held runs out by itself", e.getMessage());
        }
    }

    private static void logFailure(boolean first, Exception e) {
        if (first) {
            log.warn("{} (logged once until the directory recovers)", e.getMessage());
        } else {
            log.debug("{}", e.getMessage());
        }
    }
}
