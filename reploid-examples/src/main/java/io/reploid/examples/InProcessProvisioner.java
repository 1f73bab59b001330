package io.reploid.examples;

import io.reploid.service.ReploidService;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Starts {@link TestService} instances inside this JVM, with ids {@code auto-1}, {@code auto-2}, ...;
 * {@link #remove} closes one and {@link #close()} all. The gateway's autoscaler with this provisioner makes a
 * self-contained elastic cluster for a demo or a test ({@code gateway --autoscale ... --provisioner inprocess}).
 *
 * <p>Thread-safe. Starting and closing services run on the provisioner's own threads.
 */
final class InProcessProvisioner implements LocalProvisioner {
    private final int capacity;
    private final Gateways gateways = new Gateways();
    private final AtomicInteger next = new AtomicInteger();
    private final Map<String, ReploidService> services = new ConcurrentSkipListMap<>();
    private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "inprocess-provisioner");
        t.setDaemon(true);
        return t;
    });
    private volatile boolean closed;

    /** @param capacity the capacity every instance registers with */
    InProcessProvisioner(int capacity) {
        if (capacity <= 0) {
            throw new IllegalArgumentException("capacity: " + capacity + " (expected: > 0)");
        }
        this.capacity = capacity;
    }

    @Override
    public void connectTo(String serviceAddresses) {
        gateways.set(serviceAddresses);
    }

    @Override
    public String name() {
        return "inprocess";
    }

    @Override
    public CompletionStage<List<String>> scaleOut(int count) {
        return gateways.get().thenApplyAsync(addresses -> {
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                String id = "auto-" + next.incrementAndGet();
                ReploidService s = ReploidService.builder(new TestService(id))
                        .gateways(addresses)
                        .instanceId(id)
                        .capacity(capacity)
                        .handlerThreads(2)
                        .eventLoopThreads(1)
                        .build();
                synchronized (services) {
                    if (closed) {
                        s.close();
                        throw new IllegalStateException("the provisioner is closed");
                    }
                    services.put(id, s);
                }
                s.start(); // registers in the background
                ids.add(id);
            }
            return List.copyOf(ids);
        }, executor);
    }

    @Override
    public CompletionStage<Void> remove(String instanceId) {
        return CompletableFuture.runAsync(() -> {
            ReploidService s = services.remove(instanceId);
            if (s != null) {
                s.close();
            }
        }, executor);
    }

    @Override
    public List<String> managed() {
        return List.copyOf(services.keySet());
    }

    @Override
    public void close() {
        synchronized (services) {
            closed = true;
        }
        for (String id : managed()) {
            ReploidService s = services.remove(id);
            if (s != null) {
                s.close();
            }
        }
        executor.shutdown();
        try {
            executor.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return "inprocess (capacity " + capacity + ")";
    }
}
