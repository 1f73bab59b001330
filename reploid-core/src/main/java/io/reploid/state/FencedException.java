package io.reploid.state;

/**
 * A write was refused because the store holds a record that is as new or newer: another instance owns
 * the client under a later epoch. The writer must drop its copy of the client. Immutable and thread-safe.
 */
public final class FencedException extends StoreException {
    private static final long serialVersionUID = 1L;

    private final long storedEpoch;
    private final long storedVersion;

    public FencedException(String clientId, long storedEpoch, long storedVersion, long epoch, long version) {
        super("write of client '" + clientId + "' at epoch " + epoch + " version " + version
                + " refused: the store holds epoch " + storedEpoch + " version " + storedVersion);
        this.storedEpoch = storedEpoch;
        this.storedVersion = storedVersion;
    }

    public long storedEpoch() {
        return storedEpoch;
    }

    public long storedVersion() {
        return storedVersion;
    }
}
