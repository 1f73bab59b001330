package io.reploid.balance;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * {@code affinity}: a label filter in front of any strategy. A client whose hello metadata has a value
 * for {@code key} is placed among the instances whose label {@code key} has the same value, by a balancer
 * of its own for that group (so a hash ring or a round-robin cursor covers just the group).
 *
 * <p>Fallback: a client without the key is placed over all instances. When no instance carries the
 * client's value, or every one that does is full or excluded, the client is placed over all instances
 * too ({@code fallback=any}, the default), or refused, so the gateway answers {@code NO_CAPACITY}
 * ({@code fallback=none}).
 *
 * <p>Groups are found on every update; a group's balancer is made when the group appears and closed when
 * it goes away. One more balancer covers all instances, for the fallback.
 */
final class Affinity implements LoadBalancer {
    private final String key;
    private final Supplier<? extends LoadBalancer> base;
    private final boolean fallbackToAny;
    private final Map<String, LoadBalancer> groups = new HashMap<>();
    private LoadBalancer all;

    Affinity(String key, Supplier<? extends LoadBalancer> base, boolean fallbackToAny) {
        if (key.isEmpty()) {
            throw new IllegalArgumentException("key: \"\" (expected: a label name)");
        }
        this.key = key;
        this.base = base;
        this.fallbackToAny = fallbackToAny;
    }

    @Override
    public Picker update(ClusterView view) {
        Map<String, List<Instance>> members = new TreeMap<>();
        for (Instance i : view.instances()) {
            String value = i.labels().get(key);
            if (value != null) {
                members.computeIfAbsent(value, v -> new ArrayList<>()).add(i);
            }
        }
        for (Iterator<Map.Entry<String, LoadBalancer>> it = groups.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, LoadBalancer> e = it.next();
            if (!members.containsKey(e.getKey())) {
                e.getValue().close();
                it.remove();
            }
        }
        Map<String, Picker> pickers = new HashMap<>(members.size() * 2);
        members.forEach((value, list) -> pickers.put(value, groups.computeIfAbsent(value, v -> newBase())
                .update(new ClusterView(list, view.version(), view.nanoTime()))));
        if (all == null) {
            all = newBase();
        }
        Picker any = all.update(view);
        String k = key;
        boolean toAny = fallbackToAny;
        return request -> {
            String value = request.metadata().get(k);
            if (value == null) {
                return any.pick(request);
            }
            Picker group = pickers.get(value);
            Instance i = group != null ? group.pick(request) : null;
            return i != null || !toAny ? i : any.pick(request);
        };
    }

    private LoadBalancer newBase() {
        LoadBalancer b = base.get();
        if (b == null) {
            throw new IllegalStateException("the base balancer supplier of affinity:key=" + key + " returned null");
        }
        return b;
    }

    @Override
    public void close() {
        groups.values().forEach(LoadBalancer::close);
        groups.clear();
        if (all != null) {
            all.close();
            all = null;
        }
    }

    @Override
    public String toString() {
        return "affinity:key=" + key + ",fallback=" + (fallbackToAny ? "any" : "none");
    }
}
