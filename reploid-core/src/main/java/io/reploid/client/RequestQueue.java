package io.reploid.client;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The client's outstanding calls: a FIFO of calls waiting to be sent and the calls sent and not yet
 * answered, at most {@code maxInFlight} of them. Both are keyed by request id so that a timeout or a
 * cancellation removes a call in constant time. Not thread-safe: used on the client's event loop only.
 */
final class RequestQueue {
    private final int maxInFlight;
    private final LinkedHashMap<Long, Call> waiting = new LinkedHashMap<>();
    private final Map<Long, Call> sent = new HashMap<>();

    RequestQueue(int maxInFlight) {
        this.maxInFlight = maxInFlight;
    }

    /** Appends a call to the waiting queue. */
    void add(Call call) {
        waiting.put(call.id, call);
    }

    /**
     * Moves the oldest waiting call to the sent ones and returns it, or returns {@code null} when nothing
     * waits or {@code maxInFlight} calls are already sent.
     */
    Call nextToSend() {
        if (waiting.isEmpty() || sent.size() >= maxInFlight) {
            return null;
        }
        Iterator<Call> oldest = waiting.values().iterator();
        Call call = oldest.next();
        oldest.remove();
        sent.put(call.id, call);
        return call;
    }

    /** Removes and returns the sent call with this id, or {@code null} when none (a late answer). */
    Call answered(long requestId) {
        return sent.remove(requestId);
    }

    /** Removes and returns the call with this id, waiting or sent, or {@code null} when none. */
    Call remove(long requestId) {
        Call call = waiting.remove(requestId);
        return call != null ? call : sent.remove(requestId);
    }

    /** Removes and returns every sent call, oldest id first. */
    List<Call> takeSent() {
        List<Call> calls = new ArrayList<>(sent.values());
        sent.clear();
        calls.sort((a, b) -> Long.compare(a.id, b.id));
        return calls;
    }

    /** Removes and returns every call, sent ones first. */
    List<Call> takeAll() {
        List<Call> calls = takeSent();
        calls.addAll(waiting.values());
        waiting.clear();
        return calls;
    }

    int inFlight() {
        return sent.size();
    }

    int waiting() {
        return waiting.size();
    }
}
