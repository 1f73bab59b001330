package io.reploid.jdbc;

import io.reploid.directory.ClaimOutcome;
import io.reploid.directory.DirectoryPin;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

/**
 * The pins table, one statement at a time in autocommit mode: no transaction holds a lock longer than one
 * statement. Stateless; the connection is the caller's.
 */
final class PinRows {
    private final DirectoryTables tables;

    PinRows(DirectoryTables tables) {
        this.tables = tables;
    }

    /**
     * A compare-and-set of a client's pin. With {@code expectedEpoch == 0}, inserts the pin unless the client
     * has one; otherwise moves the client if its pin still has {@code expectedEpoch}, to the proposed
     * instance with the larger of the proposed epoch and the old one plus one. When that changes no row, the
     * pin in force is read: the claim lost to it, or, if the client has none (removed meanwhile), the claim is
     * made once more as a first pin.
     */
    ClaimOutcome claim(Connection c, String clientId, DirectoryPin proposed, long expectedEpoch) throws SQLException {
        boolean first = expectedEpoch == 0;
        for (int attempt = 0; attempt < 2; attempt++) {
            if (first) {
                if (insert(c, clientId, proposed)) {
                    return ClaimOutcome.won(proposed);
                }
            } else {
                long epoch = move(c, clientId, proposed, expectedEpoch);
                if (epoch > 0) {
                    return ClaimOutcome.won(new DirectoryPin(proposed.instanceId(), epoch));
                }
            }
            Optional<DirectoryPin> current = lookup(c, clientId);
            if (current.isPresent()) {
                return ClaimOutcome.lost(current.get());
            }
            first = true;
        }
        return ClaimOutcome.lost(null); // inserted and removed by others between our statements, twice
    }

    Optional<DirectoryPin> lookup(Connection c, String clientId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(tables.selectPin)) {
            ps.setString(1, clientId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(new DirectoryPin(rs.getString(1), rs.getLong(2))) : Optional.empty();
            }
        }
    }

    /** Deletes the client's pin if it is still {@code pin}; whether it did. */
    boolean remove(Connection c, String clientId, DirectoryPin pin) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(tables.deletePin)) {
            ps.setString(1, clientId);
            ps.setString(2, pin.instanceId());
            ps.setLong(3, pin.epoch());
            return ps.executeUpdate() > 0;
        }
    }

    private boolean insert(Connection c, String clientId, DirectoryPin pin) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(tables.insertPin)) {
            ps.setString(1, clientId);
            ps.setString(2, pin.instanceId());
            ps.setLong(3, pin.epoch());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    /** The new epoch, or 0 when the client's pin does not have {@code expectedEpoch} (or there is none). */
    private long move(Connection c, String clientId, DirectoryPin pin, long expectedEpoch) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(tables.movePin)) {
            ps.setString(1, pin.instanceId());
            ps.setLong(2, pin.epoch());
            ps.setString(3, clientId);
            ps.setLong(4, expectedEpoch);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0;
            }
        }
    }
}
