package io.reploid.jdbc;

import io.reploid.state.StateStore;
import io.reploid.state.StateStoreContract;

/** The store contract against {@link JdbcStateStore} on a real PostgreSQL server, a new table per test. */
class JdbcStateStoreContractTest extends StateStoreContract {
    @Override
    protected StateStore newStore() throws Exception {
        PostgresServer server = SharedPostgres.server();
        return JdbcStateStore.builder(server.jdbcUrl()).user(PostgresServer.USER).table(SharedPostgres.newTable()).build();
    }
}
