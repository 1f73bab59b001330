package io.reploid.balance;

import java.util.Arrays;

/**
 * Sorts {@code long}s in signed order of their high bits, in passes of 11 bits: linear time, for the large
 * arrays of hash tables built on membership changes. Stateless and thread-safe.
 */
final class RadixSort {
    private static final int DIGIT = 11;

    private RadixSort() {
    }

    /**
     * Sorts by bits {@code [lowBit, 64)} in signed order; the order of values equal in those bits is
     * unspecified. {@code 64 - lowBit} must be a multiple of 11.
     */
    static void sortHighBits(long[] a, int lowBit) {
        if ((64 - lowBit) % DIGIT != 0) {
            throw new IllegalArgumentException("lowBit: " + lowBit + " (expected: 64 - lowBit a multiple of " + DIGIT + ")");
        }
        if (a.length < 1024) {
            Arrays.sort(a);
            return;
        }
        long[] src = a;
        long[] dst = new long[a.length];
        int[] counts = new int[1 << DIGIT];
        int mask = (1 << DIGIT) - 1;
        for (int shift = lowBit; shift < 64; shift += DIGIT) {
            int flip = shift + DIGIT == 64 ? 1 << (DIGIT - 1) : 0; // the sign bit orders the last digit
            Arrays.fill(counts, 0);
            for (long v : src) {
                counts[(int) (v >>> shift) & mask ^ flip]++;
            }
            int sum = 0;
            for (int d = 0; d < counts.length; d++) {
                int c = counts[d];
                counts[d] = sum;
                sum += c;
            }
            for (long v : src) {
                dst[counts[(int) (v >>> shift) & mask ^ flip]++] = v;
            }
            long[] t = src;
            src = dst;
            dst = t;
        }
        if (src != a) {
            System.arraycopy(src, 0, a, 0, a.length);
        }
    }
}
