package io.reploid.health;

/**
 * Judges whether an instance may take new clients, and whether it looks alive. The gateway runs every
 * configured check on each instance several times a second and after each load report; the worst
 * verdict wins. An instance judged {@link Verdict#SUSPECT} for longer than the gateway's suspect timeout
 * is declared dead and its clients fail over.
 *
 * <p>Threading: called on the gateway's control thread only, one instance at a time; implementations
 * must not block and must be cheap. Built-in checks are in {@link HealthChecks}.
 */
@FunctionalInterface
public interface HealthCheck {

    /** What a check concludes. Ordered from best to worst. */
    enum Verdict {
        /** Alive and may take new clients. */
        OK,
        /** Alive and serving its clients, but must take no new ones (over a resource limit). */
        FULL,
        /** May be dead: takes no new clients; declared dead if it stays suspect. */
        SUSPECT;

        /** The worse of two verdicts. */
        public Verdict worst(Verdict other) {
            return other.ordinal() > ordinal() ? other : this;
        }
    }

    /** Judges one instance. */
    Verdict check(InstanceHealth instance);
}
