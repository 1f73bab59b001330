package io.reploid.jdbc;

import java.util.regex.Pattern;

/**
 * The SQL of a {@link JdbcPinDirectory}: its three tables and every statement it runs, PostgreSQL dialect
 * (9.5 or later: {@code ON CONFLICT}, {@code make_interval}). Times are the database's ({@code now()}).
 * Immutable and thread-safe.
 */
final class DirectoryTables {
    static final String DEFAULT_PREFIX = "reploid_";
    /** The one lease there is: the cluster's leadership. */
    static final String LEADER = "leader";
    /** An optional schema, then the start of an unquoted identifier short enough for "gateways" after it. */
    private static final Pattern PREFIX = Pattern.compile(
            "([A-Za-z_][A-Za-z0-9_]{0,62}\\.)?([A-Za-z_][A-Za-z0-9_]{0,54})?");

    final String pins;
    final String gateways;
    final String leases;
    /** The key of the advisory lock that serialises table creation by gateways starting at once. */
    final long creationLock;

    final String createPins;
    final String createGateways;
    final String createLeases;
    final String checkPins;
    final String checkGateways;
    final String checkLeases;

    final String insertPin;
    final String movePin;
    final String selectPin;
    final String deletePin;

    final String heartbeat;
    final String roster;
    final String leave;

    final String acquireLease;
    final String releaseLease;

    DirectoryTables(String prefix) {
        pins = prefix + "pins";
        gateways = prefix + "gateways";
        leases = prefix + "leases";
        creationLock = ((long) "reploid-pin-directory".hashCode() << 32) | (prefix.hashCode() & 0xFFFF_FFFFL);

        createPins = "CREATE TABLE IF NOT EXISTS " + pins + " ("
                + "client_id text PRIMARY KEY, "
                + "instance_id text NOT NULL, "
                + "epoch bigint NOT NULL)";
        createGateways = "CREATE TABLE IF NOT EXISTS " + gateways + " ("
                + "gateway_id text PRIMARY KEY, "
                + "service_address text NOT NULL, "
                + "admin_address text NOT NULL, "
                + "last_seen timestamptz NOT NULL)";
        createLeases = "CREATE TABLE IF NOT EXISTS " + leases + " ("
                + "name text PRIMARY KEY, "
                + "holder text, "
                + "term bigint NOT NULL, "
                + "expires_at timestamptz NOT NULL)";
        checkPins = "SELECT client_id, instance_id, epoch FROM " + pins + " WHERE false";
        checkGateways = "SELECT gateway_id, service_address, admin_address, last_seen FROM " + gateways + " WHERE false";
        checkLeases = "SELECT name, holder, term, expires_at FROM " + leases + " WHERE false";

        // A first pin: exactly one of concurrent inserts returns a row, the others wait for it and get none.
        insertPin = "INSERT INTO " + pins + " (client_id, instance_id, epoch) VALUES (?, ?, ?) "
                + "ON CONFLICT (client_id) DO NOTHING RETURNING epoch";
        // A move: compare-and-set on the epoch; concurrent moves re-check the condition on the row that the
        // first one committed, so only one of them matches. Epochs keep growing whatever the proposal.
        movePin = "UPDATE " + pins + " SET instance_id = ?, epoch = GREATEST(?, epoch + 1) "
                + "WHERE client_id = ? AND epoch = ? RETURNING epoch";
        selectPin = "SELECT instance_id, epoch FROM " + pins + " WHERE client_id = ?";
        deletePin = "DELETE FROM " + pins + " WHERE client_id = ? AND instance_id = ? AND epoch = ?";

        heartbeat = "INSERT INTO " + gateways + " (gateway_id, service_address, admin_address, last_seen) "
                + "VALUES (?, ?, ?, now()) ON CONFLICT (gateway_id) DO UPDATE SET "
                + "service_address = EXCLUDED.service_address, admin_address = EXCLUDED.admin_address, "
                + "last_seen = EXCLUDED.last_seen";
        // Parameter: the liveness window in seconds.
        roster = "SELECT g.gateway_id, g.service_address, g.admin_address, "
                + "g.last_seen >= now() - make_interval(secs => ?) AS live, "
                + "COALESCE(l.holder = g.gateway_id AND l.expires_at >= now(), false) AS leader "
                + "FROM " + gateways + " g LEFT JOIN " + leases + " l ON l.name = '" + LEADER + "' "
                + "ORDER BY g.gateway_id";
        leave = "DELETE FROM " + gateways + " WHERE gateway_id = ?";

        // Parameters: holder, lease in seconds. Takes the lease only if it is free, expired or already ours;
        // the term grows whenever the lease changes hands or lapsed.
        acquireLease = "INSERT INTO " + leases + " AS l (name, holder, term, expires_at) "
                + "VALUES ('" + LEADER + "', ?, 1, now() + make_interval(secs => ?)) "
                + "ON CONFLICT (name) DO UPDATE SET holder = EXCLUDED.holder, "
                + "term = CASE WHEN l.holder = EXCLUDED.holder AND l.expires_at >= now() THEN l.term ELSE l.term + 1 END, "
                + "expires_at = EXCLUDED.expires_at "
                + "WHERE l.holder IS NULL OR l.holder = EXCLUDED.holder OR l.expires_at < now() "
                + "RETURNING term";
        releaseLease = "UPDATE " + leases + " SET holder = NULL, expires_at = now() "
                + "WHERE name = '" + LEADER + "' AND holder = ?";
    }

    /** Checks a prefix: empty, or the start of an unquoted SQL identifier, optionally after a schema. */
    static String checkPrefix(String prefix) {
        if (prefix == null || !PREFIX.matcher(prefix).matches()) {
            throw new IllegalArgumentException("tablePrefix: " + (prefix == null ? "null" : "'" + prefix + "'")
                    + " (expected: the start of an SQL identifier, at most 55 characters, such as reploid_ "
                    + "or myschema.reploid_)");
        }
        return prefix;
    }

    /** The table names, for messages. */
    @Override
    public String toString() {
        return pins + ", " + gateways + ", " + leases;
    }
}
