package io.reploid.service.internal;

import static java.util.Objects.requireNonNull;

import io.reploid.internal.protocol.Frame;
import io.reploid.state.ReplicaPlacement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The instances of the cluster as one gateway's latest MEMBERS listed them, seen from this instance: the
 * live peers (healthy, full or draining; this instance left out) that may hold replicas, with their
 * addresses.
 *
 * <p>Immutable and thread-safe.
 */
final class MemberView {
    static final MemberView EMPTY = new MemberView(-1, List.of(), "");

    private final long version;
    private final List<Frame.Member> members;
    private final Map<String, String> livePeers; // id -> address, in MEMBERS order

    MemberView(long version, List<Frame.Member> members, String self) {
        this.version = version;
        this.members = List.copyOf(members);
        Map<String, String> live = new LinkedHashMap<>();
        for (Frame.Member m : this.members) {
            if (!m.instanceId().equals(self) && ReplicaPlacement.holdsReplicas(m.state()) && !m.address().isEmpty()) {
                live.put(m.instanceId(), m.address());
            }
        }
        this.livePeers = Map.copyOf(live);
    }

    long version() {
        return version;
    }

    List<Frame.Member> members() {
        return members;
    }

    /** Live peers by id, with their addresses. */
    Map<String, String> livePeers() {
        return livePeers;
    }

    /** The replica holders of a client: the first {@code k} live peers by {@link ReplicaPlacement}. */
    List<String> replicaHolders(String clientId, int k) {
        return List.copyOf(ReplicaPlacement.choose(requireNonNull(clientId, "clientId"), livePeers.keySet(), k));
    }

    /** Live peers outside {@code holders}. */
    List<String> othersThan(List<String> holders) {
        List<String> others = new ArrayList<>();
        for (String id : livePeers.keySet()) {
            if (!holders.contains(id)) {
                others.add(id);
            }
        }
        return others;
    }

    @Override
    public String toString() {
        return "MemberView(version " + version + ", live peers " + livePeers.keySet() + ")";
    }
}
