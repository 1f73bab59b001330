package io.reploid.service.internal;

import static java.util.Objects.requireNonNull;

import java.util.Queue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one client's tasks on a shared executor one at a time, in the order they were enqueued. A task
 * may finish asynchronously: the next one starts only after the stage it returned has completed.
 *
 * <p>At most one runnable of a mailbox is on the executor or waiting for a stage at any time (the
 * {@code scheduled} flag), so an executor's queue holds at most one entry per client. A mailbox runs a
 * few tasks in a row and then yields the thread to other clients.
 *
 * <p>Thread-safe: {@link #enqueue} may be called from any thread.
 */
final class Mailbox implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(Mailbox.class);
    /** Tasks run in a row before the mailbox goes back to the end of the executor's queue. */
    private static final int BATCH = 16;

    /** One unit of a client's work. */
    @FunctionalInterface
    interface Task {
        /**
         * Runs the task.
         *
         * @return when the task finishes, or {@code null} when it has finished already
         */
        CompletionStage<?> run() throws Exception;
    }

    private final Executor executor;
    private final String name;
    private final Queue<Task> tasks = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean scheduled = new AtomicBoolean();

    /**
     * @param name what the tasks belong to, for log messages
     */
    Mailbox(Executor executor, String name) {
        this.executor = requireNonNull(executor, "executor");
        this.name = requireNonNull(name, "name");
    }

    /** Queues a task after every task enqueued before it. */
    void enqueue(Task task) {
        tasks.add(requireNonNull(task, "task"));
        if (scheduled.compareAndSet(false, true)) {
            submit();
        }
    }

    /** Tasks waiting, not counting one that is running. */
    int pending() {
        return tasks.size();
    }

    @Override
    public void run() {
        for (int i = 0; i < BATCH; i++) {
            Task task = tasks.poll();
            if (task == null) {
                break;
            }
            CompletionStage<?> stage = runOne(task);
            if (stage != null && !(stage instanceof Future<?> f && f.isDone())) {
                // Still scheduled: no other runnable starts until this stage completes and resumes us.
                stage.whenComplete((result, failure) -> submit());
                return;
            }
        }
        scheduled.set(false);
        if (!tasks.isEmpty() && scheduled.compareAndSet(false, true)) {
            submit();
        }
    }

    private CompletionStage<?> runOne(Task task) {
        try {
            return task.run();
        } catch (Throwable t) {
            log.warn("A task of {} failed", name, t);
            return null;
        }
    }

    private void submit() {
        try {
            executor.execute(this);
        } catch (RejectedExecutionException e) {
            // The executor is shutting down (or saturated): the tasks wait for the next enqueue.
            scheduled.set(false);
            log.debug("Executor rejected the tasks of {}; {} wait", name, tasks.size(), e);
        }
    }
}
