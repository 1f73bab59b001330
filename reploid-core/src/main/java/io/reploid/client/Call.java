package io.reploid.client;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;

/**
 * One request: its id, its payload and the future the caller holds. The future's state is thread-safe;
 * every other field is touched only on the client's event loop, after the call was handed to it.
 */
final class Call extends CompletableFuture<byte[]> {
    final long id;
    /** The caller's array, not copied; sent as it is. */
    final byte[] payload;
    /** {@link System#nanoTime()} at which the call times out. */
    final long deadlineNanos;
    final long timeoutNanos;
    private final Session session;
    /** Fails the call at its deadline; set on the event loop when the call is enqueued. */
    ScheduledFuture<?> timer;

    Call(Session session, long id, byte[] payload, long startNanos, long timeoutNanos) {
        this.session = session;
        this.id = id;
        this.payload = payload;
        this.timeoutNanos = timeoutNanos;
        this.deadlineNanos = startNanos + timeoutNanos;
    }

    /** Cancelling gives the request up: it leaves the queue or stops counting as in flight. */
    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
        boolean cancelled = super.cancel(mayInterruptIfRunning);
        if (cancelled) {
            session.abandon(this);
        }
        return cancelled;
    }

    void stopTimer() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }
}
