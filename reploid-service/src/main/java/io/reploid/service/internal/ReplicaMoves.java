package io.reploid.service.internal;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves replicas when the cluster changes, on the timer thread:
 *
 * <ul>
 *   <li>after a membership change, every session whose replica holders changed sends its newest record to
 *       its new holders and REPLICA_DROP to the removed ones, at most {@value #BUDGET} sessions every
 *       {@value #TICK_MILLIS} ms (about 10,000 a second), so a large instance does not flood its peers; a
 *       change during a round starts another round when it ends;</li>
 *   <li>when the connection to a holder becomes ready or writable again, every session that replicates
 *       to it sends its newest record again if the holder has not acknowledged it, until the connection
 *       is not writable any more (the next writability change resumes).</li>
 * </ul>
 *
 * <p>Thread-safe: the triggers may come from any thread; the work runs on the timer thread.
 */
final class ReplicaMoves {
    private static final Logger log = LoggerFactory.getLogger(ReplicaMoves.class);
    static final int BUDGET = 256;
    static final long TICK_MILLIS = 25;

    private final int k;
    private final Peers peers;
    private final ScheduledExecutorService timer;
    private final Supplier<List<? extends Session<?>>> sessions;
    private final Supplier<MemberView> view;
    private boolean moving; // guarded by this
    private boolean again; // guarded by this

    ReplicaMoves(int k, Peers peers, ScheduledExecutorService timer, Supplier<List<? extends Session<?>>> sessions,
            Supplier<MemberView> view) {
        this.k = k;
        this.peers = requireNonNull(peers, "peers");
        this.timer = requireNonNull(timer, "timer");
        this.sessions = requireNonNull(sessions, "sessions");
        this.view = requireNonNull(view, "view");
    }

    /** The membership changed: starts a round, or another one after the current one. */
    void membersChanged() {
        synchronized (this) {
            if (moving) {
                again = true;
                return;
            }
            moving = true;
        }
        onTimer(() -> move(new ArrayList<>(sessions.get()), 0), 0);
    }

    /** Re-replicates from {@code from} on, within the budget, then schedules the rest. */
    private void move(List<? extends Session<?>> round, int from) {
        MemberView members = view.get();
        int moved = 0;
        int i = from;
        try {
            for (; i < round.size() && moved < BUDGET; i++) {
                ReplicaSet rs = round.get(i).replicaSet();
                if (rs == null) {
                    continue;
                }
                List<String> holders = members.replicaHolders(round.get(i).clientId(), k);
                synchronized (rs) {
                    if (!holders.equals(rs.holders)) {
                        moved += rs.latest != null ? 1 : 0;
                        rs.retarget(holders, peers);
                    }
                }
            }
        } catch (RuntimeException e) {
            log.warn("Moving replicas failed; going on with the next session", e);
            i++;
        }
        if (i < round.size()) {
            int next = i;
            onTimer(() -> move(round, next), TICK_MILLIS);
            return;
        }
        synchronized (this) {
            if (!again) {
                moving = false;
                return;
            }
            again = false;
        }
        onTimer(() -> move(new ArrayList<>(sessions.get()), 0), TICK_MILLIS);
    }

    /** The link to {@code holder} is ready or writable again. */
    void resync(String holder) {
        onTimer(() -> {
            for (Session<?> s : sessions.get()) {
                ReplicaSet rs = s.replicaSet();
                if (rs == null) {
                    continue;
                }
                synchronized (rs) {
                    if (rs.latest != null && rs.holders.contains(holder) && !rs.isCurrent(holder)
                            && !ReplicaSet.send(peers, holder, rs.latest)) {
                        return;
                    }
                }
            }
        }, 0);
    }

    private void onTimer(Runnable task, long delayMillis) {
        try {
            timer.schedule(task, delayMillis, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // closing
        }
    }
}
