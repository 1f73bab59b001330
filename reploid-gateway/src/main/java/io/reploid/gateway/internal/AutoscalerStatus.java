package io.reploid.gateway.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the autoscaler is doing, as {@code GET /api/autoscaler} shows it ({@code docs/admin-api.md}).
 * Immutable.
 *
 * @param policy the policy's {@code toString()}
 * @param provisioner the provisioner's name
 * @param intervalMillis the sync period
 * @param decisions how many decisions were made (while leading)
 * @param lastDecision the latest, or {@code null} before the first
 * @param pendingStarts instances asked to start that have not registered
 * @param starting the ids among them the provisioner named
 * @param draining the instances drained for removal
 */
record AutoscalerStatus(String policy, String provisioner, long intervalMillis, long decisions,
                        Decision lastDecision, int pendingStarts, List<String> starting, List<Victim> draining) {

    /** One decision of the policy. */
    record Decision(int desired, int current, String reason, long atMillis) {
    }

    /** An instance being drained so that it can be removed. */
    record Victim(String id, int clients, long sinceMillis, boolean removing) {
    }

    /** The JSON body: {@code enabled} false with no autoscaler. */
    static Map<String, Object> json(Autoscaler autoscaler, boolean leader) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("enabled", autoscaler != null);
        m.put("leader", leader);
        if (autoscaler == null) {
            return m;
        }
        AutoscalerStatus s = autoscaler.status();
        m.put("policy", s.policy());
        m.put("provisioner", s.provisioner());
        m.put("intervalMillis", s.intervalMillis());
        m.put("decisions", s.decisions());
        Decision d = s.lastDecision();
        if (d == null) {
            m.put("lastDecision", null);
        } else {
            Map<String, Object> dm = new LinkedHashMap<>();
            dm.put("desired", d.desired());
            dm.put("current", d.current());
            dm.put("reason", d.reason());
            dm.put("atMillis", d.atMillis());
            m.put("lastDecision", dm);
        }
        m.put("pendingStarts", s.pendingStarts());
        m.put("starting", s.starting());
        List<Map<String, Object>> victims = new ArrayList<>();
        for (Victim v : s.draining()) {
            Map<String, Object> vm = new LinkedHashMap<>();
            vm.put("id", v.id());
            vm.put("clients", v.clients());
            vm.put("sinceMillis", v.sinceMillis());
            vm.put("removing", v.removing());
            victims.add(vm);
        }
        m.put("draining", victims);
        return m;
    }
}
