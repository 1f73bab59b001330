package io.reploid.examples;

import io.reploid.gateway.internal.dashboard.DashboardSource.Recent;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The latest items (events, flows, moves) of the simulated cluster, each numbered, for the dashboard's
 * cursors. Keeps at most {@code capacity}. Thread-safe.
 */
final class RecentLog {
    private final int capacity;
    private final Deque<Map<String, Object>> items = new ArrayDeque<>();
    private long seq;

    RecentLog(int capacity) {
        this.capacity = capacity;
    }

    /** Adds an item; {@code withSeq} puts its number in it as {@code seq} (events carry theirs). */
    synchronized void add(Map<String, Object> item, boolean withSeq) {
        seq++;
        Map<String, Object> m = new LinkedHashMap<>();
        if (withSeq) {
            m.put("seq", seq);
        }
        m.putAll(item);
        m.put("#", seq);
        items.addLast(m);
        if (items.size() > capacity) {
            items.removeFirst();
        }
    }

    /** Items after {@code after}, the latest {@code max} at most, without their internal number. */
    synchronized Recent since(long after, int max) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Map<String, Object> m : items) {
            if ((long) m.get("#") > after) {
                Map<String, Object> copy = new LinkedHashMap<>(m);
                copy.remove("#");
                out.add(copy);
            }
        }
        if (out.size() > max) {
            out = out.subList(out.size() - max, out.size());
        }
        return new Recent(out, seq);
    }
}
