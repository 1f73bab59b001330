package io.reploid.balance.simulation;

import io.reploid.balance.ClusterView;
import io.reploid.balance.LoadBalancer;
import io.reploid.balance.Picker;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * One strategy's run over a {@link Trace}. Each step: membership changes (measured by {@link Replay}), one
 * balancer update with fresh reports, clients of crashed and draining instances placed again, departures,
 * arrivals, new load reports, and the step's figures. One thread.
 */
final class Run {
    static final long STEP_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final int DRAIN_STEPS = 5;

    private final String strategy;
    private final Supplier<? extends LoadBalancer> factory;
    private final Trace trace;
    private final long seed;
    private final Map<String, SimInstance> live = new TreeMap<>();
    private final Map<SimInstance, Integer> draining = new LinkedHashMap<>();
    private final Map<String, SimClient> clients = new LinkedHashMap<>();
    private final Placement placement = new Placement();
    private final List<Report.Step> steps = new ArrayList<>();
    private final List<Report.Movement> movements = new ArrayList<>();
    private long repinned;
    private double nanosPerPick;

    Run(String strategy, Supplier<? extends LoadBalancer> factory, Trace trace, long seed) {
        this.strategy = strategy;
        this.factory = factory;
        this.trace = trace;
        this.seed = seed;
    }

    Report.Row execute() {
        SplittableRandom random = new SplittableRandom(seed ^ 0x5DEECE66DL);
        for (Trace.InstanceSpec spec : trace.initial) {
            live.put(spec.id(), spec.start(-STEP_NANOS * 3600)); // ready long before the run
        }
        long version = 0;
        try (LoadBalancer balancer = factory.get()) {
            Picker picker;
            for (int s = 0; s < trace.steps.size(); s++) {
                Trace.Step step = trace.steps.get(s);
                long now = s * STEP_NANOS;
                List<SimClient> homeless = new ArrayList<>();
                for (Trace.Change change : step.changes()) {
                    apply(change, s, now, homeless);
                    version++;
                }
                picker = balancer.update(new ClusterView(new ArrayList<>(live.values()), version, now));
                for (SimClient c : homeless) {
                    repin(picker, c, random);
                }
                drain(picker, random);
                for (String id : step.departures()) {
                    SimClient c = clients.remove(id);
                    if (c != null && c.instance != null) {
                        c.instance.remove(c);
                    }
                }
                for (Trace.ClientSpec spec : step.arrivals()) {
                    SimClient c = new SimClient(spec.id(), spec.weight(), spec.metadata());
                    if (placement.place(picker, c, live, random) != null) {
                        clients.put(c.id(), c);
                    }
                }
                long millis = TimeUnit.NANOSECONDS.toMillis(now + STEP_NANOS);
                live.values().forEach(i -> i.report(millis, trace.meanWeight));
                draining.keySet().forEach(i -> i.report(millis, trace.meanWeight));
                record(s);
            }
            Picker last = balancer.update(new ClusterView(new ArrayList<>(live.values()), version,
                    trace.steps.size() * STEP_NANOS)); // as after the last reports
            nanosPerPick = PickCost.measure(last, new ArrayList<>(clients.values()), seed);
        }
        return summary();
    }

    private void apply(Trace.Change change, int step, long now, List<SimClient> homeless) {
        List<SimInstance> before = new ArrayList<>(live.values());
        for (Trace.InstanceSpec spec : change.joined()) {
            live.put(spec.id(), spec.start(now));
        }
        for (String id : change.removed()) {
            SimInstance gone = live.remove(id);
            if (change.event().kind() == MembershipEvent.Kind.LEAVE) {
                draining.put(gone, DRAIN_STEPS);
            } else {
                for (SimClient c : clients.values()) {
                    if (c.instance == gone) {
                        gone.remove(c);
                        c.instance = null;
                        homeless.add(c);
                    }
                }
            }
        }
        Set<SimClient> waiting = Collections.newSetFromMap(new IdentityHashMap<>());
        waiting.addAll(homeless);
        List<SimClient> present = clients.values().stream().filter(c -> c.instance != null || waiting.contains(c))
                .toList();
        movements.add(Replay.measure(strategy, step, change.event(), factory, before, new ArrayList<>(live.values()),
                present, now, seed));
    }

    /** Moves a share of each draining instance's clients, so that it is empty after {@code DRAIN_STEPS}. */
    private void drain(Picker picker, SplittableRandom random) {
        for (Iterator<Map.Entry<SimInstance, Integer>> it = draining.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<SimInstance, Integer> e = it.next();
            SimInstance gone = e.getKey();
            int stepsLeft = e.getValue();
            int toMove = (gone.clients() + stepsLeft - 1) / stepsLeft;
            List<SimClient> moving = new ArrayList<>(toMove);
            for (SimClient c : clients.values()) {
                if (moving.size() == toMove) {
                    break;
                }
                if (c.instance == gone) {
                    moving.add(c);
                }
            }
            for (SimClient c : moving) {
                gone.remove(c);
                c.instance = null;
                repin(picker, c, random);
            }
            if (stepsLeft <= 1 || gone.clients() == 0) {
                it.remove();
            } else {
                e.setValue(stepsLeft - 1);
            }
        }
    }

    private void repin(Picker picker, SimClient c, SplittableRandom random) {
        repinned++;
        if (placement.place(picker, c, live, random) == null) {
            clients.remove(c.id());
        }
    }

    private void record(int step) {
        double load = 0;
        double capacity = 0;
        for (SimInstance i : live.values()) {
            load += i.trueLoad();
            capacity += i.capacity();
        }
        double mean = load / capacity;
        double peak = 0;
        double squares = 0;
        for (SimInstance i : live.values()) {
            double u = i.trueLoad() / i.capacity();
            peak = Math.max(peak, u);
            squares += (u - mean) * (u - mean);
        }
        boolean loaded = load > 0 && !live.isEmpty();
        double cv = loaded ? Math.sqrt(squares / live.size()) / mean : 0;
        steps.add(new Report.Step(strategy, step, live.size(), clients.size(), loaded ? peak / mean : 1, cv));
    }

    private Report.Row summary() {
        double max = 0;
        double sum = 0;
        for (Report.Step s : steps) {
            max = Math.max(max, s.peakToAverage());
            sum += s.peakToAverage();
        }
        Report.Step last = steps.isEmpty() ? null : steps.get(steps.size() - 1);
        long moved = 0;
        long minimum = 0;
        long stray = 0;
        long strayBase = 0;
        for (Report.Movement m : movements) {
            moved += m.moved();
            minimum += m.minimum();
            stray += m.stray();
            strayBase += m.strayBase();
        }
        Placement p = placement;
        return new Report.Row(strategy, max, steps.isEmpty() ? 1 : sum / steps.size(),
                last == null ? 1 : last.peakToAverage(), last == null ? 0 : last.cv(), moved, minimum, stray, strayBase,
                repinned, p.badPicks, p.unplaced, p.refused, p.picks, nanosPerPick);
    }

    List<Report.Step> steps() {
        return steps;
    }

    List<Report.Movement> movements() {
        return movements;
    }
}
