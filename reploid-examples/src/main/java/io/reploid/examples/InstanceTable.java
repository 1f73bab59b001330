package io.reploid.examples;

import io.reploid.LoadReport;
import io.reploid.gateway.InstanceInfo;
import java.util.List;
import java.util.Locale;

/** Formats a gateway's instances as a fixed-width text table. Stateless and thread-safe. */
final class InstanceTable {
    private static final String ROW = "%-16s %-9s %-8s %-13s %9s %5s%n";

    private InstanceTable() {
    }

    /** A header line and one line per instance: id, state, zone, clients/capacity, in-flight, cpu. */
    static String format(List<InstanceInfo> instances) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, ROW, "INSTANCE", "STATE", "ZONE", "CLIENTS", "IN-FLIGHT", "CPU"));
        for (InstanceInfo i : instances) {
            LoadReport load = i.load();
            String cpu = load.cpu() < 0 ? "-" : Math.round(load.cpu() * 100) + "%";
            sb.append(String.format(Locale.ROOT, ROW, i.id(), i.state().wireName(),
                    i.labels().getOrDefault(FewestClientsInZone.ZONE, "-"),
                    i.clients() + "/" + i.capacity(), load.inFlight(), cpu));
        }
        return sb.toString();
    }
}
