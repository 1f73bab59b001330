package io.reploid.state;

/**
 * XXH64 (seed 0) of an id's UTF-16LE bytes, read straight from the string, and murmur3's 64-bit
 * finalizer: the same functions the {@code rendezvous} balancer scores instances with, so replica
 * placement and rendezvous picks agree.
 *
 * <p>Stateless and thread-safe.
 */
final class IdHash {
    private static final long P1 = 0x9E3779B185EBCA87L;
    private static final long P2 = 0xC2B2AE3D27D4EB4FL;
    private static final long P3 = 0x165667B19E3779F9L;
    private static final long P4 = 0x85EBCA77C2B2AE63L;
    private static final long P5 = 0x27D4EB2F165667C5L;

    private IdHash() {
    }

    /** XXH64 with seed 0 of the string's UTF-16LE bytes. */
    static long xxh64(CharSequence s) {
        int chars = s.length();
        int i = 0;
        long h;
        if (chars >= 16) {
            long v1 = P1 + P2;
            long v2 = P2;
            long v3 = 0;
            long v4 = -P1;
            for (int limit = chars - 16; i <= limit; i += 16) {
                v1 = round(v1, lane(s, i));
                v2 = round(v2, lane(s, i + 4));
                v3 = round(v3, lane(s, i + 8));
                v4 = round(v4, lane(s, i + 12));
            }
            h = Long.rotateLeft(v1, 1) + Long.rotateLeft(v2, 7) + Long.rotateLeft(v3, 12) + Long.rotateLeft(v4, 18);
            h = merge(merge(merge(merge(h, v1), v2), v3), v4);
        } else {
            h = P5;
        }
        h += 2L * chars;
        for (; i + 4 <= chars; i += 4) {
            h ^= round(0, lane(s, i));
            h = Long.rotateLeft(h, 27) * P1 + P4;
        }
        if (i + 2 <= chars) {
            h ^= ((long) s.charAt(i) | (long) s.charAt(i + 1) << 16) * P1;
            h = Long.rotateLeft(h, 23) * P2 + P3;
            i += 2;
        }
        if (i < chars) {
            char c = s.charAt(i);
            h ^= (c & 0xFFL) * P5;
            h = Long.rotateLeft(h, 11) * P1;
            h ^= (c >>> 8) * P5;
            h = Long.rotateLeft(h, 11) * P1;
        }
        h ^= h >>> 33;
        h *= P2;
        h ^= h >>> 29;
        h *= P3;
        h ^= h >>> 32;
        return h;
    }

    /** murmur3's fmix64: a bijection in which every input bit affects every output bit. */
    static long mix(long x) {
        x ^= x >>> 33;
        x *= 0xFF51AFD7ED558CCDL;
        x ^= x >>> 33;
        x *= 0xC4CEB9FE1A85EC53L;
        x ^= x >>> 33;
        return x;
    }

    private static long lane(CharSequence s, int i) {
        return (long) s.charAt(i) | (long) s.charAt(i + 1) << 16 | (long) s.charAt(i + 2) << 32
                | (long) s.charAt(i + 3) << 48;
    }

    private static long round(long acc, long input) {
        return Long.rotateLeft(acc + input * P2, 31) * P1;
    }

    private static long merge(long acc, long v) {
        return (acc ^ round(0, v)) * P1 + P4;
    }
}
