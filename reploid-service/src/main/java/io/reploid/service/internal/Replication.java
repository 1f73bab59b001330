package io.reploid.service.internal;

import static java.util.Objects.requireNonNull;

import io.netty.buffer.Unpooled;
import io.reploid.internal.protocol.Frame;
import io.reploid.state.FencedException;
import io.reploid.state.StoreException;
import io.reploid.state.StoredRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link io.reploid.service.Persistence#replicated}: a commit sends the client's record to its {@code k}
 * replica holders ({@link MemberView#replicaHolders}) and completes when {@code k} of them acknowledged
 * it, or fails after the timeout (retriable) or at once when fewer than {@code k} peers are live. A store,
 * if configured, is also written behind. Restoring takes this instance's own replica first, else the
 * store.
 *
 * <p>When membership changes, every session whose replica set changed is re-replicated (its newest record
 * to new holders, REPLICA_DROP to removed ones) on the timer thread, {@value #REBALANCE_BUDGET} sessions
 * every {@value #REBALANCE_TICK_MILLIS} ms at most. A peer connection that becomes ready (or writable
 * again) gets the newest record of every client it holds a replica of and has not acknowledged.
 *
 * <p>Thread-safe. Per-session state is in the session's {@link ReplicaSet}, under its monitor; futures are
 * completed outside it. Nothing here blocks: sends are asynchronous writes on peer connections.
 */
final class Replication implements Durability, PeerLink.Listener {
    private static final Logger log = LoggerFactory.getLogger(Replication.class);
    static final int REBALANCE_BUDGET = 256;
    static final long REBALANCE_TICK_MILLIS = 25;
    /** Room for the REPLICATE header (a 255-byte id, epoch, version) within the peers' maximum frame size. */
    private static final int HEADER_ROOM = 300;

    private final int k;
    private final long timeoutMillis;
    private final int maxRecordBytes;
    private final Replicas replicas;
    private final Peers peers;
    private final WriteBehind store;
    private final ScheduledExecutorService timer;
    private final Supplier<List<? extends Session<?>>> sessions;
    private final Function<String, Session<?>> lookup;
    private volatile MemberView view = MemberView.EMPTY;
    private final Object rebalanceLock = new Object();
    private boolean rebalancing; // guarded by rebalanceLock
    private boolean rebalanceAgain; // guarded by rebalanceLock

    /**
     * @param store    also written behind, or {@code null}
     * @param sessions every session held
     * @param lookup   the session of a client, or {@code null}
     */
    Replication(int k, long timeoutMillis, int maxFrameSize, Replicas replicas, Peers peers, WriteBehind store,
            ScheduledExecutorService timer, Supplier<List<? extends Session<?>>> sessions,
            Function<String, Session<?>> lookup) {
        if (k < 1) {
            throw new IllegalArgumentException("k: " + k + " (expected: >= 1)");
        }
        this.k = k;
        this.timeoutMillis = timeoutMillis;
        this.maxRecordBytes = maxFrameSize - HEADER_ROOM;
        this.replicas = requireNonNull(replicas, "replicas");
        this.peers = requireNonNull(peers, "peers");
        this.store = store;
        this.timer = requireNonNull(timer, "timer");
        this.sessions = requireNonNull(sessions, "sessions");
        this.lookup = requireNonNull(lookup, "lookup");
    }

    @Override
    public boolean keepsRecords() {
        return true;
    }

    @Override
    public Optional<StoredRecord> load(Session<?> session) throws StoreException {
        Optional<StoredRecord> replica = replicas.get(session.clientId());
        if (replica.isPresent()) {
            return replica;
        }
        return store != null ? store.load(session) : Optional.empty();
    }

    @Override
    public void restored(Session<?> session, StoredRecord record) {
        replicas.taken(record);
        if (record.epoch() < session.epoch()) {
            synchronized (session.replicaSet()) {
                session.replicaSet().dropStaleUpTo = record.epoch();
            }
        }
    }

    @Override
    public CompletionStage<Void> commit(Session<?> session, StoredRecord record) {
        if (record.data().length > maxRecordBytes) {
            return CompletableFuture.failedFuture(new IllegalStateException("the record of client "
                    + record.clientId() + " is " + record.data().length + " bytes, over the " + maxRecordBytes
                    + " bytes a peer frame can carry (raise maxFrameSize on every instance, or keep fewer or "
                    + "smaller answers with dedupWindow)"));
        }
        ReplicaSet rs = session.replicaSet();
        MemberView members = view;
        List<String> holders = members.replicaHolders(record.clientId(), k);
        CompletableFuture<Void> done = new CompletableFuture<>();
        CompletableFuture<Void> superseded;
        synchronized (rs) {
            superseded = rs.takeWaiter();
            retarget(rs, holders);
            rs.latest = record;
            for (String h : holders) {
                send(h, record);
            }
            if (holders.size() < k) {
                done.completeExceptionally(new StoreException("replicated:" + k + " needs " + k
                        + " live peer instance(s); the gateways list " + holders.size() + " " + holders));
            } else {
                rs.waiter = done;
                rs.waitVersion = record.version();
                try {
                    rs.timeout = timer.schedule(() -> timedOut(rs, done), timeoutMillis, TimeUnit.MILLISECONDS);
                } catch (RejectedExecutionException e) {
                    rs.takeWaiter();
                    done.completeExceptionally(new StoreException("the instance is closing"));
                }
            }
        }
        if (superseded != null) {
            superseded.completeExceptionally(new StoreException("superseded by version " + record.version()));
        }
        if (store != null) {
            store.commit(session, record);
        }
        return done.thenRun(() -> confirmed(session));
    }

    /** A record was confirmed: after a takeover, stale replicas of the previous epoch can go. */
    private void confirmed(Session<?> session) {
        ReplicaSet rs = session.replicaSet();
        long staleEpoch;
        List<String> others;
        synchronized (rs) {
            staleEpoch = rs.dropStaleUpTo;
            rs.dropStaleUpTo = -1;
            others = staleEpoch < 0 ? List.of() : view.othersThan(rs.holders);
        }
        for (String peer : others) {
            peers.send(peer, new Frame.ReplicaDrop(session.clientId(), staleEpoch));
        }
    }

    /**
     * Fails a waiting commit. No REPLICA_DROP goes to the holders: the client's new owner may be about to
     * restore from one of them, and it drops the stale replicas itself once it replicated its own record.
     */
    @Override
    public void dropped(Session<?> session) {
        ReplicaSet rs = session.replicaSet();
        CompletableFuture<Void> waiter;
        synchronized (rs) {
            waiter = rs.takeWaiter();
            rs.holders = List.of();
            rs.acked.clear();
        }
        if (waiter != null) {
            waiter.completeExceptionally(new StoreException("client " + session.clientId() + " was dropped"));
        }
        if (store != null) {
            store.dropped(session);
        }
    }

    // ------------------------------------------------------------------ acknowledgements (peer event loops)

    @Override
    public void acked(String holder, Frame.ReplicateAck ack) {
        Session<?> session = lookup.apply(ack.clientId());
        if (session == null || session.replicaSet() == null) {
            return;
        }
        ReplicaSet rs = session.replicaSet();
        CompletableFuture<Void> done = null;
        Throwable failure = null;
        synchronized (rs) {
            StoredRecord latest = rs.latest;
            boolean newerEpoch = ack.epoch() > session.epoch();
            boolean unknownVersion = latest != null && ack.epoch() == latest.epoch() && ack.version() > latest.version();
            if (newerEpoch || unknownVersion) {
                session.fence();
                done = rs.takeWaiter();
                failure = new FencedException(ack.clientId(), ack.epoch(), ack.version(),
                        latest != null ? latest.epoch() : session.epoch(), latest != null ? latest.version() : 0);
                log.info("Instance {} holds a newer record of client {} (epoch {}, version {}): another instance "
                        + "owns it", holder, ack.clientId(), ack.epoch(), ack.version());
            } else {
                rs.acked.merge(holder, ack.version(), Math::max);
                if (rs.waiter != null && rs.ackedAtLeast(rs.waitVersion) >= k) {
                    done = rs.takeWaiter();
                }
            }
        }
        if (done != null) {
            if (failure != null) {
                done.completeExceptionally(failure);
            } else {
                done.complete(null);
            }
        }
    }

    private void timedOut(ReplicaSet rs, CompletableFuture<Void> done) {
        String why;
        synchronized (rs) {
            if (rs.waiter != done) {
                return;
            }
            rs.timeout = null;
            rs.takeWaiter();
            why = rs.ackedAtLeast(rs.waitVersion) + " of " + k + " replica(s) " + rs.holders
                    + " acknowledged version " + rs.waitVersion + " within " + timeoutMillis + " ms";
        }
        done.completeExceptionally(new StoreException(why));
    }

    // ------------------------------------------------------------------ membership and resync

    /** The membership changed: connect to new peers, and re-replicate the sessions whose holders changed. */
    void membersChanged(MemberView members) {
        view = members;
        peers.update(members);
        synchronized (rebalanceLock) {
            if (rebalancing) {
                rebalanceAgain = true;
                return;
            }
            rebalancing = true;
        }
        onTimer(() -> rebalance(new ArrayList<>(sessions.get()), 0), 0);
    }

    /** Re-replicates from {@code from} on, within the budget, then schedules the rest. Timer thread. */
    private void rebalance(List<? extends Session<?>> round, int from) {
        MemberView members = view;
        int moved = 0;
        int i = from;
        for (; i < round.size() && moved < REBALANCE_BUDGET; i++) {
            Session<?> s = round.get(i);
            ReplicaSet rs = s.replicaSet();
            if (rs == null) {
                continue;
            }
            List<String> holders = members.replicaHolders(s.clientId(), k);
            synchronized (rs) {
                if (!holders.equals(rs.holders)) {
                    if (rs.latest != null) {
                        moved++;
                    }
                    retarget(rs, holders);
                }
            }
        }
        if (i < round.size()) {
            int next = i;
            onTimer(() -> rebalance(round, next), REBALANCE_TICK_MILLIS);
            return;
        }
        synchronized (rebalanceLock) {
            if (!rebalanceAgain) {
                rebalancing = false;
                return;
            }
            rebalanceAgain = false;
        }
        onTimer(() -> rebalance(new ArrayList<>(sessions.get()), 0), REBALANCE_TICK_MILLIS);
    }

    /**
     * Moves a session's replica set to {@code holders}: the newest record to new holders, REPLICA_DROP to
     * removed ones. Holds {@code rs}'s monitor.
     */
    private void retarget(ReplicaSet rs, List<String> holders) {
        if (holders.equals(rs.holders)) {
            return;
        }
        StoredRecord latest = rs.latest;
        if (latest != null) {
            for (String h : holders) {
                if (!rs.holders.contains(h)) {
                    send(h, latest);
                }
            }
            for (String h : rs.holders) {
                if (!holders.contains(h)) {
                    peers.send(h, new Frame.ReplicaDrop(latest.clientId(), latest.epoch()));
                }
            }
        }
        rs.holders = holders;
        rs.acked.keySet().retainAll(holders);
    }

    /** A connection to {@code holder} is ready or writable again: send what it has not acknowledged. */
    @Override
    public void ready(String holder) {
        onTimer(() -> resync(holder), 0);
    }

    private void resync(String holder) {
        for (Session<?> s : sessions.get()) {
            ReplicaSet rs = s.replicaSet();
            if (rs == null) {
                continue;
            }
            synchronized (rs) {
                if (rs.latest != null && rs.holders.contains(holder) && !rs.isCurrent(holder) && !send(holder, rs.latest)) {
                    return; // not writable: the next writability change resumes
                }
            }
        }
    }

    private boolean send(String holder, StoredRecord record) {
        return peers.send(holder, new Frame.Replicate(record.clientId(), record.epoch(), record.version(),
                Unpooled.wrappedBuffer(record.data())));
    }

    private void onTimer(Runnable task, long delayMillis) {
        try {
            timer.schedule(() -> {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    log.warn("Replication task failed", e);
                }
            }, delayMillis, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // closing
        }
    }

    @Override
    public void close() {
        if (store != null) {
            store.close();
        }
    }

    /** Replicas held for other instances. */
    Replicas replicas() {
        return replicas;
    }

    @Override
    public String toString() {
        return "replicated:" + k + (store != null ? " + " + store : "");
    }
}
