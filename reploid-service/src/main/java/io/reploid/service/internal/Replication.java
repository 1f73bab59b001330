package io.reploid.service.internal;

import static java.util.Objects.requireNonNull;

import io.reploid.internal.protocol.Frame;
import io.reploid.state.FencedException;
import io.reploid.state.StoreException;
import io.reploid.state.StoredRecord;
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
 * <p>When membership changes, {@link ReplicaMoves} re-replicates every session whose replica set changed,
 * and sends a peer connection that becomes ready (or writable again) what it has not acknowledged.
 *
 * <p>Thread-safe. Per-session state is in the session's {@link ReplicaSet}, under its monitor; futures are
 * completed outside it. Nothing here blocks: sends are asynchronous writes on peer connections.
 */
final class Replication implements Durability, PeerLink.Listener {
    private static final Logger log = LoggerFactory.getLogger(Replication.class);
    /** Room for the REPLICATE header (a 255-byte id, epoch, version) within the peers' maximum frame size. */
    private static final int HEADER_ROOM = 300;

    private final int k;
    private final long timeoutMillis;
    private final int maxRecordBytes;
    private final Replicas replicas;
    private final Peers peers;
    private final WriteBehind store;
    private final ScheduledExecutorService timer;
    private final Function<String, Session<?>> lookup;
    private final ReplicaMoves moves;
    private volatile MemberView view = MemberView.EMPTY;

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
        this.lookup = requireNonNull(lookup, "lookup");
        this.moves = new ReplicaMoves(k, peers, timer, requireNonNull(sessions, "sessions"), () -> view);
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
            rs.retarget(holders, peers);
            rs.latest = record;
            for (String h : holders) {
                ReplicaSet.send(peers, h, record);
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
        moves.membersChanged();
    }

    /** A connection to {@code holder} is ready or writable again: send what it has not acknowledged. */
    @Override
    public void ready(String holder) {
        moves.resync(holder);
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
