package io.reploid.client;

import io.reploid.ReploidException;
import io.reploid.internal.Backoff;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;

/**
 * One request: its id, its payload and the future the caller holds. The id stays the same however often
 * the request is sent, so that the service can answer a repeated request from its record instead of
 * applying it twice. The future's state is thread-safe; every other field is touched only on the client's
 * event loop, after the call was handed to it.
 */
final class Call extends CompletableFuture<byte[]> {
    final long id;
    /** The caller's array, not copied; sent as it is, as often as the request is sent. */
    final byte[] payload;
    /** {@link System#nanoTime()} at which the call times out. */
    final long deadlineNanos;
    final long timeoutNanos;
    private final Session session;
    /** Fails the call at its deadline; set on the event loop when the call is enqueued. */
    ScheduledFuture<?> timer;
    /** The position of the call's first send among all first sends of the client; 0 before it. */
    long sendOrder;
    /** How often the call was sent. */
    int sends;
    /** Whether the call waits for its retry backoff to end (it is queued for a retry meanwhile). */
    boolean backingOff;
    /** Ends the retry backoff; {@code null} when none is scheduled. */
    ScheduledFuture<?> retryTimer;
    /** The retriable error of the latest attempt, or {@code null} while there was none. */
    ReploidException lastError;
    /** The delays between this call's retries; made at its first retry. */
    Backoff retryBackoff;

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

    /** Cancels the deadline and a scheduled retry: the call has left the queue for good. */
    void stopTimers() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
        if (retryTimer != null) {
            retryTimer.cancel(false);
            retryTimer = null;
        }
    }
}
