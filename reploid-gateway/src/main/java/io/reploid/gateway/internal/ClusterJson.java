package io.reploid.gateway.internal;

import io.reploid.LoadReport;
import io.reploid.gateway.InstanceInfo;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The JSON shapes of the admin API, as maps (documented in {@code docs/admin-api.md}). */
final class ClusterJson {
    private ClusterJson() {
    }

    static Map<String, Object> cluster(GatewayServer gateway) {
        Map<String, Object> gw = new LinkedHashMap<>();
        gw.put("id", gateway.gatewayId());
        gw.put("clientPort", gateway.clientPort());
        gw.put("servicePort", gateway.servicePort());
        gw.put("adminPort", gateway.adminPort());
        gw.put("balancer", gateway.balancerName());
        gw.put("transport", io.reploid.internal.Transports.name());
        gw.put("startedAt", Instant.ofEpochMilli(gateway.startedAtMillis()).toString());
        gw.put("connectedClients", gateway.connectedClients());
        gw.put("leader", gateway.isLeader());
        gw.put("directory", gateway.cluster().directory.describe());
        List<Map<String, Object>> gateways = new ArrayList<>();
        for (io.reploid.directory.GatewayMember g : gateway.gateways()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", g.gatewayId());
            m.put("serviceAddress", g.serviceAddress());
            m.put("adminAddress", g.adminAddress());
            m.put("leader", g.leader());
            m.put("live", g.live());
            gateways.add(m);
        }
        List<Map<String, Object>> instances = new ArrayList<>();
        for (InstanceInfo i : gateway.instances()) {
            Map<String, Object> m = instance(i);
            InstanceRecord r = gateway.cluster().instance(i.id());
            if (r != null) {
                stats(m, r.stats);
            }
            instances.add(m);
        }
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("gateway", gw);
        root.put("gateways", gateways);
        root.put("instances", instances);
        root.put("pins", gateway.pinCount());
        return root;
    }

    static Map<String, Object> instance(InstanceInfo i) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", i.id());
        m.put("address", i.address());
        m.put("state", i.state().wireName());
        m.put("clients", i.clients());
        m.put("capacity", i.capacity());
        m.put("weight", i.weight());
        m.put("labels", i.labels());
        LoadReport r = i.load();
        Map<String, Object> load = new LinkedHashMap<>();
        load.put("timestampMillis", r.timestampMillis());
        load.put("clients", r.clients());
        load.put("inFlight", r.inFlight());
        load.put("cpu", r.cpu());
        load.put("heapUsed", r.heapUsed());
        load.put("heapMax", r.heapMax());
        load.put("gauge", r.gauge());
        load.put("selfHealthy", r.selfHealthy());
        m.put("load", load);
        return m;
    }

    /** Adds the request figures of an instance the gateway knows. */
    static void stats(Map<String, Object> instance, RequestStats stats) {
        double[] p = stats.percentilesMillis();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("total", stats.requests());
        m.put("errors", stats.errors());
        m.put("ratePerSecond", Math.round(stats.ratePerSecond() * 10) / 10.0);
        m.put("p50Ms", p[0]);
        m.put("p99Ms", p[1]);
        instance.put("requests", m);
    }

    static Map<String, Object> events(GatewayServer gateway, long after) {
        List<Map<String, Object>> list = new ArrayList<>();
        for (Events.Event e : gateway.cluster().events.since(after)) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("seq", e.seq());
            m.put("time", Instant.ofEpochMilli(e.timeMillis()).toString());
            m.put("type", e.type());
            m.put("instance", e.instance());
            m.put("message", e.message());
            list.add(m);
        }
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("events", list);
        root.put("last", gateway.cluster().events.lastSeq());
        return root;
    }

    static Map<String, Object> client(GatewayServer gateway, String clientId) {
        Pin p = gateway.cluster().pin(clientId);
        if (p == null) {
            return null;
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("clientId", clientId);
        m.put("instance", p.instance.id());
        m.put("instanceState", p.instance.effectiveState().wireName());
        m.put("epoch", p.epoch);
        m.put("connected", gateway.cluster().client(clientId) != null);
        return m;
    }
}
