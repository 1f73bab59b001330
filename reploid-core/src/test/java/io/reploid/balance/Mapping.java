package io.reploid.balance;

import java.util.ArrayList;
import java.util.List;

/** Where a balancer sends each of many clients, for movement tests of hash strategies. */
final class Mapping {
    private Mapping() {
    }

    /** The id of the instance picked for clients {@code c0 .. c(count-1)}, without pinning. */
    static List<String> of(LoadBalancer balancer, List<? extends Instance> instances, int count) {
        Picker p = balancer.update(TestInstance.view(instances));
        List<String> ids = new ArrayList<>(count);
        for (int c = 0; c < count; c++) {
            ids.add(p.pick(new TestRequest("client-" + c)).id());
        }
        return ids;
    }

    /** How many clients changed instance. */
    static int moved(List<String> before, List<String> after) {
        int moved = 0;
        for (int c = 0; c < before.size(); c++) {
            moved += before.get(c).equals(after.get(c)) ? 0 : 1;
        }
        return moved;
    }

    /** How many clients changed instance though their instance did not leave. */
    static int stray(List<String> before, List<String> after, String removed) {
        int stray = 0;
        for (int c = 0; c < before.size(); c++) {
            stray += !before.get(c).equals(removed) && !before.get(c).equals(after.get(c)) ? 1 : 0;
        }
        return stray;
    }
}
