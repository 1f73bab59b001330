package io.reploid.service.internal;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;

/** An executor that runs tasks only when the test says so, on the test's thread. Thread-safe. */
final class ManualExecutor implements Executor {
    private final Queue<Runnable> queue = new ConcurrentLinkedQueue<>();

    @Override
    public void execute(Runnable task) {
        queue.add(task);
    }

    /** Runs queued tasks, and those they queue, until none is left; returns how many ran. */
    int runAll() {
        int ran = 0;
        for (Runnable task; (task = queue.poll()) != null; ran++) {
            task.run();
        }
        return ran;
    }

    int queued() {
        return queue.size();
    }
}
