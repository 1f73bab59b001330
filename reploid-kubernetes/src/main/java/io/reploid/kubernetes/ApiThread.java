package io.reploid.kubernetes;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The one daemon thread on which a provisioner makes its blocking Kubernetes API calls, one at a time, so
 * that its callers never block and its own calls never race each other.
 *
 * <p>Thread-safe. Stages complete on this thread.
 */
final class ApiThread implements AutoCloseable {
    private final String name;
    private final ScheduledExecutorService executor;
    private final Set<CompletableFuture<?>> pending = ConcurrentHashMap.newKeySet();

    ApiThread(String name) {
        this.name = name;
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, task -> {
            Thread thread = new Thread(task, "reploid-" + name);
            thread.setDaemon(true);
            return thread;
        });
        executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        this.executor = executor;
    }

    /** Runs {@code call} on this thread; the stage fails with what it threw, or if this thread was closed. */
    <T> CompletionStage<T> call(Callable<T> call) {
        CompletableFuture<T> result = new CompletableFuture<>();
        pending.add(result);
        result.whenComplete((value, error) -> pending.remove(result));
        try {
            executor.execute(() -> {
                try {
                    result.complete(call.call());
                } catch (Throwable e) {
                    result.completeExceptionally(e);
                }
            });
        } catch (RejectedExecutionException e) {
            result.completeExceptionally(closed());
        }
        return result;
    }

    /** Runs {@code task} now and then {@code interval} after each run ends, until closed; it must not throw. */
    void every(Duration interval, Runnable task) {
        executor.scheduleWithFixedDelay(task, 0, interval.toNanos(), TimeUnit.NANOSECONDS);
    }

    private IllegalStateException closed() {
        return new IllegalStateException(name + " is closed");
    }

    /**
     * Interrupts the call in progress, fails every stage not completed yet and waits up to five seconds
     * for the thread to end. A request already sent may still take effect on the server.
     */
    @Override
    public void close() {
        executor.shutdownNow();
        for (CompletableFuture<?> stage : pending) {
            stage.completeExceptionally(closed());
        }
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
