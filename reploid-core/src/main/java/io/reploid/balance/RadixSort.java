package io.reploid.balance;

/**
 * Sorts {@code long}s in signed order in four passes of 16 bits: linear time, for the large arrays of
 * hash tables built on membership changes. Stateless and thread-safe.
 */
final class RadixSort {
    private RadixSort() {
    }

    static void sort(long[] a) {
        if (a.length < 1024) {
            java.util.Arrays.sort(a);
            return;
        }
        long[] src = a;
        long[] dst = new long[a.length];
        int[] counts = new int[1 << 16];
        for (int shift = 0; shift < 64; shift += 16) {
            int flip = shift == 48 ? 0x8000 : 0; // the sign bit orders the last digit
            java.util.Arrays.fill(counts, 0);
            for (long v : src) {
                counts[(int) (v >>> shift) & 0xFFFF ^ flip]++;
            }
            int sum = 0;
            for (int d = 0; d < counts.length; d++) {
                int c = counts[d];
                counts[d] = sum;
                sum += c;
            }
            for (long v : src) {
                dst[counts[(int) (v >>> shift) & 0xFFFF ^ flip]++] = v;
            }
            long[] t = src;
            src = dst;
            dst = t;
        }
        // four passes: the sorted data is back in a
    }
}
