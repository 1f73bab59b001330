package io.reploid.balance;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class MaglevTest {

    @Test
    void tableSizeIsThePrimeAboveAHundredPerInstanceAndSharesDifferByAtMostOnePercent() {
        assertThat(Maglev.tableSize(1)).isEqualTo(65_537);
        assertThat(Maglev.tableSize(655)).isEqualTo(65_537);
        assertThat(Maglev.tableSize(1000)).isEqualTo(131_101);
        Instance[] instances = TestInstance.many(100, 1).toArray(new Instance[0]);
        int[] table = Maglev.populate(instances, Maglev.tableSize(100));
        int[] owned = new int[100];
        for (int slot : table) {
            owned[slot]++;
        }
        IntStream.of(owned).forEach(o -> assertThat(o).isBetween(655, 656));
        double mean = table.length / 100.0;
        assertThat((IntStream.of(owned).max().orElseThrow() - IntStream.of(owned).min().orElseThrow()) / mean)
                .isLessThanOrEqualTo(0.01);
    }

    @Test
    void removingOneOfAHundredInstancesMovesAtMostTwoPercentOfClients() {
        List<TestInstance> instances = TestInstance.many(100, 1_000_000);
        LoadBalancer maglev = LoadBalancers.maglev();
        List<String> before = Mapping.of(maglev, instances, 20_000);
        List<TestInstance> fewer = new ArrayList<>(instances);
        fewer.remove(57);
        int moved = Mapping.moved(before, Mapping.of(maglev, fewer, 20_000));
        assertThat(moved / 20_000.0).isLessThanOrEqualTo(0.02);
    }
}
