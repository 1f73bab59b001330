package io.reploid.gateway.internal;

import io.reploid.InstanceState;
import io.reploid.LoadReport;
import io.reploid.scaling.InstanceProvisioner;
import io.reploid.scaling.ScalingDecision;
import io.reploid.scaling.ScalingPolicy;
import io.reploid.scaling.ScalingSnapshot;
import io.reploid.scaling.ScalingSnapshot.InstanceLoad;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Scales the cluster toward a {@link ScalingPolicy}'s decisions through an {@link InstanceProvisioner}. Every
 * sync period, on the leader gateway only: snapshot the live instances and the pending starts, ask the
 * policy, then start the missing instances, or drain the surplus (the ones the provisioner manages, least
 * clients first, in the provisioner's removal order) and have the provisioner remove each once it holds no
 * client. One scale-in at a time: the next waits until every victim is removed. Every decision that changes
 * something and every action is an event ({@code scale-out}, {@code scale-in}, {@code drained},
 * {@code removed}, {@code scale-error}) and a log line.
 *
 * <p>Thread-safety: all state is confined to the gateway's control thread; the provisioner's stages complete
 * anywhere and hop back to it, so the control thread never waits for the provisioner. {@link #status()} may
 * be read from any thread.
 */
final class Autoscaler {
    private static final Logger log = LoggerFactory.getLogger(Autoscaler.class);

    /** An instance drained for removal. */
    private static final class Victim {
        final String reason;
        final long sinceNanos;
        final long sinceMillis = System.currentTimeMillis();
        boolean removing;

        Victim(String reason, long sinceNanos) {
            this.reason = reason;
            this.sinceNanos = sinceNanos;
        }
    }

    private final AutoscaleConfig config;
    private final ScalingPolicy policy;
    private final InstanceProvisioner provisioner;
    private final Drainer drainer;
    private final BooleanSupplier leader;
    private final Cluster cluster;
    private final ScheduledExecutorService control;
    private final PendingStarts starts;
    private final Map<String, Victim> victims = new LinkedHashMap<>();
    private boolean refused;
    private long decisions;
    private AutoscalerStatus.Decision lastDecision;
    private volatile AutoscalerStatus status;

    private Autoscaler(AutoscaleConfig config, Cluster cluster, Drainer drainer, BooleanSupplier leader) {
        this.config = config;
        this.policy = config.policy();
        this.provisioner = config.provisioner();
        this.cluster = cluster;
        this.drainer = drainer;
        this.leader = leader;
        this.control = cluster.control;
        this.starts = new PendingStarts(config.startTimeout().toNanos());
        publish();
    }

    /** An autoscaler over this gateway's cluster, running every sync period on its control thread from now on. */
    static Autoscaler start(AutoscaleConfig config, Cluster cluster, BooleanSupplier leader) {
        Autoscaler a = new Autoscaler(config, cluster, Drainer.of(cluster), leader);
        long every = config.interval().toMillis();
        cluster.control.scheduleWithFixedDelay(a::run, every, every, TimeUnit.MILLISECONDS);
        log.info("Autoscaling every {} ms with policy {} through provisioner {}", every, a.policy, a.provisioner.name());
        return a;
    }

    /** Whether an instance in this state counts as live: registered here and not dead. */
    static boolean registered(InstanceState state) {
        return state != InstanceState.JOINING && state != InstanceState.DEAD;
    }

    /** The live instances' loads, as the policy sees them. */
    static List<InstanceLoad> liveLoads(Collection<InstanceRecord> instances) {
        List<InstanceLoad> out = new ArrayList<>();
        for (InstanceRecord r : instances) {
            if (registered(r.baseState())) {
                LoadReport load = r.load();
                out.add(new InstanceLoad(r.id(), r.clients(), r.capacity(), load.cpu(), load.heapFraction(),
                        load.gauge(), r.draining));
            }
        }
        out.sort(Comparator.comparing(InstanceLoad::instanceId));
        return out;
    }

    AutoscalerStatus status() {
        return status;
    }

    /** One sync period. Control thread. */
    void run() {
        try {
            if (leader.getAsBoolean()) {
                step();
            }
        } catch (RuntimeException e) {
            log.error("Autoscaling failed", e);
        }
        publish();
    }

    private void step() {
        long now = cluster.nanoTime();
        List<InstanceLoad> live = liveLoads(cluster.instances());
        Set<String> liveIds = new HashSet<>();
        for (InstanceLoad i : live) {
            liveIds.add(i.instanceId());
        }
        starts.registered(liveIds);
        for (String lost : starts.expire(now)) {
            error(null, lost + " within " + config.startTimeout().toSeconds() + " s (" + provisioner.name()
                    + "); no longer counted as starting");
        }
        adoptDraining(live, now);
        removeDrained(now);
        ScalingSnapshot snapshot = new ScalingSnapshot(now, live, starts.count());
        ScalingDecision decision = policy.decide(snapshot);
        int current = snapshot.currentSize();
        decisions++;
        lastDecision = new AutoscalerStatus.Decision(decision.desired(), current, decision.reason(),
                System.currentTimeMillis());
        if (decision.desired() > current) {
            refused = false;
            scaleOut(decision.desired() - current, decision.reason(), now);
        } else if (decision.desired() < current) {
            if (victims.isEmpty()) {
                scaleIn(current - decision.desired(), live, decision.reason(), now);
            } else {
                log.debug("Autoscaler: {}; waiting for the drain of {}", decision.reason(), victims.keySet());
            }
        } else {
            refused = false;
            log.debug("Autoscaler: {}", decision.reason());
        }
    }

    private void scaleOut(int count, String reason, long now) {
        PendingStarts.Request request = starts.asked(count, now);
        event("scale-out", null, reason + "; starting " + count + " through " + provisioner.name());
        CompletionStage<List<String>> stage;
        try {
            stage = provisioner.scaleOut(count);
        } catch (RuntimeException e) {
            stage = CompletableFuture.failedFuture(e);
        }
        stage.whenComplete((ids, error) -> onControl(() -> started(request, ids, error)));
    }

    private void started(PendingStarts.Request request, List<String> ids, Throwable error) {
        if (error != null) {
            if (starts.failed(request)) {
                error(null, "starting " + request.count + " through " + provisioner.name() + " failed: " + message(error));
            }
            return;
        }
        List<String> named = ids == null ? List.of() : ids;
        if (starts.answered(request, named)) {
            log.info("Autoscaler: {} is starting {}", provisioner.name(), named.isEmpty() ? request.count + " instances" : named);
        } else {
            log.info("Autoscaler: {} answered a start it was given up on: {}", provisioner.name(), named);
        }
    }

    private void scaleIn(int count, List<InstanceLoad> live, String reason, long now) {
        Set<String> managed = new HashSet<>(provisioner.managed());
        List<String> candidates = live.stream()
                .filter(i -> !i.draining() && managed.contains(i.instanceId()))
                .sorted(Comparator.comparingInt(InstanceLoad::clients).thenComparing(InstanceLoad::instanceId))
                .map(InstanceLoad::instanceId)
                .toList();
        List<String> chosen = candidates.isEmpty() ? List.of() : provisioner.removalOrder(candidates).stream()
                .filter(candidates::contains).distinct().limit(count).toList();
        if (chosen.isEmpty()) {
            if (!refused) {
                refused = true;
                error(null, reason + "; but " + (candidates.isEmpty()
                        ? "no live instance that is not draining is managed by " + provisioner.name()
                        : provisioner.name() + " can remove none of " + candidates));
            }
            return;
        }
        refused = false;
        for (String id : chosen) {
            victims.put(id, new Victim(reason, now));
            event("scale-in", id, reason + "; draining " + id + " (" + drainer.clientsOf(id) + " clients) for "
                    + provisioner.name() + " to remove");
            drainer.drain(id);
        }
        removeDrained(now);
    }

    /**
     * Takes over instances of the provisioner that drain without being this gateway's victims (a previous
     * leader chose them, or an operator drained them): they are removed once drained, like its own.
     */
    private void adoptDraining(List<InstanceLoad> live, long now) {
        List<String> managed;
        try {
            managed = provisioner.managed();
        } catch (RuntimeException e) {
            return;
        }
        for (InstanceLoad i : live) {
            if (i.draining() && !victims.containsKey(i.instanceId()) && managed.contains(i.instanceId())) {
                victims.put(i.instanceId(), new Victim("it was draining when this gateway led", now));
                log.info("Autoscaler: {} drains; removing it once it holds no client", i.instanceId());
            }
        }
    }

    /** Has the provisioner remove every victim that holds no client any more (or is gone). */
    private void removeDrained(long now) {
        for (Map.Entry<String, Victim> e : List.copyOf(victims.entrySet())) {
            String id = e.getKey();
            Victim v = e.getValue();
            if (v.removing) {
                continue;
            }
            boolean live = drainer.live(id);
            if (live && drainer.clientsOf(id) > 0) {
                continue;
            }
            v.removing = true;
            event("removing", id, (live ? "no clients left" : "gone") + " after "
                    + TimeUnit.NANOSECONDS.toSeconds(now - v.sinceNanos) + " s draining; " + provisioner.name()
                    + " removes it (" + v.reason + ")");
            CompletionStage<Void> stage;
            try {
                stage = provisioner.remove(id);
            } catch (RuntimeException ex) {
                stage = CompletableFuture.failedFuture(ex);
            }
            stage.whenComplete((ignored, error) -> onControl(() -> removed(id, v, error)));
        }
    }

    private void removed(String id, Victim v, Throwable error) {
        if (victims.get(id) != v) {
            return;
        }
        if (error != null) {
            v.removing = false; // tried again next period
            error(id, "removing " + id + " through " + provisioner.name() + " failed: " + message(error)
                    + "; trying again");
            return;
        }
        victims.remove(id);
        event("removed", id, provisioner.name() + " removed it (" + v.reason + ")");
    }

    private void onControl(Runnable task) {
        try {
            control.execute(() -> {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    log.error("Autoscaling failed", e);
                }
                publish();
            });
        } catch (RejectedExecutionException closed) {
            // the gateway is closing: nothing to track any more
        }
    }

    private void event(String type, String instance, String message) {
        log.info("Autoscaler {}{}: {}", type, instance == null ? "" : " " + instance, message);
        cluster.events.add(type, instance, message);
    }

    private void error(String instance, String message) {
        log.warn("Autoscaler scale-error{}: {}", instance == null ? "" : " " + instance, message);
        cluster.events.add("scale-error", instance, message);
    }

    private static String message(Throwable t) {
        Throwable cause = t instanceof java.util.concurrent.CompletionException && t.getCause() != null
                ? t.getCause() : t;
        return cause.getMessage() != null ? cause.getMessage() : cause.toString();
    }

    private void publish() {
        List<AutoscalerStatus.Victim> draining = new ArrayList<>();
        for (Map.Entry<String, Victim> e : victims.entrySet()) {
            draining.add(new AutoscalerStatus.Victim(e.getKey(), drainer.clientsOf(e.getKey()),
                    e.getValue().sinceMillis, e.getValue().removing));
        }
        status = new AutoscalerStatus(String.valueOf(policy), provisioner.name(), config.interval().toMillis(),
                decisions, lastDecision, starts.count(), starts.names(), List.copyOf(draining));
    }
}
