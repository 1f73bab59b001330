package io.reploid.examples;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Lets a long-running command stop cleanly on Ctrl-C: a JVM shutdown hook wakes {@link #await} and then
 * waits (at most {@value #CLEANUP_SECONDS} s) until the command has closed its resources and called
 * {@link #close()}. Cleanup therefore lives in one place, the command's own {@code finally}, whether it
 * stops on a signal or at the end of its {@code --duration}; {@link #close()} also removes the hook so a
 * command run inside a test leaves nothing behind.
 *
 * <pre>{@code
 * try (ShutdownSignal signal = new ShutdownSignal("gateway");
 *      ReploidGateway gateway = builder.build().start()) {
 *     signal.await(null); // until Ctrl-C
 * }
 * }</pre>
 *
 * <p>Thread-safe.
 */
final class ShutdownSignal implements AutoCloseable {
    static final int CLEANUP_SECONDS = 30;

    private final CountDownLatch signalled = new CountDownLatch(1);
    private final CountDownLatch cleanedUp = new CountDownLatch(1);
    private final Thread hook;

    ShutdownSignal(String name) {
        hook = new Thread(() -> {
            signalled.countDown();
            try {
                cleanedUp.await(CLEANUP_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, name + "-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /**
     * Waits for Ctrl-C (or any JVM shutdown), or until {@code limit} passed when it is not {@code null}.
     *
     * @return {@code true} when the JVM is shutting down
     */
    boolean await(Duration limit) throws InterruptedException {
        if (limit == null) {
            signalled.await();
            return true;
        }
        return signalled.await(limit.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** Wakes {@link #await} as a shutdown would, without one: a command run in a test stops this way. */
    void signal() {
        signalled.countDown();
    }

    /** Whether the JVM is shutting down (or {@link #signal} was called). */
    boolean isSignalled() {
        return signalled.getCount() == 0;
    }

    /** Tells the hook that cleanup is done, and removes it unless the JVM is already shutting down. */
    @Override
    public void close() {
        cleanedUp.countDown();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running or ran: nothing to remove
        }
    }
}
