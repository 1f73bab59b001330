package io.reploid.state;

import static java.util.Objects.requireNonNull;

/**
 * One client's durable record: the encoded state (and the recent answers that make retries exactly-once,
 * as the service runtime lays them out in {@code data}), fenced by the epoch of the pin that wrote it.
 *
 * <p>Ordering: record {@code a} is newer than {@code b} when {@code a.epoch > b.epoch}, or the epochs are
 * equal and {@code a.version > b.version}. A store accepts a write only if it is newer than what it holds,
 * so an instance that lost its pin (an older epoch) can never overwrite the new owner's state.
 *
 * <p>Immutable and thread-safe; {@code data} must not be modified after construction.
 *
 * @param clientId the client
 * @param epoch    the epoch of the pin under which the record was written
 * @param version  increases with every write under one epoch
 * @param data     the opaque record bytes
 */
public record StoredRecord(String clientId, long epoch, long version, byte[] data) {

    public StoredRecord {
        requireNonNull(clientId, "clientId");
        requireNonNull(data, "data");
    }

    /** Whether this record may replace {@code other} (is strictly newer). */
    public boolean isNewerThan(StoredRecord other) {
        return other == null || epoch > other.epoch || (epoch == other.epoch && version > other.version);
    }

    @Override
    public String toString() {
        return "StoredRecord{" + clientId + ", epoch=" + epoch + ", version=" + version + ", " + data.length + " bytes}";
    }
}
