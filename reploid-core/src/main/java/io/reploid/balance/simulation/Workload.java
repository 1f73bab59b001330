package io.reploid.balance.simulation;

import java.util.List;
import java.util.Locale;

/**
 * What the simulated clients and instances look like. A workload fixes how clients weigh (how much load
 * each brings), when they arrive and leave, the instances' capacities and any built-in membership
 * change; the {@link Simulation} fixes the counts.
 *
 * <ul>
 *   <li>{@link #uniform()}: every client weighs 1; clients arrive evenly over the whole run and stay.
 *   <li>{@link #zipf()}: as uniform, but weights follow a Zipf law over 1..100 (exponent 1): most clients
 *       are light, a few weigh up to 100 (mean about 19).
 *   <li>{@link #churn()}: clients arrive over the first quarter of the run; then each step 5% of them
 *       leave and as many new ones arrive.
 *   <li>{@link #heterogeneous()}: as uniform, but instance capacities and weights are 1x, 2x, 4x in turn.
 *   <li>{@link #scaleOut()}: as churn, and at half-time as many instances join as there were.
 * </ul>
 *
 * <p>Immutable and thread-safe.
 */
public final class Workload {
    private static final int[] EVEN = {1};
    private static final int[] MIXED = {1, 2, 4};

    private final String name;
    private final double zipfExponent;
    private final double churnPerStep;
    private final int[] capacityPattern;
    private final boolean scaleOut;

    private Workload(String name, double zipfExponent, double churnPerStep, int[] capacityPattern, boolean scaleOut) {
        this.name = name;
        this.zipfExponent = zipfExponent;
        this.churnPerStep = churnPerStep;
        this.capacityPattern = capacityPattern;
        this.scaleOut = scaleOut;
    }

    public static Workload uniform() {
        return new Workload("uniform", 0, 0, EVEN, false);
    }

    public static Workload zipf() {
        return zipf(1.0);
    }

    /** Client weights {@code k} in 1..100 with probability proportional to {@code k^-exponent}. */
    public static Workload zipf(double exponent) {
        if (!(exponent > 0)) {
            throw new IllegalArgumentException("exponent: " + exponent + " (expected: > 0)");
        }
        return new Workload(exponent == 1.0 ? "zipf" : "zipf(" + exponent + ")", exponent, 0, EVEN, false);
    }

    public static Workload churn() {
        return churn(0.05);
    }

    /** Clients arrive over the first quarter; then a fraction of them is replaced every step. */
    public static Workload churn(double perStep) {
        if (!(perStep > 0 && perStep < 1)) {
            throw new IllegalArgumentException("perStep: " + perStep + " (expected: > 0 and < 1)");
        }
        return new Workload(perStep == 0.05 ? "churn" : "churn(" + perStep + ")", 0, perStep, EVEN, false);
    }

    public static Workload heterogeneous() {
        return new Workload("heterogeneous", 0, 0, MIXED, false);
    }

    public static Workload scaleOut() {
        return new Workload("scale-out", 0, 0.05, EVEN, true);
    }

    /** The workload of a name: uniform, zipf, churn, heterogeneous or scale-out. */
    public static Workload named(String name) {
        return switch (name.strip().toLowerCase(Locale.ROOT)) {
            case "uniform" -> uniform();
            case "zipf" -> zipf();
            case "churn" -> churn();
            case "heterogeneous" -> heterogeneous();
            case "scale-out" -> scaleOut();
            default -> throw new IllegalArgumentException("workload '" + name
                    + "' (expected: uniform, zipf, churn, heterogeneous or scale-out)");
        };
    }

    public String name() {
        return name;
    }

    double zipfExponent() {
        return zipfExponent;
    }

    double churnPerStep() {
        return churnPerStep;
    }

    /** Capacity and weight multiplier of the {@code index}-th instance. */
    int multiplier(int index) {
        return capacityPattern[index % capacityPattern.length];
    }

    double meanMultiplier() {
        double sum = 0;
        for (int m : capacityPattern) {
            sum += m;
        }
        return sum / capacityPattern.length;
    }

    /** The membership changes the workload brings by itself. */
    List<MembershipEvent> builtInEvents(int instances) {
        return scaleOut ? List.of(new MembershipEvent(MembershipEvent.Kind.JOIN, instances, 0.5)) : List.of();
    }

    @Override
    public String toString() {
        return name;
    }
}
