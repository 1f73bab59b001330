package io.reploid.service.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class MailboxTest {

    @Test
    void runsTasksOneAtATimeInOrder() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            Mailbox mailbox = new Mailbox(pool, "test");
            AtomicInteger running = new AtomicInteger();
            AtomicInteger overlaps = new AtomicInteger();
            List<Integer> order = Collections.synchronizedList(new ArrayList<>());
            CountDownLatch done = new CountDownLatch(1000);
            for (int i = 0; i < 1000; i++) {
                int n = i;
                mailbox.enqueue(() -> {
                    if (running.incrementAndGet() != 1) {
                        overlaps.incrementAndGet();
                    }
                    order.add(n);
                    running.decrementAndGet();
                    done.countDown();
                    return null;
                });
            }
            assertThat(done.await(30, TimeUnit.SECONDS)).isTrue();
            assertThat(overlaps).hasValue(0);
            assertThat(order).containsExactlyElementsOf(IntStream.range(0, 1000).boxed().toList());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void nextTaskWaitsForTheStageOfThePrevious() {
        ManualExecutor executor = new ManualExecutor();
        Mailbox mailbox = new Mailbox(executor, "test");
        CompletableFuture<String> first = new CompletableFuture<>();
        List<String> ran = new ArrayList<>();
        mailbox.enqueue(() -> {
            ran.add("first");
            return first;
        });
        mailbox.enqueue(() -> {
            ran.add("second");
            return CompletableFuture.completedFuture("done");
        });

        executor.runAll();
        assertThat(ran).containsExactly("first");
        assertThat(executor.queued()).isZero();

        first.complete("done"); // resumes the mailbox on the executor, not on this thread
        assertThat(ran).containsExactly("first");
        executor.runAll();
        assertThat(ran).containsExactly("first", "second");
    }

    @Test
    void failingTasksDoNotStallTheQueue() {
        ManualExecutor executor = new ManualExecutor();
        Mailbox mailbox = new Mailbox(executor, "test");
        CompletableFuture<String> failLater = new CompletableFuture<>();
        List<String> ran = new ArrayList<>();
        mailbox.enqueue(() -> {
            throw new IllegalStateException("thrown");
        });
        mailbox.enqueue(() -> CompletableFuture.failedFuture(new IllegalStateException("failed stage")));
        mailbox.enqueue(() -> failLater);
        mailbox.enqueue(() -> {
            ran.add("last");
            return null;
        });
        executor.runAll();
        assertThat(ran).isEmpty();
        failLater.completeExceptionally(new IllegalStateException("failed later"));
        executor.runAll();
        assertThat(ran).containsExactly("last");
    }

    @Test
    void runsDifferentMailboxesInParallel() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Mailbox a = new Mailbox(pool, "a");
            Mailbox b = new Mailbox(pool, "b");
            CountDownLatch bRan = new CountDownLatch(1);
            CompletableFuture<Boolean> aSawB = new CompletableFuture<>();
            a.enqueue(() -> {
                aSawB.complete(bRan.await(30, TimeUnit.SECONDS)); // blocks a's thread until b runs
                return null;
            });
            b.enqueue(() -> {
                bRan.countDown();
                return null;
            });
            assertThat(aSawB.get(30, TimeUnit.SECONDS)).isTrue();
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aBusyMailboxYieldsToOthers() {
        ManualExecutor executor = new ManualExecutor();
        Mailbox busy = new Mailbox(executor, "busy");
        Mailbox other = new Mailbox(executor, "other");
        List<String> ran = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            busy.enqueue(() -> {
                ran.add("busy");
                return null;
            });
        }
        other.enqueue(() -> {
            ran.add("other");
            return null;
        });
        executor.runAll();
        assertThat(ran).hasSize(41);
        assertThat(ran.indexOf("other")).isLessThan(40);
    }
}
