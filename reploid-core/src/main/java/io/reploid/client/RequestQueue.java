package io.reploid.client;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The client's outstanding calls: a FIFO of calls never sent yet, the calls sent and not yet answered
 * (at most {@code maxInFlight} of them), and the calls to send again, each either ready or waiting for
 * its retry backoff to end.
 *
 * <p>Sending order: calls to send again go first, in the order in which they were first sent, and none is
 * sent past one that waits for its backoff; calls never sent go only when no call is left to send again.
 * So a retried call always reaches the gateway before every call that was first sent after it.
 *
 * <p>Not thread-safe: used on the client's event loop only.
 */
final class RequestQueue {
    private final int maxInFlight;
    /** Calls never sent, in arrival order, by id. */
    private final LinkedHashMap<Long, Call> waiting = new LinkedHashMap<>();
    /** Calls sent and not yet answered, by id. */
    private final Map<Long, Call> sent = new HashMap<>();
    /** Calls to send again, by {@link Call#sendOrder}. */
    private final TreeMap<Long, Call> retries = new TreeMap<>();
    private long firstSends;

    RequestQueue(int maxInFlight) {
        this.maxInFlight = maxInFlight;
    }

    /** Appends a call to the waiting queue. */
    void add(Call call) {
        waiting.put(call.id, call);
    }

    /**
     * Moves the next call to send to the sent ones and returns it, or returns {@code null} when nothing
     * may be sent now: nothing waits, {@code maxInFlight} calls are already sent, or the first call to send
     * again waits for its backoff.
     */
    Call nextToSend() {
        if (sent.size() >= maxInFlight) {
            return null;
        }
        Call call;
        if (!retries.isEmpty()) {
            if (retries.firstEntry().getValue().backingOff) {
                return null;
            }
            call = retries.pollFirstEntry().getValue();
        } else if (!waiting.isEmpty()) {
            Iterator<Call> oldest = waiting.values().iterator();
            call = oldest.next();
            oldest.remove();
            call.sendOrder = ++firstSends;
        } else {
            return null;
        }
        call.sends++;
        sent.put(call.id, call);
        return call;
    }

    /** Removes and returns the sent call with this id, or {@code null} when none (a late answer). */
    Call answered(long requestId) {
        return sent.remove(requestId);
    }

    /**
     * Queues a call that was sent (and is no longer) to be sent again, before every call first sent after
     * it; {@code backingOff} holds it (and every such later call) back until {@link #ready}.
     */
    void retry(Call call, boolean backingOff) {
        call.backingOff = backingOff;
        retries.put(call.sendOrder, call);
    }

    /** Ends the backoff of a call queued by {@link #retry}; false when it is not queued for a retry. */
    boolean ready(Call call) {
        if (call.sendOrder == 0 || retries.get(call.sendOrder) != call) {
            return false;
        }
        call.backingOff = false;
        return true;
    }

    /** Removes a call, wherever it is; false when it is not here. */
    boolean remove(Call call) {
        return waiting.remove(call.id, call)
                || sent.remove(call.id, call)
                || (call.sendOrder != 0 && retries.remove(call.sendOrder, call));
    }

    /** Removes and returns every sent call, in the order of their first sends. */
    List<Call> takeSent() {
        List<Call> calls = new ArrayList<>(sent.values());
        sent.clear();
        calls.sort((a, b) -> Long.compare(a.sendOrder, b.sendOrder));
        return calls;
    }

    /** Removes and returns every call: sent ones, then those to send again, then those never sent. */
    List<Call> takeAll() {
        List<Call> calls = takeSent();
        calls.addAll(retries.values());
        retries.clear();
        calls.addAll(waiting.values());
        waiting.clear();
        return calls;
    }

    int inFlight() {
        return sent.size();
    }

    /** Calls never sent. */
    int waiting() {
        return waiting.size();
    }

    /** Calls to send again, ready or backing off. */
    int retrying() {
        return retries.size();
    }
}
