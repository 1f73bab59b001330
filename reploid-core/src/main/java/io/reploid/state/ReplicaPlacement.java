package io.reploid.state;

import static java.util.Objects.requireNonNull;

import io.reploid.InstanceState;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Where a client's replicas live: rendezvous (highest random weight) hashing over instance ids. Every
 * instance gets a score for the client, {@code mix(xxh64(clientId) ^ xxh64(instanceId))} (XXH64 with seed
 * 0 of the ids' UTF-16LE bytes, then murmur3's {@code fmix64}; the scores of the {@code rendezvous}
 * balancer), and the instances are ranked by score, highest first, a tie going to the smaller id.
 *
 * <p>A primary instance replicates each client's record to the first {@code k} of the ranking of the
 * instances it sees alive ({@link #holdsReplicas}), itself left out. A gateway that fails a client over
 * ranks the live instances the same way, the dead primary left out, and picks the highest-ranked eligible
 * one: while both see the same members, that instance already holds the replica. An instance joining or
 * leaving changes the replica sets of only the clients it ranks (or ranked) among the first {@code k}.
 *
 * <pre>{@code
 * List<String> live = List.of("svc-a", "svc-b", "svc-c");
 * List<String> replicas = ReplicaPlacement.choose("alice", live, 1); // e.g. [svc-c]
 * }</pre>
 *
 * <p>Stateless and thread-safe. Ranking {@code n} instances costs {@code O(n log n)}; choosing the first
 * {@code k} costs {@code O(n k)}.
 */
public final class ReplicaPlacement {

    private ReplicaPlacement() {
    }

    /** The score of {@code instanceId} for {@code clientId}; higher ranks first. */
    public static long score(String clientId, String instanceId) {
        return IdHash.mix(IdHash.xxh64(requireNonNull(clientId, "clientId"))
                ^ IdHash.xxh64(requireNonNull(instanceId, "instanceId")));
    }

    /** Whether an instance in {@code state} holds replicas and may be picked for a failover: healthy, full or draining. */
    public static boolean holdsReplicas(InstanceState state) {
        return state == InstanceState.HEALTHY || state == InstanceState.FULL || state == InstanceState.DRAINING;
    }

    /**
     * Every instance id ranked for {@code clientId}, highest score first.
     *
     * @param instanceIds distinct ids; duplicates are ranked twice
     * @return a new mutable list
     */
    public static List<String> rank(String clientId, Collection<String> instanceIds) {
        requireNonNull(instanceIds, "instanceIds");
        long client = IdHash.xxh64(requireNonNull(clientId, "clientId"));
        List<Scored> scored = new ArrayList<>(instanceIds.size());
        for (String id : instanceIds) {
            scored.add(new Scored(id, IdHash.mix(client ^ IdHash.xxh64(requireNonNull(id, "instanceIds contains null")))));
        }
        scored.sort(null);
        List<String> ranked = new ArrayList<>(scored.size());
        for (Scored s : scored) {
            ranked.add(s.id);
        }
        return ranked;
    }

    /**
     * The first {@code k} of {@link #rank} (all of them when there are fewer), in rank order.
     *
     * @param k at least 0
     * @return a new mutable list
     */
    public static List<String> choose(String clientId, Collection<String> instanceIds, int k) {
        if (k < 0) {
            throw new IllegalArgumentException("k: " + k + " (expected: >= 0)");
        }
        requireNonNull(instanceIds, "instanceIds");
        long client = IdHash.xxh64(requireNonNull(clientId, "clientId"));
        int n = Math.min(k, instanceIds.size());
        Scored[] best = new Scored[n]; // sorted, best first
        int size = 0;
        for (String id : instanceIds) {
            Scored s = new Scored(id, IdHash.mix(client ^ IdHash.xxh64(requireNonNull(id, "instanceIds contains null"))));
            if (size == n && (n == 0 || s.compareTo(best[n - 1]) >= 0)) {
                continue;
            }
            int at = size < n ? size++ : n - 1;
            while (at > 0 && s.compareTo(best[at - 1]) < 0) {
                best[at] = best[at - 1];
                at--;
            }
            best[at] = s;
        }
        List<String> chosen = new ArrayList<>(n);
        for (int i = 0; i < size; i++) {
            chosen.add(best[i].id);
        }
        return chosen;
    }

    /** Orders best first: higher score, then smaller id. */
    private record Scored(String id, long score) implements Comparable<Scored> {
        @Override
        public int compareTo(Scored o) {
            int c = Long.compare(o.score, score);
            return c != 0 ? c : id.compareTo(o.id);
        }
    }
}
