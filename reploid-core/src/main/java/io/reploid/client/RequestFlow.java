package io.reploid.client;

import io.netty.buffer.Unpooled;
import io.netty.channel.EventLoop;
import io.reploid.ErrorCode;
import io.reploid.ReploidException;
import io.reploid.internal.Backoff;
import io.reploid.internal.protocol.Frame;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The life of every request: admission (at most {@code maxInFlight + maxPending} outstanding), the
 * {@link RequestQueue}, sending on the current connection as in-flight slots free up, matching answers,
 * retries, deadlines and cancellation. Each call leaves exactly once, and its future is then completed
 * through {@link Callbacks}.
 *
 * <p>Retries (unless turned off): a call failed with a retriable error code other than {@code TIMEOUT} is
 * sent again with the same id after a backoff (exponential with jitter, per call); a call whose connection
 * closed is sent again, without a backoff, on the next connection. Either way it stays outstanding and
 * keeps its deadline, at which it fails with {@code TIMEOUT} caused by its last retriable error. A call
 * that was cancelled or timed out has left the queue and is never sent again.
 *
 * <p>{@link #admit()}, {@link #outstanding()} and {@link #inFlight()} are thread-safe; every other method
 * runs on the client's event loop.
 */
final class RequestFlow {
    private static final Logger log = LoggerFactory.getLogger(RequestFlow.class);

    private final EventLoop loop;
    private final Callbacks callbacks;
    private final RequestQueue queue;
    private final int maxOutstanding;
    private final boolean retries;
    private final long minRetryMillis;
    private final long maxRetryMillis;
    /** Calls admitted and not yet finished: queued, sent, or on their way to the loop. */
    private final AtomicInteger outstanding = new AtomicInteger();
    private volatile int inFlight;
    /** The connection requests are sent on, or {@code null} while there is none. */
    private GatewayHandler connection;

    RequestFlow(ClientConfig config, EventLoop loop, Callbacks callbacks) {
        this.loop = loop;
        this.callbacks = callbacks;
        this.queue = new RequestQueue(config.maxInFlight());
        this.maxOutstanding = config.maxInFlight() + config.maxPending();
        this.retries = config.retries();
        this.minRetryMillis = config.minRetryBackoff().toMillis();
        this.maxRetryMillis = config.maxRetryBackoff().toMillis();
    }

    /** Reserves room for one more call; false when {@code maxInFlight + maxPending} are outstanding. */
    boolean admit() {
        for (;;) {
            int n = outstanding.get();
            if (n >= maxOutstanding) {
                return false;
            }
            if (outstanding.compareAndSet(n, n + 1)) {
                return true;
            }
        }
    }

    /** Gives back the room of an admitted call that never reached {@link #enqueue}. */
    void unadmit() {
        outstanding.decrementAndGet();
    }

    int outstanding() {
        return outstanding.get();
    }

    int inFlight() {
        return inFlight;
    }

    /** Queues an admitted call, starts its deadline and sends it if a slot is free. */
    void enqueue(Call call) {
        if (call.isDone()) { // cancelled before it reached the loop
            outstanding.decrementAndGet();
            return;
        }
        long delay = Math.max(0, call.deadlineNanos - System.nanoTime());
        call.timer = loop.schedule(() -> timedOut(call), delay, TimeUnit.NANOSECONDS);
        queue.add(call);
        drain();
    }

    /** Sends queued calls on {@code conn} from now on. */
    void connected(GatewayHandler conn) {
        connection = conn;
        drain();
    }

    /**
     * The connection is gone: the calls sent on it are queued to be sent again on the next connection
     * (or, without retries, fail with {@code error}); queued ones stay.
     */
    void disconnected(ReploidException error) {
        connection = null;
        for (Call call : queue.takeSent()) {
            if (retries) {
                call.lastError = error;
                queue.retry(call, false);
            } else {
                finish(call);
                callbacks.fail(call, error);
            }
        }
        inFlight = queue.inFlight();
    }

    /** Fails every call, sent or queued, with {@code error}. */
    void failAll(ReploidException error) {
        connection = null;
        for (Call call : queue.takeAll()) {
            finish(call);
            callbacks.fail(call, error);
        }
    }

    /** A {@code RESPONSE} arrived; the payload array is handed to the caller. */
    void answered(long requestId, byte[] payload) {
        Call call = queue.answered(requestId);
        if (call == null) {
            log.debug("dropped the response to request {}: not in flight (timed out or cancelled)", requestId);
            return;
        }
        finish(call);
        callbacks.complete(call, payload);
        drain();
    }

    /** An {@code ERROR} for one request arrived: the call is retried or fails with it. */
    void failed(long requestId, ReploidException error) {
        Call call = queue.answered(requestId);
        if (call == null) {
            log.debug("dropped the error for request {}: not in flight ({})", requestId, error.getMessage());
            return;
        }
        if (retries && retriable(error.code())) {
            backOff(call, error);
        } else {
            finish(call);
            callbacks.fail(call, error);
        }
        drain();
    }

    /** Whether a call that failed with {@code code} is sent again; {@code TIMEOUT} is final. */
    private static boolean retriable(ErrorCode code) {
        return code.retriable() && code != ErrorCode.TIMEOUT;
    }

    /** The caller cancelled the call: forget it (an answer to it is dropped). */
    void abandon(Call call) {
        if (queue.remove(call)) {
            finish(call);
            drain();
        }
    }

    /**
     * Queues a call that failed with a retriable error to be sent again once its backoff ends. When the
     * deadline comes first no retry is scheduled: the call waits for its deadline.
     */
    private void backOff(Call call, ReploidException error) {
        call.lastError = error;
        if (call.retryBackoff == null) {
            call.retryBackoff = new Backoff(minRetryMillis, maxRetryMillis);
        }
        long delay = TimeUnit.MILLISECONDS.toNanos(call.retryBackoff.nextDelayMillis());
        queue.retry(call, true);
        inFlight = queue.inFlight();
        log.debug("request {} failed with {}; sending it again in {} ms", call.id, error.code(),
                TimeUnit.NANOSECONDS.toMillis(delay));
        if (delay < call.deadlineNanos - System.nanoTime()) {
            call.retryTimer = loop.schedule(() -> backoffEnded(call), delay, TimeUnit.NANOSECONDS);
        }
    }

    private void backoffEnded(Call call) {
        call.retryTimer = null;
        if (queue.ready(call)) {
            drain();
        }
    }

    private void timedOut(Call call) {
        call.timer = null;
        if (!queue.remove(call)) {
            return;
        }
        finish(call);
        String message = "no response to request " + call.id + " within " + Duration.ofNanos(call.timeoutNanos);
        ReploidException last = call.lastError;
        callbacks.fail(call, last == null ? new ReploidException(ErrorCode.TIMEOUT, message)
                : new ReploidException(ErrorCode.TIMEOUT, message + " (sent " + call.sends + " times; last error: "
                        + last.code() + ": " + last.getMessage() + ")", last));
        drain();
    }

    /** Sends queued calls while there is a connection and a free in-flight slot. */
    private void drain() {
        if (connection != null) {
            boolean wrote = false;
            for (Call call; (call = queue.nextToSend()) != null; wrote = true) {
                connection.write(new Frame.Request(call.id, Unpooled.wrappedBuffer(call.payload)));
            }
            inFlight = queue.inFlight();
            if (wrote) {
                connection.flush();
            }
        }
    }

    /**
     * Bookkeeping for a call that left the queue for good, done before its future is completed so that
     * the caller sees the counts without it.
     */
    private void finish(Call call) {
        call.stopTimers();
        outstanding.decrementAndGet();
        inFlight = queue.inFlight();
    }
}
