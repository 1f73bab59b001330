package io.reploid.gateway.internal;

import io.reploid.gateway.AdminActions;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * The actions a gateway offers when started with {@link AdminActions}: the application's, plus draining
 * and balancer switching, which the gateway does itself. Called on the dashboard's actions thread, one
 * action at a time.
 */
final class GatewayActions implements AdminActions {
    private final GatewayServer gateway;
    private final AdminActions application;

    GatewayActions(GatewayServer gateway, AdminActions application) {
        this.gateway = gateway;
        this.application = application;
    }

    @Override
    public Set<Action> available() {
        Set<Action> all = EnumSet.of(Action.DRAIN_INSTANCE, Action.SWITCH_BALANCER);
        all.addAll(application.available());
        return all;
    }

    @Override
    public String addInstance() {
        return application.addInstance();
    }

    @Override
    public String crashInstance(String instanceId) {
        return application.crashInstance(instanceId);
    }

    @Override
    public String drainInstance(String instanceId) {
        return gateway.drain(instanceId)
                ? instanceId + " is draining: it takes no new clients"
                : instanceId + " was already draining";
    }

    @Override
    public String addClients(int count) {
        return application.addClients(count);
    }

    @Override
    public String removeClients(int count) {
        return application.removeClients(count);
    }

    @Override
    public String switchBalancer(String spec) {
        String before = gateway.balancerName();
        gateway.switchBalancer(spec);
        return "balancer " + before + " -> " + gateway.balancerName();
    }

    @Override
    public String changeWorkload(String workload) {
        return application.changeWorkload(workload);
    }

    @Override
    public List<String> workloads() {
        return application.workloads();
    }
}
