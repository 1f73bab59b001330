package io.reploid.examples;

import io.netty.channel.EventLoopGroup;
import io.reploid.client.ReploidClient;
import io.reploid.gateway.ReploidGateway;
import io.reploid.health.ResourceLimits;
import io.reploid.internal.Transports;
import io.reploid.service.ReploidService;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Recorder;
import org.HdrHistogram.Histogram;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code migration-bench}: measures live migration in one JVM on 127.0.0.1. A gateway, instance A with
 * every client, and instance B; the clients send {@code incr} in closed loops. After a steady-state
 * window, A is drained: every client moves to B with its state while it keeps sending. Prints the time to
 * drain A, the latency of each client's requests during its own migration (the request answered first by
 * B, which waited while its client moved) against steady state, and the counter audit (a value that is not
 * the previous one plus one is a lost or duplicated increment). Benchmarks measure; they assert nothing.
 *
 * <p>Not thread-safe (one run per instance).
 */
@Command(name = "migration-bench", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Measure live migration in one JVM on 127.0.0.1; stops by itself.",
                "",
                "A gateway, instance A holding every client and instance B; the clients run incr in closed loops; "
                        + "after --steady seconds A is drained (every client moves to B with its state). Prints the "
                        + "drain time and request latency (p50, p99, max) in steady state and for the request of each "
                        + "client that waited during its own migration, with the counter audit."})
