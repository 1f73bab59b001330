package io.reploid.service.internal;

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
