package io.reploid.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netty.channel.EventLoopGroup;
import io.reploid.client.ReploidClient;
import io.reploid.directory.GatewayMember;
import io.reploid.directory.PinDirectory;
import io.reploid.health.ResourceLimits;
import io.reploid.internal.Transports;
import io.reploid.service.ReploidService;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Several gateways in one cluster with the embedded pin directory: they find each other and the
 * instances find them, agree on every pin (also when two of them see a client's first contact at once),
 * keep one leader, and a restarted gateway learns the pins before it places anyone.
 */
class MultiGatewayTest {
    final Map<String, ReploidGateway> gateways = new LinkedHashMap<>();
    final Map<String, ReploidService> services = new LinkedHashMap<>();
    final List<ReploidClient> clients = new ArrayList<>();
    final EventLoopGroup clientGroup = Transports.newGroup(2, "test-clients");

    /** How gateways find their directory: null for the embedded one. */
    Supplier<PinDirectory> directory() {
        return null;
    }

    ReploidGateway startGateway(String id, String... peers) {
        ReploidGateway.Builder b = ReploidGateway.builder()
                .gatewayId(id)
                .host("127.0.0.1").clientPort(0).servicePort(0).adminPort(0)
                .pinRecoveryWindow(Duration.ofSeconds(1))
                .resourceLimits(ResourceLimits.NONE)
                .acceptableHeartbeatPause(Duration.ofSeconds(3))
                .pingTimeout(Duration.ofSeconds(5))
                .claimTimeout(Duration.ofSeconds(5));
        Supplier<PinDirectory> d = directory();
        if (d != null) {
            b.directory(d.get());
        } else {
            b.peers(List.of(peers));
        }
        ReploidGateway g = b.build().start();
        gateways.put(id, g);
        return g;
    }

    static String serviceAddress(ReploidGateway g) {
        return "127.0.0.1:" + g.servicePort();
    }

    static String clientAddress(ReploidGateway g) {
        return "127.0.0.1:" + g.clientPort();
    }

    ReploidService startService(String id, ReploidGateway first) {
        ReploidService s = ReploidService.builder(new CounterHandler(id))
                .gateway(serviceAddress(first))
                .instanceId(id)
                .capacity(10_000)
                .handlerThreads(4)
                .eventLoopThreads(1)
                .reconnectBackoff(Duration.ofMillis(50), Duration.ofMillis(500))
                .build();
        s.start().orTimeout(20, TimeUnit.SECONDS).join();
        services.put(id, s);
        return s;
    }

    ReploidClient client(String clientId, ReploidGateway... via) {
        String addresses = java.util.Arrays.stream(via).map(MultiGatewayTest::clientAddress)
                .collect(Collectors.joining(","));
        ReploidClient c = ReploidClient.builder().clientId(clientId).gateways(addresses).eventLoopGroup(clientGroup)
                .reconnectBackoff(Duration.ofMillis(20), Duration.ofMillis(200))
                .requestTimeout(Duration.ofSeconds(20))
                .build();
        clients.add(c);
        return c;
    }

    static String call(ReploidClient c, String op) {
        return new String(c.request(op.getBytes(StandardCharsets.UTF_8)).orTimeout(30, TimeUnit.SECONDS).join(),
                StandardCharsets.UTF_8);
    }

    /** Three gateways (the second and third know only the first), three services that know only the first. */
    void threeByThree() {
        ReploidGateway g1 = startGateway("g1");
        startGateway("g2", serviceAddress(g1));
        startGateway("g3", serviceAddress(g1));
        for (String id : List.of("s1", "s2", "s3")) {
            startService(id, g1);
        }
        awaitMesh(3);
    }

    void awaitMesh(int n) {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            for (ReploidGateway g : gateways.values()) {
                assertThat(g.gateways().stream().filter(GatewayMember::live).count()).as(g.gatewayId()).isEqualTo(n);
                assertThat(g.instances().stream().filter(i -> i.state() == io.reploid.InstanceState.HEALTHY).count())
                        .as("healthy instances on " + g.gatewayId()).isEqualTo(services.size());
            }
            for (ReploidService s : services.values()) {
                assertThat(s.registeredGateways()).as(s.instanceId()).isEqualTo(n);
            }
        });
    }

    @AfterEach
    void close() {
        clients.forEach(ReploidClient::close);
        services.values().forEach(ReploidService::close);
        gateways.values().forEach(ReploidGateway::close);
        clientGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    @Test
    void gatewaysAndInstancesFindEachOtherFromOneAddress() {
        threeByThree();
        // One leader, the same one seen by all.
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(gateways.values().stream().filter(ReploidGateway::isLeader).count()).isEqualTo(1);
            for (ReploidGateway g : gateways.values()) {
                assertThat(g.gateways().stream().filter(GatewayMember::leader).map(GatewayMember::gatewayId))
                        .as("leader seen by " + g.gatewayId())
                        .containsExactly(leaderId());
            }
        });
        // A gateway that joins later, knowing only the third, is found by every instance.
        startGateway("g4", serviceAddress(gateways.get("g3")));
        awaitMesh(4);
    }

    String leaderId() {
        return gateways.values().stream().filter(ReploidGateway::isLeader).map(ReploidGateway::gatewayId)
                .findFirst().orElse("none");
    }

    @Test
    void everyGatewayRoutesAClientToTheSameInstance() {
        threeByThree();
        List<ReploidGateway> gs = new ArrayList<>(gateways.values());
        for (int i = 0; i < 30; i++) {
            ReploidClient c = client("c" + i, gs.get(i % 3));
            c.connect().orTimeout(20, TimeUnit.SECONDS).join();
            call(c, "incr");
        }
        for (int i = 0; i < 30; i++) {
            String id = "c" + i;
            Optional<String> first = gs.get(0).pinnedInstance(id);
            assertThat(first).as(id).isPresent();
            for (ReploidGateway g : gs) {
                assertThat(g.pinnedInstance(id)).as(id + " on " + g.gatewayId()).isEqualTo(first);
            }
        }
    }

    @Test
    void concurrentFirstContactThroughTwoGatewaysEndsWithOnePin() {
        threeByThree();
        ReploidGateway a = gateways.get("g1");
        ReploidGateway b = gateways.get("g2");
        for (int round = 0; round < 100; round++) {
            String id = "race-" + round;
            ReploidClient viaA = client(id, a);
            ReploidClient viaB = client(id, b);
            CompletableFuture<Void> ca = viaA.connect().toCompletableFuture();
            CompletableFuture<Void> cb = viaB.connect().toCompletableFuture();
            CompletableFuture.allOf(ca, cb).orTimeout(30, TimeUnit.SECONDS).join();
            String instanceA = call(viaA, "whoami");
            String instanceB = call(viaB, "whoami");
            assertThat(instanceA).as("round " + round).isEqualTo(instanceB);
            // Both connections increment one counter: the values interleave without gaps or repeats.
            List<Long> values = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                values.add(value(call(viaA, "incr")));
                values.add(value(call(viaB, "incr")));
            }
            assertThat(values).as("round " + round).containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
            // The third gateway learns the pin from the claimer's commit, which may still be on its way.
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                for (ReploidGateway g : gateways.values()) {
                    assertThat(g.pinnedInstance(id)).as(id + " on " + g.gatewayId()).contains(instanceA);
                }
            });
            viaA.close();
            viaB.close();
        }
    }

    static long value(String answer) {
        return Long.parseLong(answer.substring(answer.indexOf(':') + 1));
    }

    @Test
    void aClientSwitchingGatewayOnEveryRequestSeesOneCounter() {
        threeByThree();
        List<ReploidGateway> gs = new ArrayList<>(gateways.values());
        for (int i = 1; i <= 60; i++) {
            ReploidClient c = client("switcher", gs.get(i % gs.size()));
            c.connect().orTimeout(20, TimeUnit.SECONDS).join();
            assertThat(value(call(c, "incr"))).isEqualTo(i);
            c.close();
        }
    }

    @Test
    void aRestartedGatewayLearnsThePinsBeforeItPlacesAnyone() {
        threeByThree();
        ReploidGateway g1 = gateways.get("g1");
        for (int i = 0; i < 50; i++) {
            ReploidClient c = client("p" + i, g1);
            c.connect().orTimeout(20, TimeUnit.SECONDS).join();
            call(c, "incr");
            c.close();
        }
        Map<String, String> before = new LinkedHashMap<>();
        for (int i = 0; i < 50; i++) {
            before.put("p" + i, g1.pinnedInstance("p" + i).orElseThrow());
        }
        ReploidGateway g3 = gateways.remove("g3");
        g3.close();
        ReploidGateway again = startGateway("g3", serviceAddress(g1));
        // The first client that arrives is routed by the learned pin, not placed anew.
        ReploidClient c = client("p0", again);
        c.connect().orTimeout(20, TimeUnit.SECONDS).join();
        assertThat(value(call(c, "incr"))).isEqualTo(2);
        awaitMesh(3);
        for (Map.Entry<String, String> e : before.entrySet()) {
            assertThat(again.pinnedInstance(e.getKey())).as(e.getKey()).contains(e.getValue());
        }
    }

    @Test
    void leadershipMovesWhenTheLeaderDies() {
        threeByThree();
        await().atMost(Duration.ofSeconds(30)).until(() -> gateways.values().stream().filter(ReploidGateway::isLeader).count() == 1);
        String leader = leaderId();
        gateways.remove(leader).close();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(gateways.values().stream().filter(ReploidGateway::isLeader).count()).isEqualTo(1);
            assertThat(leaderId()).isNotEqualTo(leader);
        });
    }

    @Test
    void clientsKeepTheirInstanceAndCounterWhenTheirGatewayDies() {
        threeByThree();
        List<ReploidGateway> gs = new ArrayList<>(gateways.values());
        List<ReploidClient> cs = new ArrayList<>();
        Map<String, String> instance = new LinkedHashMap<>();
        for (int i = 0; i < 12; i++) {
            ReploidGateway first = gs.get(i % 3);
            List<ReploidGateway> order = new ArrayList<>(gs);
            order.remove(first);
            order.add(0, first);
            ReploidClient c = client("k" + i, order.toArray(ReploidGateway[]::new));
            c.connect().orTimeout(20, TimeUnit.SECONDS).join();
            String answer = call(c, "incr");
            instance.put("k" + i, answer.substring(0, answer.indexOf(':')));
            cs.add(c);
        }
        gateways.remove("g1").close();
        for (int i = 0; i < 12; i++) {
            String answer = call(cs.get(i), "incr");
            assertThat(answer).as("k" + i).isEqualTo(instance.get("k" + i) + ":2");
        }
        gateways.remove("g2").close();
        for (int i = 0; i < 12; i++) {
            String answer = call(cs.get(i), "incr");
            assertThat(answer).as("k" + i).isEqualTo(instance.get("k" + i) + ":3");
        }
    }

    @Test
    void drainingThroughOneGatewayMovesTheClientsOfEveryGatewayWithoutAFailure() {
        threeByThree();
        List<ReploidGateway> gs = new ArrayList<>(gateways.values());
        List<CounterLoop> loops = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            ReploidClient c = client("dr" + i, gs.get(i % 3));
            c.connect().orTimeout(20, TimeUnit.SECONDS).join();
            CounterLoop loop = new CounterLoop("dr" + i, c);
            loop.start();
            loops.add(loop);
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> loops.stream().allMatch(l -> l.acks() >= 5));
        String victim = gs.get(0).pinnedInstance("dr0").orElseThrow();
        gs.get(1).drain(victim);
        await().atMost(Duration.ofSeconds(60)).untilAsserted(
                () -> assertThat(services.get(victim).clientCount()).isZero());
        loops.forEach(CounterLoop::mark);
        await().atMost(Duration.ofSeconds(30)).until(() -> loops.stream().allMatch(l -> l.acksSinceMark() >= 5));
        CompletableFuture.allOf(loops.stream().map(CounterLoop::stop).toArray(CompletableFuture[]::new))
                .orTimeout(30, TimeUnit.SECONDS).join();
        for (CounterLoop l : loops) {
            assertThat(l.instance()).as(l.toString()).isNotEqualTo(victim);
            assertThat(l.failed()).as(l.toString()).isZero();
            assertThat(l.lost()).as(l.toString()).isZero();
            assertThat(l.duplicated()).as(l.toString()).isZero();
        }
        for (ReploidGateway g : gs) {
            for (int i = 0; i < 30; i++) {
                assertThat(g.pinnedInstance("dr" + i)).as("dr" + i + " on " + g.gatewayId())
                        .isEqualTo(gs.get(0).pinnedInstance("dr" + i));
            }
        }
    }
}