final class MigrationBenchCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--clients", defaultValue = "1000", paramLabel = "N",
            description = "Clients, all on instance A before the drain (default: ${DEFAULT-VALUE}).")
    int clients;

    @Option(names = "--steady", defaultValue = "10", paramLabel = "SECONDS",
            description = "Steady-state window before the drain (default: ${DEFAULT-VALUE}).")
    int steadySeconds;

    @Option(names = "--rate", defaultValue = "500", paramLabel = "PER_SECOND",
            description = "Migrations a second the gateway allows (default: ${DEFAULT-VALUE}).")
    int rate;

    @Option(names = "--concurrent", defaultValue = "64", paramLabel = "N",
            description = "Migrations at a time (default: ${DEFAULT-VALUE}).")
    int concurrent;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        EventLoopGroup group = Transports.newGroup(2, "bench-clients");
        ExecutorService callbacks = Executors.newFixedThreadPool(2);
        List<ReploidClient> all = new ArrayList<>();
        List<Loop> loops = new ArrayList<>();
        try (ReploidGateway gateway = ReploidGateway.builder().host("127.0.0.1").clientPort(0).servicePort(0)
                .adminPort(0).pinRecoveryWindow(Duration.ZERO).resourceLimits(ResourceLimits.NONE)
                .acceptableHeartbeatPause(Duration.ofSeconds(3)).pingTimeout(Duration.ofSeconds(5))
                .migrationRate(rate, concurrent).build().start();
             ReploidService a = service("A", gateway);
             ReploidService b = service("B", gateway)) {
            a.start().get(30, TimeUnit.SECONDS);
            Recorder steady = new Recorder(3);
            Recorder moving = new Recorder(3);
            AtomicBoolean measuring = new AtomicBoolean();
            for (int i = 0; i < clients; i++) {
                ReploidClient c = ReploidClient.builder().clientId("mb-" + i)
                        .gateway("127.0.0.1:" + gateway.clientPort()).eventLoopGroup(group)
                        .callbackExecutor(callbacks).requestTimeout(Duration.ofSeconds(30)).build();
                c.connect().toCompletableFuture().get(30, TimeUnit.SECONDS);
                all.add(c);
                loops.add(new Loop(c, steady, moving, measuring));
            }
            b.start().get(30, TimeUnit.SECONDS);
            loops.forEach(Loop::send);
            Thread.sleep(Math.max(1, steadySeconds / 3) * 1000L); // warm-up, not measured
            steady.reset();
            measuring.set(true);
            Thread.sleep(steadySeconds * 1000L);
            Histogram steadyHistogram = steady.getIntervalHistogram();
            long started = System.nanoTime();
            gateway.drain("A");
            while (a.clientCount() > 0 && System.nanoTime() - started < TimeUnit.SECONDS.toNanos(120)) {
                Thread.sleep(5);
            }
            long drainMillis = (System.nanoTime() - started) / 1_000_000;
            int left = a.clientCount();
            Thread.sleep(2000); // the last moved clients answer from B
            measuring.set(false);
            Histogram movingHistogram = moving.getIntervalHistogram();
            long errors = loops.stream().mapToLong(l -> l.errors.get()).sum();
            long broken = loops.stream().mapToLong(l -> l.broken.get()).sum();
            long moved = loops.stream().filter(l -> l.movedAt != 0).count();
            out.printf("{\"clients\":%d,\"drainMillis\":%d,\"leftOnA\":%d,\"moved\":%d,\"rate\":%d,\"concurrent\":%d,%n",
                    clients, drainMillis, left, moved, rate, concurrent);
            out.printf(" \"steadyMicros\":{\"count\":%d,\"p50\":%d,\"p99\":%d,\"max\":%d},%n",
                    steadyHistogram.getTotalCount(), steadyHistogram.getValueAtPercentile(50),
                    steadyHistogram.getValueAtPercentile(99), steadyHistogram.getMaxValue());
            out.printf(" \"duringOwnMigrationMicros\":{\"count\":%d,\"p50\":%d,\"p99\":%d,\"max\":%d},%n",
                    movingHistogram.getTotalCount(), movingHistogram.getValueAtPercentile(50),
                    movingHistogram.getValueAtPercentile(99), movingHistogram.getMaxValue());
            out.printf(" \"failedRequests\":%d,\"lostOrDuplicatedIncrements\":%d}%n", errors, broken);
            out.flush();
            loops.forEach(l -> l.running.set(false));
        } finally {
            all.forEach(ReploidClient::close);
            callbacks.shutdownNow();
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
        return 0;
    }

    private static ReploidService service(String id, ReploidGateway gateway) {
        return ReploidService.builder(new TestService(id)).gateway("127.0.0.1:" + gateway.servicePort())
                .instanceId(id).capacity(100_000).build();
    }

    /** One client's closed loop of increments; checks every value is the previous one plus one. */
    private static final class Loop {
        private static final byte[] INSTANCE_B = "\"instance\":\"B\"".getBytes(StandardCharsets.UTF_8);
        final ReploidClient client;
        final Recorder steady;
        final Recorder moving;
        final AtomicBoolean measuring;
        final AtomicBoolean running = new AtomicBoolean(true);
        final AtomicLong errors = new AtomicLong();
        final AtomicLong broken = new AtomicLong();
        final byte[] request = TestRequest.of("incr", "k", null);
        long last;
        long movedAt;
        long sent;

        Loop(ReploidClient client, Recorder steady, Recorder moving, AtomicBoolean measuring) {
            this.client = client;
            this.steady = steady;
            this.moving = moving;
            this.measuring = measuring;
        }

        void send() {
            if (!running.get()) {
                return;
            }
            sent = System.nanoTime();
            client.request(request).whenComplete((answer, failure) -> {
                long micros = (System.nanoTime() - sent) / 1000;
                if (failure != null) {
                    errors.incrementAndGet();
                } else {
                    long value = LoadClient.counterValue(answer);
                    if (value != last + 1) {
                        broken.incrementAndGet();
                    }
                    last = value;
                    boolean onB = contains(answer, INSTANCE_B);
                    if (onB && movedAt == 0) {
                        movedAt = System.nanoTime();
                        moving.recordValue(micros); // this request waited while its client moved
                    } else if (!onB && measuring.get()) {
                        steady.recordValue(micros);
                    }
                }
                send();
            });
        }

        private static boolean contains(byte[] haystack, byte[] needle) {
            outer:
            for (int i = haystack.length - needle.length; i >= 0; i--) {
                for (int j = 0; j < needle.length; j++) {
                    if (haystack[i + j] != needle[j]) {
                        continue outer;
                    }
                }
                return true;
            }
            return false;
        }
    }
}
