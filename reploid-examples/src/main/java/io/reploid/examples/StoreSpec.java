package io.reploid.examples;

import static java.util.Objects.requireNonNull;

import io.reploid.jdbc.JdbcStateStore;
import io.reploid.state.StateStore;
import io.reploid.state.StateStores;
import io.reploid.state.StoreException;
import java.nio.file.Path;

/**
 * The {@code --store} option of {@code service}: where clients' records are kept.
 *
 * <ul>
 *   <li>{@code memory}: this process's heap ({@link StateStores#memory()}): survives nothing, and no other
 *       instance can read it;
 *   <li>{@code file:DIR}: files in {@code DIR} ({@link StateStores#file(Path)}), one process per directory;
 *   <li>{@code jdbc:URL}: the PostgreSQL database at that JDBC URL ({@link JdbcStateStore}), shared by
 *       instances on any machine, for example
 *       {@code jdbc:postgresql://127.0.0.1:5432/app?user=app&password=secret}.
 * </ul>
 *
 * <p>Stateless and thread-safe.
 */
final class StoreSpec {
    static final String FORMS = "memory, file:DIR or a JDBC URL such as "
            + "jdbc:postgresql://127.0.0.1:5432/app?user=app&password=secret";

    private StoreSpec() {
    }

    /**
     * Opens the store a spec names; the caller closes it.
     *
     * @throws IllegalArgumentException when the spec is none of the accepted forms
     * @throws IllegalStateException    when the store cannot be opened (directory in use, database unreachable)
     */
    static StateStore open(String spec) {
        requireNonNull(spec, "spec");
        String s = spec.strip();
        try {
            if (s.equals("memory")) {
                return StateStores.memory();
            }
            if (s.startsWith("file:") && s.length() > 5) {
                return StateStores.file(Path.of(s.substring(5)));
            }
            if (s.startsWith("jdbc:")) {
                return JdbcStateStore.builder(s).build();
            }
        } catch (StoreException e) {
            throw new IllegalStateException("store: cannot open: " + e.getMessage(), e);
        }
        throw new IllegalArgumentException("store: '" + spec + "' (expected: " + FORMS + ")");
    }
}
