package io.reploid.gateway.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The latest items of a sampled stream (request flows, client moves) for the dashboard, in a fixed ring:
 * recording is one atomic increment and one array store, so it can sit on a sampled hot path. Readers
 * take what was recorded after a sequence number they keep. An item whose slot is overwritten before it
 * is read is lost, which is fine for samples. Thread-safe, lock-free.
 *
 * @param <T> the item type (immutable)
 */
final class Ring<T> {

    private record Entry<T>(long seq, T item) {
    }

    private final AtomicReferenceArray<Entry<T>> slots;
    private final int mask;
    private final AtomicLong seq = new AtomicLong();

    /** A ring of {@code capacity} items, a power of two. */
    Ring(int capacity) {
        if (capacity <= 0 || Integer.bitCount(capacity) != 1) {
            throw new IllegalArgumentException("capacity: " + capacity + " (expected: a power of two)");
        }
        slots = new AtomicReferenceArray<>(capacity);
        mask = capacity - 1;
    }

    void record(T item) {
        long s = seq.incrementAndGet();
        slots.set((int) (s & mask), new Entry<>(s, item));
    }

    /** The sequence number of the latest item recorded. */
    long last() {
        return seq.get();
    }

    /**
     * Items recorded after {@code after}, oldest first: the latest {@code max} of them at most. Items still
     * being written by a racing thread are skipped.
     */
    List<T> since(long after, int max) {
        long last = seq.get();
        long from = Math.max(Math.max(after + 1, last - mask), last - max + 1);
        List<T> out = new ArrayList<>((int) Math.max(0, last - from + 1));
        for (long s = Math.max(1, from); s <= last; s++) {
            Entry<T> e = slots.get((int) (s & mask));
            if (e != null && e.seq() == s) {
                out.add(e.item());
            }
        }
        return out;
    }
}
