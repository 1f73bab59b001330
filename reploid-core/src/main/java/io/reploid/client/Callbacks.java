package io.reploid.client;

import io.netty.util.concurrent.DefaultThreadFactory;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands completions and listener calls from the event loop to the callback executor, so that user code
 * never runs on an event loop. Futures are completed as independent tasks; push and state listeners run
 * one at a time in the order of their events. Counts the pushes not yet delivered so that the client can
 * stop reading from a gateway whose pushes outrun the listener. Thread-safe.
 */
final class Callbacks {
    private static final Logger log = LoggerFactory.getLogger(Callbacks.class);

    /** Undelivered pushes at which the client stops reading from the gateway. */
    static final int PUSH_HIGH_WATER = 256;
    /** Undelivered pushes at which it reads again. */
    static final int PUSH_LOW_WATER = 64;

    private final Executor executor;
    private final Consumer<byte[]> pushListener;
    private final Consumer<ReploidClient.State> stateListener;
    private final Runnable pushesDrained;
    private final Queue<Runnable> ordered = new ConcurrentLinkedQueue<>();
    private final AtomicInteger orderedCount = new AtomicInteger();
    private final AtomicInteger pushBacklog = new AtomicInteger();

    /**
     * @param pushesDrained called on the callback executor when the push backlog falls to
     *     {@link #PUSH_LOW_WATER}
     */
    Callbacks(ClientConfig config, Runnable pushesDrained) {
        this.executor = config.callbackExecutor();
        this.pushListener = config.pushListener();
        this.stateListener = config.stateListener();
        this.pushesDrained = pushesDrained;
    }

    /** The default callback executor: a cached pool of daemon threads shared by every client. */
    static Executor sharedPool() {
        return SharedPool.POOL;
    }

    <T> void complete(CompletableFuture<T> future, T value) {
        execute(() -> future.complete(value));
    }

    void fail(CompletableFuture<?> future, Throwable cause) {
        execute(() -> future.completeExceptionally(cause));
    }

    /**
     * Delivers a push to the listener, if there is one.
     *
     * @return whether the backlog of undelivered pushes reached {@link #PUSH_HIGH_WATER}
     */
    boolean push(byte[] payload) {
        if (pushListener == null) {
            log.debug("dropped a push of {} bytes: no push listener", payload.length);
            return false;
        }
        int backlog = pushBacklog.incrementAndGet();
        runInOrder(() -> {
            try {
                pushListener.accept(payload);
            } catch (Throwable t) {
                log.warn("push listener failed", t);
            } finally {
                if (pushBacklog.decrementAndGet() == PUSH_LOW_WATER) {
                    pushesDrained.run();
                }
            }
        });
        return backlog >= PUSH_HIGH_WATER;
    }

    /** Pushes handed over and not yet delivered. */
    int pushBacklog() {
        return pushBacklog.get();
    }

    void state(ReploidClient.State state) {
        if (stateListener == null) {
            return;
        }
        runInOrder(() -> {
            try {
                stateListener.accept(state);
            } catch (Throwable t) {
                log.warn("state listener failed on {}", state, t);
            }
        });
    }

    private void runInOrder(Runnable task) {
        ordered.add(task);
        if (orderedCount.getAndIncrement() == 0) {
            execute(this::drainInOrder);
        }
    }

    private void drainInOrder() {
        do {
            ordered.poll().run();
        } while (orderedCount.decrementAndGet() != 0);
    }

    private void execute(Runnable task) {
        try {
            executor.execute(task);
        } catch (RejectedExecutionException e) {
            log.warn("callback executor rejected a task; running it on the shared pool", e);
            SharedPool.POOL.execute(task);
        }
    }

    private static final class SharedPool {
        static final ExecutorService POOL =
                Executors.newCachedThreadPool(new DefaultThreadFactory("reploid-client-callback", true));
    }
}
