package io.reploid.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.reploid.ReploidException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Waits for futures with a generous bound and unwraps their outcome. */
final class Outcomes {
    /** The bound on every wait; generous, so that a loaded machine does not fail a test. */
    static final long WAIT_SECONDS = 20;

    private Outcomes() {
    }

    /** The value of a future that must succeed. */
    static <T> T valueOf(CompletableFuture<T> future) {
        try {
            return future.get(WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException | TimeoutException e) {
            throw new AssertionError("no outcome within " + WAIT_SECONDS + " s", e);
        } catch (ExecutionException e) {
            throw new AssertionError("failed: " + e.getCause(), e.getCause());
        }
    }

    /** The failure of a future that must fail with a {@link ReploidException}. */
    static ReploidException failureOf(CompletableFuture<?> future) {
        Throwable t;
        try {
            t = future.handle((v, e) -> e).get(WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException | ExecutionException | TimeoutException e) {
            throw new AssertionError("no outcome within " + WAIT_SECONDS + " s", e);
        }
        if (t instanceof CompletionException && t.getCause() != null) {
            t = t.getCause();
        }
        assertThat(t).as("failure").isInstanceOf(ReploidException.class);
        return (ReploidException) t;
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}
