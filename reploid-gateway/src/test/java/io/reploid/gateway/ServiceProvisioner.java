package io.reploid.gateway;

import io.reploid.scaling.InstanceProvisioner;
import io.reploid.service.ReploidService;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Starts real {@link ReploidService} instances running a {@link CounterHandler} in this JVM, with ids
 * {@code PREFIX-1}, {@code PREFIX-2}, ...; {@link #remove} closes one. Starts wait until {@link #connectTo}
 * names the gateway (its port is known only once it started). Slow work runs on its own threads, never on the
 * caller's. Thread-safe.
 */
final class ServiceProvisioner implements InstanceProvisioner {
    private final String prefix;
    private final int capacity;
    private final CompletableFuture<String> gateway = new CompletableFuture<>();
    private final AtomicInteger next = new AtomicInteger();
    private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "test-provisioner");
        t.setDaemon(true);
        return t;
    });
    final Map<String, ReploidService> services = new ConcurrentSkipListMap<>();
    final List<String> started = new CopyOnWriteArrayList<>();
    final List<String> removed = new CopyOnWriteArrayList<>();
    volatile boolean closed;

    ServiceProvisioner(String prefix, int capacity) {
        this.prefix = prefix;
        this.capacity = capacity;
    }

    /** The service port of the gateway new instances register with, as {@code host:port}. */
    ServiceProvisioner connectTo(String serviceAddress) {
        gateway.complete(serviceAddress);
        return this;
    }

    @Override
    public String name() {
        return "test:" + prefix;
    }

    @Override
    public CompletionStage<List<String>> scaleOut(int count) {
        return gateway.thenApplyAsync(address -> {
            List<String> ids = new java.util.ArrayList<>();
            for (int i = 0; i < count; i++) {
                String id = prefix + "-" + next.incrementAndGet();
                ReploidService s = ReploidService.builder(new CounterHandler(id))
                        .gateway(address)
                        .instanceId(id)
                        .capacity(capacity)
                        .handlerThreads(2)
                        .eventLoopThreads(1)
                        .reconnectBackoff(Duration.ofMillis(50), Duration.ofMillis(500))
                        .build();
                services.put(id, s);
                started.add(id);
                s.start();
                ids.add(id);
            }
            return List.copyOf(ids);
        }, executor);
    }

    @Override
    public CompletionStage<Void> remove(String instanceId) {
        return CompletableFuture.runAsync(() -> {
            ReploidService s = services.remove(instanceId);
            if (s == null) {
                throw new IllegalArgumentException("no instance " + instanceId);
            }
            s.close();
            removed.add(instanceId);
        }, executor);
    }

    @Override
    public List<String> managed() {
        return List.copyOf(services.keySet());
    }

    @Override
    public void close() {
        closed = true;
        services.values().forEach(ReploidService::close);
        services.clear();
        executor.shutdown();
        try {
            executor.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
