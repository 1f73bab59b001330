package io.reploid.balance.simulation;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The figures of a {@link Simulation}: one {@link Row} per strategy, the {@link Step} series behind it and
 * every {@link Movement}, as a table or CSV. All figures but {@link Row#nanosPerPick()} are a function of
 * the simulation's parameters and seed.
 *
 * <p>Load is the sum of the weights of an instance's clients; utilisation is load over capacity. The
 * peak-to-average ratio of a step is the highest utilisation over the cluster's (total load over total
 * capacity), over the instances that take new clients; 1 is perfect.
 *
 * <p>Immutable and thread-safe.
 */
public final class Report {

    /**
     * One strategy's summary.
     *
     * @param strategy           the name it was given
     * @param peakToAverageMax   the highest peak-to-average ratio of any step
     * @param peakToAverageMean  the mean over the steps
     * @param peakToAverageFinal the ratio after the last step
     * @param cvFinal            standard deviation of utilisation over its mean after the last step
     * @param moved              clients that a fresh placement puts elsewhere after a membership change,
     *                           summed over the changes (see {@link Movement})
     * @param minimumMoves       the least any balanced placement must move, summed over the changes
     * @param strayMoves         moved clients that neither left a departed instance nor went to a new one
     * @param strayBase          clients that were not on a departed instance, summed over the changes
     * @param repinned           pinned clients moved because their instance crashed or left
     * @param badPicks           picks of a full, excluded or unknown instance, rejected (must be 0)
     * @param unplaced           picks that returned nothing while some instance had room
     * @param refused            clients turned away because no instance had room
     * @param picks              calls to the picker
     * @param nanosPerPick       mean cost of a pick in nanoseconds, measured after the run (not deterministic)
     */
    public record Row(String strategy, double peakToAverageMax, double peakToAverageMean, double peakToAverageFinal,
            double cvFinal, long moved, long minimumMoves, long strayMoves, long strayBase, long repinned,
            long badPicks, long unplaced, long refused, long picks, double nanosPerPick) {

        /** Stray moves as a fraction of the clients that had no reason to move; 0 with no change. */
        public double strayFraction() {
            return strayBase == 0 ? 0 : (double) strayMoves / strayBase;
        }
    }

    /**
     * The state after one step.
     *
     * @param peakToAverage the step's peak-to-average ratio (1 while there is no load)
     * @param cv            standard deviation of utilisation over its mean
     */
    public record Step(String strategy, int step, int instances, int clients, double peakToAverage, double cv) {
    }

    /**
     * What one membership change does to a fresh placement. Every client present is placed twice, in
     * arrival order and by new balancers of the strategy, once with the membership before the change and
     * once after; {@code moved} counts those placed differently. Sticky pins make the gateway move only
     * the clients of departed instances, but a hash strategy's mapping decides where clients return when
     * their pins expire, and how much state a re-placement disturbs.
     *
     * @param minimum the least a balanced placement must move: the departed instances' weighted share of
     *                the clients, plus the joined instances' share
     * @param stray   moved clients that neither left a departed instance nor went to a joined one
     * @param strayBase clients that were not on a departed instance before
     */
    public record Movement(String strategy, int step, String event, int clients, int moved, int minimum, int stray,
            int strayBase) {
    }

    private final String description;
    private final List<Row> rows;
    private final List<Step> steps;
    private final List<Movement> movements;

    Report(String description, List<Row> rows, List<Step> steps, List<Movement> movements) {
        this.description = description;
        this.rows = List.copyOf(rows);
        this.steps = List.copyOf(steps);
        this.movements = List.copyOf(movements);
    }

    /** The parameters of the simulation, in one line. */
    public String description() {
        return description;
    }

    public List<Row> rows() {
        return rows;
    }

