package io.reploid.examples;

import io.netty.channel.EventLoopGroup;
import io.reploid.client.ReploidClient;
import io.reploid.internal.HostAndPort;
import io.reploid.internal.Transports;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * One run of the load tool: connects {@link LoadSettings#clients()} {@link LoadClient}s that share one
 * event loop group and one small callback executor, lets them run closed loops through the warm-up and
 * the measured window, stops them, waits for their last answers and closes everything. Client {@code i}
 * starts on gateway {@code i mod n} of the {@code n} given and fails over to the next ones in turn, so the
 * clients are spread over the gateways.
 *
 * <p>Thread-safety: {@link #execute} is called once, by one thread; the recording methods are called by
 * the clients' callbacks concurrently and are thread-safe (a wait-free {@link Recorder} and
 * {@link LongAdder}s).
 */
final class LoadRun {
    /** Pause before a client sends again after an error. */
    private static final long RETRY_DELAY_MILLIS = 10;

    private final LoadSettings settings;
    private final Recorder latencyMicros = new Recorder(3);
    private final LongAdder measured = new LongAdder();
    private final LongAdder errors = new LongAdder();
    private final CountDownLatch finished;
    private final LongGaps longGaps;
    private final LongGaps gatewayChanges = new LongGaps("gaps ending on another gateway", 1);
    private volatile boolean sending = true;
    private volatile boolean measuring;
    private ScheduledExecutorService retries;

    LoadRun(LoadSettings settings) {
        this.settings = settings;
        this.finished = new CountDownLatch(settings.clients());
        this.longGaps = new LongGaps(String.format(Locale.ROOT, "gaps >= %.0f ms", settings.longGap().toNanos() / 1e6),
                settings.longGap().toNanos());
    }

    /** Thrown when not every client could connect. */
    static final class ConnectFailure extends Exception {
        private static final long serialVersionUID = 1L;

        ConnectFailure(String message) {
            super(message);
        }
    }

    /** Runs the load and returns what it measured; {@code err} gets progress messages. */
    LoadResult execute(PrintWriter err) throws InterruptedException, ConnectFailure {
        List<InetSocketAddress> gateways = HostAndPort.parseList(settings.gateways());
        EventLoopGroup group = Transports.newGroup(settings.ioThreads(), "load-io");
        ExecutorService callbacks = Executors.newFixedThreadPool(settings.callbackThreads(), daemon("load-callback"));
        retries = Executors.newSingleThreadScheduledExecutor(daemon("load-retry"));
        List<LoadClient> clients = new ArrayList<>(settings.clients());
        try {
            for (int i = 0; i < settings.clients(); i++) {
                String clientId = settings.idPrefix() + "-" + i;
                int first = i;
                clients.add(new LoadClient(k -> ReploidClient.builder()
                        .clientId(clientId)
                        .gateways(rotated(gateways, first + k))
                        .eventLoopGroup(group)
                        .callbackExecutor(callbacks)
                        .connectTimeout(settings.timeout())
                        .requestTimeout(settings.timeout())
                        .build(), settings.switchGateway(), settings.key(), this));
            }
            connect(clients);
            err.printf("load: %d clients (%s-0..%d) connected to %s%s; warm-up %.1f s, then %.1f s measured%n",
                    clients.size(), settings.idPrefix(), clients.size() - 1, settings.gateways(),
                    settings.switchGateway() ? " (a new connection to the next gateway for every request)" : "",
                    seconds(settings.warmup()), seconds(settings.duration()));
            err.flush();

            long start = System.nanoTime();
            longGaps.start(start);
            gatewayChanges.start(start);
            clients.forEach(LoadClient::start);
            if (!settings.warmup().isZero()) {
                Thread.sleep(settings.warmup().toMillis());
            }
            latencyMicros.reset();
            measured.reset();
            measuring = true;
            long measuredFrom = System.nanoTime();
            Thread.sleep(settings.duration().toMillis());
            measuring = false;
            long elapsed = System.nanoTime() - measuredFrom;
            sending = false;
            Histogram latency = latencyMicros.getIntervalHistogram();
            long requests = measured.sum();

            // Each client stops after its answer in flight; a stuck one fails with CLOSED below.
            finished.await(settings.timeout().toMillis() + 1_000, TimeUnit.MILLISECONDS);
            closeAll(clients);
            callbacks.shutdown();
            callbacks.awaitTermination(5, TimeUnit.SECONDS); // the audits are read after their last callback
            long lost = 0;
            long duplicated = 0;
            long uncertain = 0;
            long instanceChanges = 0;
            int onSeveralInstances = 0;
            long gatewayChangeCount = 0;
            for (LoadClient c : clients) {
                lost += c.audit.lost();
                duplicated += c.audit.duplicated();
                uncertain += c.audit.uncertain();
                instanceChanges += c.instanceChanges();
                onSeveralInstances += c.instances().size() > 1 ? 1 : 0;
                gatewayChangeCount += c.gatewayChanges();
            }
            if (settings.verify()) {
                longGaps.report().forEach(err::println);
                gatewayChanges.report().forEach(err::println);
                err.flush();
            }
            return new LoadResult(clients.size(), requests, elapsed / 1e9, latency, errors.sum(), instanceChanges,
                    onSeveralInstances, gatewayChangeCount, settings.verify(), lost, duplicated, uncertain,
                    FailoverGaps.of(clients));
        } finally {
            sending = false;
            closeAll(clients);
            retries.shutdownNow();
            callbacks.shutdownNow();
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        }
    }

    private void connect(List<LoadClient> clients) throws InterruptedException, ConnectFailure {
        List<CompletableFuture<Void>> connects = new ArrayList<>(clients.size());
        for (LoadClient c : clients) {
            connects.add(c.client().connect());
        }
        try {
            CompletableFuture.allOf(connects.toArray(new CompletableFuture<?>[0]))
                    .get(settings.timeout().toMillis() + 10_000, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            long failed = connects.stream().filter(CompletableFuture::isCompletedExceptionally).count();
            throw new ConnectFailure("cannot connect " + failed + " of " + clients.size() + " clients to "
                    + settings.gateways() + ": " + e.getCause().getMessage());
        } catch (TimeoutException e) {
            throw new ConnectFailure("clients did not connect to " + settings.gateways() + " in time");
        }
    }

    private static void closeAll(List<LoadClient> clients) {
        for (LoadClient c : clients) {
            c.close();
        }
    }

    /** The gateways starting with the one at {@code first} (modulo their number), then the rest in order. */
    static List<InetSocketAddress> rotated(List<InetSocketAddress> gateways, int first) {
        List<InetSocketAddress> out = new ArrayList<>(gateways);
        Collections.rotate(out, -Math.floorMod(first, gateways.size()));
        return out;
    }

    void recordSuccess(long micros) {
        if (measuring) {
            latencyMicros.recordValue(micros);
            measured.increment();
        }
    }

    void recordError() {
        errors.increment();
    }

    boolean isSending() {
        return sending;
    }

    void retryLater(LoadClient client) {
        sendLater(client, RETRY_DELAY_MILLIS);
    }

    /** Runs the client (which sends, or finishes once the run stops) after {@code millis}. */
    void sendLater(LoadClient client, long millis) {
        try {
            retries.schedule(client, millis, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException stopped) {
            client.run(); // the run is over: the client finishes
        }
    }

    /** Gaps at least this long are {@link #recordLongGap recorded}. */
    long longGapNanos() {
        return longGaps.thresholdNanos();
    }

    /** A client went from {@code sinceNanos} ({@link System#nanoTime()}) for {@code nanos} without an answer. */
    void recordLongGap(long sinceNanos, long nanos) {
        longGaps.record(sinceNanos, nanos);
    }

    /** As {@link #recordLongGap}, for a gap that ended with an answer through another gateway than before. */
    void recordGatewayChange(long sinceNanos, long nanos) {
        gatewayChanges.record(sinceNanos, nanos);
    }

    void clientFinished() {
        finished.countDown();
    }

    private static double seconds(Duration d) {
        return d.toNanos() / 1e9;
    }

    private static ThreadFactory daemon(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
