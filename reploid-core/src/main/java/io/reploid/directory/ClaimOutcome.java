package io.reploid.directory;

/**
 * What became of a {@link PinDirectory#claim}.
 *
 * <p>Immutable and thread-safe.
 *
 * @param won whether the claim is now the client's pin
 * @param current the pin in force after the claim: the claimed one (perhaps with a larger epoch) when
 *        {@code won}, otherwise the one that beat it, or {@code null} when the client has none (two claims
 *        cancelled each other; try again)
 */
public record ClaimOutcome(boolean won, DirectoryPin current) {
    public ClaimOutcome {
        if (won && current == null) {
            throw new IllegalArgumentException("a won claim has a pin");
        }
    }

    /** The claim won with {@code pin}. */
    public static ClaimOutcome won(DirectoryPin pin) {
        return new ClaimOutcome(true, pin);
    }

    /** The claim lost to {@code current} (maybe {@code null}: no pin). */
    public static ClaimOutcome lost(DirectoryPin current) {
        return new ClaimOutcome(false, current);
    }
}
