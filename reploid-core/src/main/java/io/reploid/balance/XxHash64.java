package io.reploid.balance;

/**
 * XXH64, the 64-bit xxHash, and a 64-bit finalizer, for the hash strategies. Client and instance ids are
 * hashed as their UTF-16LE bytes, read straight from the string without copying.
 *
 * <p>Stateless and thread-safe.
 */
final class XxHash64 {
    private static final long P1 = 0x9E3779B185EBCA87L;
    private static final long P2 = 0xC2B2AE3D27D4EB4FL;
    private static final long P3 = 0x165667B19E3779F9L;
    private static final long P4 = 0x85EBCA77C2B2AE63L;
    private static final long P5 = 0x27D4EB2F165667C5L;

    private XxHash64() {
    }

    /** XXH64 of the string's UTF-16LE bytes with seed 0. */
    static long hash(CharSequence s) {
        return hash(s, 0);
    }

    /** XXH64 of the string's UTF-16LE bytes. */
    static long hash(CharSequence s, long seed) {
        int chars = s.length();
        int i = 0;
        long h;
        if (chars >= 16) {
            long v1 = seed + P1 + P2;
            long v2 = seed + P2;
            long v3 = seed;
            long v4 = seed - P1;
            for (int limit = chars - 16; i <= limit; i += 16) {
                v1 = round(v1, lane(s, i));
                v2 = round(v2, lane(s, i + 4));
                v3 = round(v3, lane(s, i + 8));
                v4 = round(v4, lane(s, i + 12));
            }
            h = Long.rotateLeft(v1, 1) + Long.rotateLeft(v2, 7) + Long.rotateLeft(v3, 12) + Long.rotateLeft(v4, 18);
            h = merge(merge(merge(merge(h, v1), v2), v3), v4);
        } else {
            h = seed + P5;
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
        return avalanche(h);
    }

    /** XXH64 of bytes; the reference the string variant is tested against. */
    static long hash(byte[] b, long seed) {
        int len = b.length;
        int i = 0;
        long h;
        if (len >= 32) {
            long v1 = seed + P1 + P2;
            long v2 = seed + P2;
            long v3 = seed;
            long v4 = seed - P1;
            for (int limit = len - 32; i <= limit; i += 32) {
                v1 = round(v1, le64(b, i));
                v2 = round(v2, le64(b, i + 8));
                v3 = round(v3, le64(b, i + 16));
                v4 = round(v4, le64(b, i + 24));
            }
            h = Long.rotateLeft(v1, 1) + Long.rotateLeft(v2, 7) + Long.rotateLeft(v3, 12) + Long.rotateLeft(v4, 18);
            h = merge(merge(merge(merge(h, v1), v2), v3), v4);
        } else {
            h = seed + P5;
        }
        h += len;
        for (; i + 8 <= len; i += 8) {
            h ^= round(0, le64(b, i));
            h = Long.rotateLeft(h, 27) * P1 + P4;
        }
        if (i + 4 <= len) {
            h ^= (le64(b, i) & 0xFFFFFFFFL) * P1;
            h = Long.rotateLeft(h, 23) * P2 + P3;
            i += 4;
        }
        for (; i < len; i++) {
            h ^= (b[i] & 0xFFL) * P5;
            h = Long.rotateLeft(h, 11) * P1;
        }
        return avalanche(h);
    }

    /** A bijective 64-bit finalizer (murmur3's fmix64): every input bit affects every output bit. */
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

    private static long le64(byte[] b, int i) {
        long v = 0;
        for (int k = Math.min(7, b.length - 1 - i); k >= 0; k--) {
            v = v << 8 | (b[i + k] & 0xFFL);
        }
        return v;
    }

    private static long round(long acc, long input) {
        return Long.rotateLeft(acc + input * P2, 31) * P1;
    }

    private static long merge(long acc, long v) {
        return (acc ^ round(0, v)) * P1 + P4;
    }

    private static long avalanche(long h) {
        h ^= h >>> 33;
        h *= P2;
        h ^= h >>> 29;
        h *= P3;
        h ^= h >>> 32;
        return h;
    }
}
