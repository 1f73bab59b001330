package io.reploid.service.internal;

import io.netty.buffer.Unpooled;
import io.reploid.internal.protocol.Frame;
import io.reploid.state.StoredRecord;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;

/**
 * One client's replication as its primary sees it: the current replica holders, the newest record, the
 * highest version each holder acknowledged, and the commit waiting for acknowledgements.
 *
 * <p>Not thread-safe by itself: every access holds the object's monitor (commits run in the client's
 * mailbox, acknowledgements arrive on peer event loops, re-replication runs on the timer thread). Futures
 * are completed after the monitor is released.
 */
final class ReplicaSet {
    List<String> holders = List.of();
    StoredRecord latest;
    final Map<String, Long> acked = new HashMap<>();
    CompletableFuture<Void> waiter;
    long waitVersion;
    ScheduledFuture<?> timeout;
    /** After a takeover: the previous epoch whose stale replicas to drop once a record is confirmed; or -1. */
    long dropStaleUpTo = -1;

    /** Holders that acknowledged {@code version} or later. */
    int ackedAtLeast(long version) {
        int n = 0;
        for (String h : holders) {
            if (acked.getOrDefault(h, 0L) >= version) {
                n++;
            }
        }
        return n;
    }

    /** Whether {@code holder} has the newest record. */
    boolean isCurrent(String holder) {
        return latest != null && acked.getOrDefault(holder, 0L) >= latest.version();
    }

    /**
     * Moves the replica set to {@code holders}: the newest record to new holders, REPLICA_DROP to removed
     * ones; the acknowledgements of removed holders are forgotten. Hold the monitor.
     */
    void retarget(List<String> newHolders, Peers peers) {
        if (newHolders.equals(holders)) {
            return;
        }
        if (latest != null) {
            for (String h : newHolders) {
                if (!holders.contains(h)) {
                    send(peers, h, latest);
                }
            }
            for (String h : holders) {
                if (!newHolders.contains(h)) {
                    peers.send(h, new Frame.ReplicaDrop(latest.clientId(), latest.epoch()));
                }
            }
        }
        holders = newHolders;
        acked.keySet().retainAll(newHolders);
    }

    /** Sends a record to a holder; whether it was written. */
    static boolean send(Peers peers, String holder, StoredRecord record) {
        return peers.send(holder, new Frame.Replicate(record.clientId(), record.epoch(), record.version(),
                Unpooled.wrappedBuffer(record.data())));
    }

    /** Takes the waiting commit, cancelling its timeout. */
    CompletableFuture<Void> takeWaiter() {
        CompletableFuture<Void> w = waiter;
        waiter = null;
        if (timeout != null) {
            timeout.cancel(false);
            timeout = null;
        }
        return w;
    }
}
