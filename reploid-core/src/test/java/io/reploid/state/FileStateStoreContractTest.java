package io.reploid.state;

import java.nio.file.Path;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.io.TempDir;

/** The store contract against {@link StateStores#file}, with fsync on and off. */
class FileStateStoreContractTest {
    @Nested
    class WithFsync extends StateStoreContract {
        @TempDir
        Path directory;

        @Override
        protected StateStore newStore() throws StoreException {
            return StateStores.file(directory);
        }
    }

    @Nested
    class WithoutFsync extends StateStoreContract {
        @TempDir
        Path directory;

        @Override
        protected StateStore newStore() throws StoreException {
            return StateStores.file(directory, false);
        }
    }
}
