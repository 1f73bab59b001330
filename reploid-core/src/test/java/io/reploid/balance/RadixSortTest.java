package io.reploid.balance;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class RadixSortTest {

    @Test
    void sortsByTheHighBitsInSignedOrder() {
        SplittableRandom random = new SplittableRandom(4);
        for (int length : new int[] {0, 5, 1023, 5000, 100_000}) {
            long[] a = random.longs(length).map(v -> v & ~((1L << 20) - 1)).toArray();
            long[] expected = a.clone();
            Arrays.sort(expected);
            RadixSort.sortHighBits(a, 20);
            assertThat(a).as("length %d", length).containsExactly(expected);
        }
    }
}
