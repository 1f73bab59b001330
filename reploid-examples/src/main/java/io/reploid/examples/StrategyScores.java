package io.reploid.examples;

import io.reploid.balance.simulation.Report;
import io.reploid.balance.simulation.Simulation;
import io.reploid.balance.simulation.Workload;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Strategies side by side: the balancing simulator ({@link Simulation}) scores every built-in strategy
 * on the workload the live cluster runs, in the background, and the dashboard shows the result next to
 * the live view. A new workload starts a new scoring (the previous one is abandoned). Thread-safe.
 */
final class StrategyScores implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(StrategyScores.class);
    static final String STRATEGIES = "round-robin,random,least-clients,least-loaded,p2c,weighted,ring-hash,"
            + "rendezvous,maglev,bounded-load,resource-aware";
    private static final int STEPS = 60;

    private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "app-strategy-scores");
        t.setDaemon(true);
        t.setPriority(Thread.MIN_PRIORITY);
        return t;
    });
    private volatile Map<String, Object> scores = Map.of("status", "waiting");
    private Future<?> running;

    /** Scores the strategies for a workload, with the live cluster's size (bounded so a run stays short). */
    synchronized void score(String workload, int instances, int clients, String live) {
        if (running != null) {
            running.cancel(true);
        }
        int n = Math.max(3, Math.min(instances, 200));
        int m = Math.max(n, Math.min(clients, 20_000));
        String description = "workload=" + workload + " instances=" + n + " clients=" + m + " steps=" + STEPS;
        scores = Map.of("status", "running", "description", description, "live", live, "rows", List.of());
        running = worker.submit(() -> {
            try {
                Report report = Simulation.builder().instances(n).clients(m).steps(STEPS)
                        .workload(Workload.named(workload)).strategies(STRATEGIES).seed(1).build().run();
                List<Map<String, Object>> rows = new ArrayList<>();
                for (Report.Row r : report.rows()) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    row.put("strategy", r.strategy());
                    row.put("peakToAverageMean", r.peakToAverageMean());
                    row.put("peakToAverageMax", r.peakToAverageMax());
                    row.put("cvFinal", r.cvFinal());
                    row.put("moved", r.moved());
                    row.put("strayFraction", r.strayFraction());
                    row.put("nanosPerPick", r.nanosPerPick());
                    rows.add(row);
                }
                Map<String, Object> done = new LinkedHashMap<>();
                done.put("status", "done");
                done.put("description", description);
                done.put("live", live);
                done.put("rows", rows);
                scores = done;
            } catch (RuntimeException e) {
                if (!Thread.currentThread().isInterrupted()) {
                    log.warn("Scoring the strategies failed", e);
                    scores = Map.of("status", "failed: " + e.getMessage(), "description", description, "rows", List.of());
                }
            }
        });
    }

    /** The latest scores as the dashboard's JSON: status, description, live, rows. */
    Map<String, Object> json() {
        return scores;
    }

    @Override
    public void close() {
        worker.shutdownNow();
    }
}
