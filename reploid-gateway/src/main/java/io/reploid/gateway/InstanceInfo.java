package io.reploid.gateway;

import io.reploid.InstanceState;
import io.reploid.LoadReport;
import java.util.Map;

/**
 * A point-in-time description of one service instance as a gateway sees it.
 *
 * <p>Immutable and thread-safe.
 *
 * @param id       the instance id
 * @param address  the address the instance registered with, or its connection's remote address
 * @param state    its life-cycle state ({@link InstanceState#FULL} when at capacity)
 * @param clients  clients pinned to it
 * @param capacity the most clients it accepts
 * @param weight   its relative weight
 * @param labels   its labels
 * @param load     its latest load report
 */
public record InstanceInfo(String id, String address, InstanceState state, int clients, int capacity, int weight,
        Map<String, String> labels, LoadReport load) {
}
