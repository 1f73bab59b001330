package io.reploid.gateway.internal;

import io.reploid.balance.ClusterView;
import io.reploid.balance.Instance;
import io.reploid.balance.LoadBalancer;
import io.reploid.balance.PickRequest;
import io.reploid.balance.Picker;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns the {@link LoadBalancer}: feeds it snapshots on the control thread (one at a time, as the SPI
 * promises) and publishes the picker it returns through a volatile field read on the hot path.
 *
 * <p>{@link #place} enforces the gateway's guarantee whatever the strategy returns: the chosen instance
 * must be eligible (healthy, not draining, serving) and must have room, which is claimed atomically
 * with {@link InstanceRecord#tryReserve}. A bad pick is logged and excluded, and the picker is asked
 * again; after too many bad picks the least-loaded eligible instance is taken.
 */
final class Placement {
    private static final Logger log = LoggerFactory.getLogger(Placement.class);
    private static final int MAX_BAD_PICKS = 8;

    /** Written on the control thread only (by {@link #replace}); volatile for the hot path's log lines. */
    private volatile LoadBalancer balancer;
    private volatile String balancerName;
    private final ScheduledExecutorService control;
    private final LongSupplier nanoClock;
    private final Supplier<Collection<InstanceRecord>> instances;
    private final AtomicBoolean updateQueued = new AtomicBoolean();
    private final AtomicLong version = new AtomicLong();
    private volatile Picker picker = Picker.EMPTY;
    private volatile List<InstanceRecord> eligible = List.of();

    Placement(Supplier<LoadBalancer> factory, String balancerName, ScheduledExecutorService control,
            LongSupplier nanoClock, Supplier<Collection<InstanceRecord>> instances) {
        this.balancer = factory.get();
        this.balancerName = balancerName;
        this.control = control;
        this.nanoClock = nanoClock;
        this.instances = instances;
    }

    LoadBalancer balancer() {
        return balancer;
    }

    /** The spec of the balancer in use. */
    String balancerName() {
        return balancerName;
    }

    /**
     * Replaces the balancer on the control thread: the new one (made there by {@code factory}) takes the
     * current snapshot, its picker is published, then the old balancer is closed. Pickers of the old one
     * may finish picks already under way. If the new balancer fails its first update it is closed and the
     * old one stays.
     *
     * @return completes when the new balancer is in place, or with the reason it is not
     */
    CompletableFuture<Void> replace(Supplier<LoadBalancer> factory, String name) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        try {
            control.execute(() -> {
                LoadBalancer next = null;
                try {
                    next = factory.get();
                    Picker p = next.update(view());
                    LoadBalancer old = balancer;
                    balancer = next;
                    balancerName = name;
                    picker = p != null ? p : Picker.EMPTY;
                    close(old);
                    done.complete(null);
                } catch (RuntimeException e) {
                    if (next != null) {
                        close(next);
                    }
                    done.completeExceptionally(new IllegalArgumentException("balancer " + name
                            + " failed to start: " + e, e));
                }
            });
        } catch (RejectedExecutionException e) {
            done.completeExceptionally(new IllegalStateException("the gateway is stopping"));
        }
        return done;
    }

    /** Asks for a new snapshot soon; many calls in a burst make one update. Thread-safe. */
    void refresh() {
        if (updateQueued.compareAndSet(false, true)) {
            control.execute(this::update);
        }
    }

    private void update() {
        updateQueued.set(false);
        ClusterView view = view();
        try {
            Picker p = balancer.update(view);
            picker = p != null ? p : Picker.EMPTY;
        } catch (RuntimeException e) {
            log.error("Balancer {} failed to take a cluster update; keeping the previous picker", balancer, e);
        }
    }

    /** The eligible instances now, as a new snapshot (control thread). */
    private ClusterView view() {
        List<InstanceRecord> list = new ArrayList<>();
        for (InstanceRecord r : instances.get()) {
            if (r.eligible()) {
                list.add(r);
            }
        }
        list.sort(Comparator.comparing(InstanceRecord::id));
        eligible = List.copyOf(list);
        return new ClusterView(new ArrayList<>(list), version.incrementAndGet(), nanoClock.getAsLong());
    }

    /**
     * Chooses an instance for a client and claims a slot on it.
     *
     * @return the instance with one slot reserved for the caller, or {@code null} when none is free
     */
    InstanceRecord place(String clientId, Map<String, String> metadata) {
        Request request = new Request(clientId, metadata);
        Picker p = picker;
        for (int attempt = 0; attempt < MAX_BAD_PICKS; attempt++) {
            Instance chosen;
            try {
                chosen = p.pick(request);
            } catch (RuntimeException e) {
                log.error("Picker of {} threw for client {}; using the fallback", balancer, clientId, e);
                break;
            }
            if (chosen == null) {
                break;
            }
            if (!(chosen instanceof InstanceRecord r) || request.isExcluded(r)) {
                log.warn("Balancer {} picked {} for client {}, which is not a candidate; asking again",
                        balancer, chosen.id(), clientId);
                request.exclude(chosen);
                continue;
            }
            if (!r.eligible()) {
                log.warn("Balancer {} picked {} ({}) for client {}; rejected, asking again", balancer, r.id(),
                        r.effectiveState().wireName(), clientId);
                request.exclude(r);
                continue;
            }
            if (r.tryReserve()) {
                return r;
            }
            request.exclude(r); // full: a normal race under load, not the strategy's fault
        }
        return fallback(request);
    }

    private InstanceRecord fallback(Request request) {
        while (true) {
            InstanceRecord best = null;
            for (InstanceRecord r : eligible) {
                if (r.eligible() && r.hasRoom() && !request.isExcluded(r)
                        && (best == null || (double) r.clients() / r.capacity() < (double) best.clients() / best.capacity())) {
                    best = r;
                }
            }
            if (best == null) {
                return null;
            }
            if (best.tryReserve()) {
                return best;
            }
            request.exclude(best);
        }
    }

    void close() {
        close(balancer);
    }

    private static void close(LoadBalancer b) {
        try {
            b.close();
        } catch (RuntimeException e) {
            log.warn("Balancer {} failed to close", b, e);
        }
    }

    private static final class Request implements PickRequest {
        private final String clientId;
        private final Map<String, String> metadata;
        private Set<String> excluded;

        Request(String clientId, Map<String, String> metadata) {
            this.clientId = clientId;
            this.metadata = metadata;
        }

        @Override
        public String clientId() {
            return clientId;
        }

        @Override
        public Map<String, String> metadata() {
            return metadata;
        }

        @Override
        public boolean isExcluded(Instance instance) {
            return excluded != null && excluded.contains(instance.id());
        }

        void exclude(Instance instance) {
            if (excluded == null) {
                excluded = new HashSet<>();
            }
            excluded.add(instance.id());
        }

        @Override
        public RandomGenerator random() {
            return ThreadLocalRandom.current();
        }
    }
}
