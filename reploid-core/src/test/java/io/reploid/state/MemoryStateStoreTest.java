package io.reploid.state;

/** The store contract against {@link StateStores#memory()}. */
class MemoryStateStoreTest extends StateStoreContract {
    @Override
    protected StateStore newStore() {
        return StateStores.memory();
    }
}
