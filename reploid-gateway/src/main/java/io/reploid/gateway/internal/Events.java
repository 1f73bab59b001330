package io.reploid.gateway.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * A bounded log of cluster events (instance state changes, failovers, balancer changes), served by the
 * admin API. Keeps the latest {@code capacity} events. Thread-safe.
 */
final class Events {

    /** One event. {@code seq} grows by one per event. */
    record Event(long seq, long timeMillis, String type, String instance, String message) {
    }

    private final Event[] ring;
    private long seq;

    Events(int capacity) {
        ring = new Event[capacity];
    }

    synchronized Event add(String type, String instance, String message) {
        Event e = new Event(++seq, System.currentTimeMillis(), type, instance, message);
        ring[(int) (e.seq() % ring.length)] = e;
        return e;
    }

    /** Events with a sequence number above {@code after}, oldest first (at most the capacity). */
    synchronized List<Event> since(long after) {
        List<Event> out = new ArrayList<>();
        long from = Math.max(after + 1, seq - ring.length + 1);
        for (long s = Math.max(1, from); s <= seq; s++) {
            Event e = ring[(int) (s % ring.length)];
            if (e != null && e.seq() == s) {
                out.add(e);
            }
        }
        return out;
    }

    synchronized long lastSeq() {
        return seq;
    }
}
