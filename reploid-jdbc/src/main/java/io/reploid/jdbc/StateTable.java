package io.reploid.jdbc;

import java.util.regex.Pattern;

/**
 * The SQL of the state table: its schema and the statements of the store, PostgreSQL dialect (9.5 or
 * later, for {@code ON CONFLICT}).
 */
final class StateTable {
    static final String DEFAULT_NAME = "reploid_state";
    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,62}(\\.[A-Za-z_][A-Za-z0-9_]{0,62})?");

    final String name;
    final String create;
    final String check;
    final String load;
    final String stamp;
    final String upsert;
    final String delete;

    StateTable(String name) {
        this.name = name;
        create = "CREATE TABLE IF NOT EXISTS " + name + " ("
                + "client_id text PRIMARY KEY, "
                + "epoch bigint NOT NULL, "
                + "version bigint NOT NULL, "
                + "data bytea NOT NULL, "
                + "updated_at timestamptz NOT NULL DEFAULT now())";
        check = "SELECT client_id, epoch, version, data, updated_at FROM " + name + " WHERE 1 = 0";
        load = "SELECT epoch, version, data FROM " + name + " WHERE client_id = ?";
        stamp = "SELECT epoch, version FROM " + name + " WHERE client_id = ?";
        // One statement: insert, or update only a strictly older row (the row is locked while the
        // condition is checked, so concurrent writers of one version have exactly one winner).
        upsert = "INSERT INTO " + name + " AS cur (client_id, epoch, version, data) VALUES (?, ?, ?, ?) "
                + "ON CONFLICT (client_id) DO UPDATE SET epoch = EXCLUDED.epoch, version = EXCLUDED.version, "
                + "data = EXCLUDED.data, updated_at = now() "
                + "WHERE cur.epoch < EXCLUDED.epoch OR (cur.epoch = EXCLUDED.epoch AND cur.version < EXCLUDED.version)";
        delete = "DELETE FROM " + name + " WHERE client_id = ? AND epoch <= ?";
    }

    /** Checks a table name: an unquoted SQL identifier, optionally qualified by a schema. */
    static String checkName(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("table: " + (name == null ? "null" : "'" + name + "'")
                    + " (expected: an SQL identifier such as reploid_state or myschema.reploid_state)");
        }
        return name;
    }
}
