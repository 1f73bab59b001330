package io.reploid.balance.simulation;

import io.reploid.balance.ClusterView;
import io.reploid.balance.LoadBalancer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * Measures a membership change: places the same clients afresh before and after it and counts who lands
 * elsewhere (see {@link Report.Movement}). One thread.
 */
final class Replay {
    private Replay() {
    }

    static Report.Movement measure(String strategy, int step, MembershipEvent event,
            Supplier<? extends LoadBalancer> factory, List<SimInstance> before, List<SimInstance> after,
            List<SimClient> clients, long nanos, long seed) {
        Map<String, String> was = place(factory, before, clients, nanos, seed + step);
        Map<String, String> is = place(factory, after, clients, nanos, seed + step);
        Set<String> beforeIds = ids(before);
        Set<String> afterIds = ids(after);
        Set<String> departed = new HashSet<>(beforeIds);
        departed.removeAll(afterIds);
        Set<String> joined = new HashSet<>(afterIds);
        joined.removeAll(beforeIds);
        int moved = 0;
        int stray = 0;
        int onDeparted = 0;
        for (SimClient c : clients) {
            String x = was.get(c.id());
            String y = is.get(c.id());
            boolean fromDeparted = x != null && departed.contains(x);
            onDeparted += fromDeparted ? 1 : 0;
            if (!Objects.equals(x, y)) {
                moved++;
                if (!fromDeparted && (y == null || !joined.contains(y))) {
                    stray++;
                }
            }
        }
        double minimum = clients.size() * (share(before, departed) + share(after, joined));
        return new Report.Movement(strategy, step, event.toString(), clients.size(), moved, (int) Math.round(minimum),
                stray, clients.size() - onDeparted);
    }

    private static Map<String, String> place(Supplier<? extends LoadBalancer> factory, List<SimInstance> instances,
            List<SimClient> clients, long nanos, long seed) {
        Map<String, SimInstance> members = new TreeMap<>();
        for (SimInstance i : instances) {
            members.put(i.id(), i.fresh());
        }
        Map<String, String> placed = new HashMap<>(clients.size() * 2);
        try (LoadBalancer balancer = factory.get()) {
            var picker = balancer.update(new ClusterView(new ArrayList<>(members.values()), 1, nanos));
            Placement placement = new Placement();
            SplittableRandom random = new SplittableRandom(seed);
            for (SimClient c : clients) {
                SimClient copy = new SimClient(c.id(), c.weight(), c.metadata());
                SimInstance i = placement.place(picker, copy, members, random);
                if (i != null) {
                    placed.put(c.id(), i.id());
                }
            }
        }
        return placed;
    }

    private static Set<String> ids(List<SimInstance> instances) {
        Set<String> ids = new HashSet<>();
        instances.forEach(i -> ids.add(i.id()));
        return ids;
    }

    /** The weight of some of the instances as a fraction of all of theirs. */
    private static double share(List<SimInstance> instances, Set<String> some) {
        double part = 0;
        double total = 0;
        for (SimInstance i : instances) {
            part += some.contains(i.id()) ? i.weight() : 0;
            total += i.weight();
        }
        return total == 0 ? 0 : part / total;
    }
}