    /** The row of a strategy; throws {@link IllegalArgumentException} if there is none. */
    public Row row(String strategy) {
        return rows.stream().filter(r -> r.strategy().equals(strategy)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no strategy '" + strategy + "' in the report"));
    }

    public List<Step> steps() {
        return steps;
    }

    /** The steps of one strategy. */
    public List<Step> steps(String strategy) {
        return steps.stream().filter(s -> s.strategy().equals(strategy)).toList();
    }

    public List<Movement> movements() {
        return movements;
    }

    /** The summary as an aligned text table, with the movements below it when there were any. */
    public String table() {
        int width = Math.max(8, rows.stream().mapToInt(r -> r.strategy().length()).max().orElse(8));
        StringBuilder b = new StringBuilder(description).append('\n');
        String head = "%-" + width + "s %8s %8s %8s %8s %8s %8s %7s %6s %8s %8s %8s%n";
        b.append(String.format(Locale.ROOT, head, "strategy", "p2a max", "p2a mean", "p2a end", "cv end", "moved",
                "min", "stray%", "bad", "unplaced", "refused", "ns/pick"));
        String line = "%-" + width + "s %8.3f %8.3f %8.3f %8.3f %8d %8d %7.3f %6d %8d %8d %8.0f%n";
        for (Row r : rows) {
            b.append(String.format(Locale.ROOT, line, r.strategy(), r.peakToAverageMax(), r.peakToAverageMean(),
                    r.peakToAverageFinal(), r.cvFinal(), r.moved(), r.minimumMoves(), 100 * r.strayFraction(),
                    r.badPicks(), r.unplaced(), r.refused(), r.nanosPerPick()));
        }
        if (!movements.isEmpty()) {
            b.append('\n');
            String mhead = "%-" + width + "s %6s %-14s %8s %8s %8s %8s%n";
            b.append(String.format(Locale.ROOT, mhead, "strategy", "step", "event", "clients", "moved", "min", "stray"));
            for (Movement m : movements) {
                b.append(String.format(Locale.ROOT, "%-" + width + "s %6d %-14s %8d %8d %8d %8d%n", m.strategy(),
                        m.step(), m.event(), m.clients(), m.moved(), m.minimum(), m.stray()));
            }
        }
        return b.toString();
    }

    public void print(PrintStream out) {
        out.print(table());
    }

    /** The summary as CSV, one row per strategy, with a header. */
    public String csv() {
        StringBuilder b = new StringBuilder("strategy,p2a_max,p2a_mean,p2a_final,cv_final,moved,minimum_moves,"
                + "stray_moves,stray_base,repinned,bad_picks,unplaced,refused,picks,ns_per_pick\n");
        for (Row r : rows) {
            b.append(String.format(Locale.ROOT, "%s,%.4f,%.4f,%.4f,%.4f,%d,%d,%d,%d,%d,%d,%d,%d,%d,%.1f%n",
                    quote(r.strategy()), r.peakToAverageMax(), r.peakToAverageMean(), r.peakToAverageFinal(),
                    r.cvFinal(), r.moved(), r.minimumMoves(), r.strayMoves(), r.strayBase(), r.repinned(),
                    r.badPicks(), r.unplaced(), r.refused(), r.picks(), r.nanosPerPick()));
        }
        return b.toString();
    }

    /** Every step of every strategy as CSV, with a header. */
    public String stepsCsv() {
        StringBuilder b = new StringBuilder("strategy,step,instances,clients,p2a,cv\n");
        for (Step s : steps) {
            b.append(String.format(Locale.ROOT, "%s,%d,%d,%d,%.4f,%.4f%n", quote(s.strategy()), s.step(),
                    s.instances(), s.clients(), s.peakToAverage(), s.cv()));
        }
        return b.toString();
    }

    /** Every movement as CSV, with a header. */
    public String movementsCsv() {
        StringBuilder b = new StringBuilder("strategy,step,event,clients,moved,minimum,stray,stray_base\n");
        for (Movement m : movements) {
            b.append(String.format(Locale.ROOT, "%s,%d,%s,%d,%d,%d,%d,%d%n", quote(m.strategy()), m.step(),
                    m.event(), m.clients(), m.moved(), m.minimum(), m.stray(), m.strayBase()));
        }
        return b.toString();
    }

    /** Writes {@link #csv()} to a file. */
    public void writeCsv(Path file) throws IOException {
        Files.writeString(file, csv(), StandardCharsets.UTF_8);
    }

    private static String quote(String s) {
        return s.contains(",") || s.contains("\"") ? '"' + s.replace("\"", "\"\"") + '"' : s;
    }

    @Override
    public String toString() {
        return table();
    }
}
