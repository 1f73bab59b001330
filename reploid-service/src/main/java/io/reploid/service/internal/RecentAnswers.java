package io.reploid.service.internal;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A client's most recent answers, by request id: the window that makes retries exactly-once. Holds at
 * most {@code capacity} entries and forgets the oldest first, so a retry is recognised while the client
 * has at most {@code capacity} requests in flight.
 *
 * <p>Each entry also keeps a fingerprint of the request's payload: a request that reuses an id with a
 * different payload (a client process that started over and counts its ids from 1 again) is a new
 * request, not a retry.
 *
 * <p>Not thread-safe: used only from the client's mailbox.
 */
final class RecentAnswers {

    /** One answered request. */
    record Entry(long requestId, long fingerprint, Answer answer) {
    }

    private final int capacity;
    private final LinkedHashMap<Long, Entry> entries = new LinkedHashMap<>();

    RecentAnswers(int capacity) {
        if (capacity <= 0) {
            throw new IllegalArgumentException("capacity: " + capacity + " (expected: > 0)");
        }
        this.capacity = capacity;
    }

    /** The answer recorded for a retry of {@code requestId} with this payload fingerprint, or {@code null}. */
    Answer find(long requestId, long fingerprint) {
        Entry e = entries.get(requestId);
        return e != null && e.fingerprint == fingerprint ? e.answer : null;
    }

    /** Records an answer, as the newest entry, forgetting the oldest beyond the capacity. */
    void put(long requestId, long fingerprint, Answer answer) {
        entries.remove(requestId);
        entries.put(requestId, new Entry(requestId, fingerprint, answer));
        Iterator<Map.Entry<Long, Entry>> it = entries.entrySet().iterator();
        while (entries.size() > capacity) {
            it.next();
            it.remove();
        }
    }

    /** Replaces every entry with {@code restored}, oldest first, keeping the newest {@code capacity}. */
    void replaceAll(List<Entry> restored) {
        entries.clear();
        for (Entry e : restored) {
            put(e.requestId, e.fingerprint, e.answer);
        }
    }

    /** The entries, oldest first. */
    List<Entry> entries() {
        return new ArrayList<>(entries.values());
    }

    int size() {
        return entries.size();
    }

    /** A 64-bit fingerprint of a request payload: FNV-1a, then murmur3's finalizer. */
    static long fingerprint(byte[] payload) {
        long h = 0xCBF29CE484222325L;
        for (byte b : payload) {
            h ^= b & 0xFF;
            h *= 0x100000001B3L;
        }
        h ^= payload.length;
        h ^= h >>> 33;
        h *= 0xFF51AFD7ED558CCDL;
        h ^= h >>> 33;
        h *= 0xC4CEB9FE1A85EC53L;
        h ^= h >>> 33;
        return h;
    }
}
