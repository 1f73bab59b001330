package io.reploid.service.internal;

import static java.util.Objects.requireNonNull;

import io.reploid.state.StoredRecord;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Function;

/**
 * The records this instance holds as a replica holder for other instances' clients, in memory: one record
 * (the newest) per client whose replica set includes this instance, so memory is bounded by the number of
 * those clients times their record size. A record leaves when its primary sends REPLICA_DROP, when a new
 * primary of the client drops stale replicas after taking it over, or when this instance takes the client
 * over itself. (A replica of a client whose primary died and who never comes back stays until this
 * instance restarts.)
 *
 * <p>Fencing: a record is kept only if it is newer than the one held and than this instance's own session
 * of the client, if it has one; a record of a newer epoch than that session marks the session fenced.
 *
 * <p>Thread-safe: offered and dropped on peer event loops, read and taken in clients' mailboxes.
 */
final class Replicas {
    private final ConcurrentMap<String, StoredRecord> held = new ConcurrentHashMap<>();
    private final Function<String, Session<?>> sessions;

    /** @param sessions this instance's own session of a client, or {@code null} */
    Replicas(Function<String, Session<?>> sessions) {
        this.sessions = requireNonNull(sessions, "sessions");
    }

    /**
     * A primary sent a record.
     *
     * @return the epoch and version of what this instance holds for the client now: {@code record}'s if it
     *         was kept or already held, else a newer one's (a refusal); the returned data may be empty
     */
    StoredRecord offer(StoredRecord record) {
        Session<?> own = sessions.apply(record.clientId());
        if (own != null) {
            long epoch = own.epoch();
            if (epoch >= record.epoch()) {
                return new StoredRecord(record.clientId(), epoch, Math.max(own.version(), 0), new byte[0]);
            }
            own.fence(); // the client moved on from this instance
        }
        return held.merge(record.clientId(), record, (old, offered) -> offered.isNewerThan(old) ? offered : old);
    }

    /** The replica of a client, if held. */
    Optional<StoredRecord> get(String clientId) {
        return Optional.ofNullable(held.get(clientId));
    }

    /** Forgets {@code record} if it is still the client's replica: the client was restored from it. */
    void taken(StoredRecord record) {
        held.remove(record.clientId(), record);
    }

    /**
     * Forgets the replica of a client if its epoch is not newer than {@code epoch}, unless this instance
     * holds a session of the client under a newer epoch: it is taking the client over and may still have to
     * restore from the replica.
     */
    void drop(String clientId, long epoch) {
        Session<?> own = sessions.apply(clientId);
        if (own != null && own.epoch() > epoch) {
            return;
        }
        held.computeIfPresent(clientId, (id, r) -> r.epoch() <= epoch ? null : r);
    }

    /** Replicas held. */
    int size() {
        return held.size();
    }
}
