package io.reploid.balance.simulation;

import io.reploid.balance.Instance;
import io.reploid.balance.Picker;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * Places clients the way the gateway does: a pick of a full, excluded or unknown instance is rejected
 * (and counted) and the picker is asked again with that instance excluded, so no instance ever goes over
 * its capacity whatever the strategy returns. Counts picks and their outcomes. One thread.
 */
final class Placement {
    long picks;
    long badPicks;
    long unplaced;
    long refused;

    /** Pins the client, or returns {@code null} (counted as unplaced, or refused when nothing had room). */
    SimInstance place(Picker picker, SimClient client, Map<String, SimInstance> members, RandomGenerator random) {
        SimRequest request = new SimRequest(client, random);
        for (int attempt = 0; attempt <= members.size(); attempt++) {
            Instance picked = picker.pick(request);
            picks++;
            if (picked == null) {
                if (anyRoom(members, request)) {
                    unplaced++;
                } else {
                    refused++;
                }
                return null;
            }
            SimInstance i = members.get(picked.id());
            if (i != picked || !i.hasRoom() || request.isExcluded(i)) {
                badPicks++;
                request.exclude(picked);
                continue;
            }
            i.add(client);
            client.instance = i;
            return i;
        }
        unplaced++;
        return null;
    }

    private static boolean anyRoom(Map<String, SimInstance> members, SimRequest request) {
        for (SimInstance i : members.values()) {
            if (i.hasRoom() && !request.isExcluded(i)) {
                return true;
            }
        }
        return false;
    }
}
