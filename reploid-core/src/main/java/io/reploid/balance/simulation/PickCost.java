package io.reploid.balance.simulation;

import io.reploid.balance.Picker;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The mean cost of a pick, measured after a run on a picker of the final view: the clients present are
 * picked for again (not pinned) {@value #WARM_UP} times to warm the code up, then {@value #PICKS} times on
 * the clock.
 * A rough figure that depends on the machine and what else runs on it; JMH benchmarks are the reference.
 */
final class PickCost {
    private static final int WARM_UP = 100_000;
    private static final int PICKS = 20_000;

    private PickCost() {
    }

    static double measure(Picker picker, List<SimClient> clients, long seed) {
        if (clients.isEmpty()) {
            return 0;
        }
        SplittableRandom random = new SplittableRandom(seed);
        SimRequest[] requests = new SimRequest[Math.min(clients.size(), 4096)];
        for (int k = 0; k < requests.length; k++) {
            requests[k] = new SimRequest(clients.get(k), random);
        }
        int sink = pick(picker, requests, WARM_UP);
        long start = System.nanoTime();
        sink += pick(picker, requests, PICKS);
        long elapsed = System.nanoTime() - start;
        return sink == Integer.MIN_VALUE ? -1 : (double) elapsed / PICKS;
    }

    private static int pick(Picker picker, SimRequest[] requests, int count) {
        int found = 0;
        for (int k = 0; k < count; k++) {
            found += picker.pick(requests[k % requests.length]) != null ? 1 : 0;
        }
        return found;
    }
}
