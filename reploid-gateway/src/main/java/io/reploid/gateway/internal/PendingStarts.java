package io.reploid.gateway.internal;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Instances the autoscaler asked for that have not registered yet, so that the policy counts them and does
 * not ask again. A start is pending from the request until its instance registers or the start timeout
 * passes: by id when the provisioner named the instances; by count when it answered with no ids (then any
 * instance that was not live before and was not named takes one off the count, oldest first); and by
 * count while the provisioner has not answered. Not thread-safe: the control thread owns it.
 */
final class PendingStarts {

    /** One request to start instances, until the provisioner answers. */
    static final class Request {
        final int count;
        final long sinceNanos;

        Request(int count, long sinceNanos) {
            this.count = count;
            this.sinceNanos = sinceNanos;
        }
    }

    private final long timeoutNanos;
    private final List<Request> unanswered = new ArrayList<>();
    private final Map<String, Long> named = new LinkedHashMap<>();
    private final ArrayDeque<Long> unnamed = new ArrayDeque<>();
    private Set<String> live = Set.of();

    PendingStarts(long timeoutNanos) {
        this.timeoutNanos = timeoutNanos;
    }

    Request asked(int count, long nowNanos) {
        Request r = new Request(count, nowNanos);
        unanswered.add(r);
        return r;
    }

    /**
     * The provisioner answered with the ids of the instances it is starting (maybe none).
     *
     * @return false if the request was given up already (it timed out), and nothing is tracked
     */
    boolean answered(Request r, List<String> ids) {
        if (!unanswered.remove(r)) {
            return false;
        }
        if (ids.isEmpty()) {
            for (int i = 0; i < r.count; i++) {
                unnamed.addLast(r.sinceNanos);
            }
        }
        for (String id : ids) {
            if (!live.contains(id)) {
                named.putIfAbsent(id, r.sinceNanos);
            }
        }
        return true;
    }

    /** The request failed: nothing is starting for it. */
    boolean failed(Request r) {
        return unanswered.remove(r);
    }

    /** The instances live now: the starts among them are done. */
    void registered(Set<String> liveIds) {
        for (String id : liveIds) {
            if (!live.contains(id) && named.remove(id) == null && !unnamed.isEmpty()) {
                unnamed.pollFirst();
            }
        }
        named.keySet().removeAll(liveIds);
        live = new HashSet<>(liveIds);
    }

    /**
     * Forgets the starts older than the timeout.
     *
     * @return what was given up, one line each, for the logs and events
     */
    List<String> expire(long nowNanos) {
        List<String> out = new ArrayList<>();
        for (Iterator<Map.Entry<String, Long>> it = named.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, Long> e = it.next();
            if (nowNanos - e.getValue() > timeoutNanos) {
                it.remove();
                out.add(e.getKey() + " did not register");
            }
        }
        int n = 0;
        while (!unnamed.isEmpty() && nowNanos - unnamed.peekFirst() > timeoutNanos) {
            unnamed.pollFirst();
            n++;
        }
        if (n > 0) {
            out.add(n + (n == 1 ? " started instance" : " started instances") + " did not register");
        }
        for (Iterator<Request> it = unanswered.iterator(); it.hasNext(); ) {
            Request r = it.next();
            if (nowNanos - r.sinceNanos > timeoutNanos) {
                it.remove();
                out.add("a start of " + r.count + " was not answered");
            }
        }
        return out;
    }

    /** How many instances are starting. */
    int count() {
        int n = named.size() + unnamed.size();
        for (Request r : unanswered) {
            n += r.count;
        }
        return n;
    }

    /** The ids of the starting instances the provisioner named. */
    List<String> names() {
        return List.copyOf(named.keySet());
    }
}
