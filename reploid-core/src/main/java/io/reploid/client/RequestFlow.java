package io.reploid.client;

import io.netty.buffer.Unpooled;
import io.netty.channel.EventLoop;
import io.reploid.ErrorCode;
import io.reploid.ReploidException;
import io.reploid.internal.protocol.Frame;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The life of every request: admission (at most {@code maxInFlight + maxPending} outstanding), the
 * {@link RequestQueue}, sending on the current connection as in-flight slots free up, matching answers,
 * deadlines and cancellation. Each call leaves exactly once, and its future is then completed through
 * {@link Callbacks}.
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

    /** The connection is gone: fails the calls sent on it with {@code error}; queued ones stay. */
    void disconnected(ReploidException error) {
        connection = null;
        for (Call call : queue.takeSent()) {
            finish(call);
            callbacks.fail(call, error);
        }
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

    /** An {@code ERROR} for one request arrived. */
    void failed(long requestId, ReploidException error) {
        Call call = queue.answered(requestId);
        if (call == null) {
            log.debug("dropped the error for request {}: not in flight ({})", requestId, error.getMessage());
            return;
        }
        finish(call);
        callbacks.fail(call, error);
        drain();
    }

    /** The caller cancelled the call: forget it (an answer to it is dropped). */
    void abandon(Call call) {
        if (queue.remove(call.id) != null) {
            finish(call);
            drain();
        }
    }

    private void timedOut(Call call) {
        call.timer = null;
        if (queue.remove(call.id) == null) {
            return;
        }
        finish(call);
        callbacks.fail(call, new ReploidException(ErrorCode.TIMEOUT, "no response to request " + call.id
                + " within " + Duration.ofNanos(call.timeoutNanos)));
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
        call.stopTimer();
        outstanding.decrementAndGet();
        inFlight = queue.inFlight();
    }
}
