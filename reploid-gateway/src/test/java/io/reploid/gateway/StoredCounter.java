package io.reploid.gateway;

import io.reploid.state.StateStore;
import io.reploid.state.StoreException;
import io.reploid.state.StoredRecord;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The counter of a {@link CounterHandler} client as its record in a store holds it. The record's data is
 * laid out as the service runtime documents it (format byte 1, the state's length, the state's bytes, then
 * the recent answers); the state is {@code {"value":N}}. Stateless.
 */
final class StoredCounter {
    private static final Pattern VALUE = Pattern.compile("\"value\":(\\d+)");

    private StoredCounter() {
    }

    /** The stored counter of a client: 0 when there is no record, or the record has no state yet. */
    static long value(StateStore store, String clientId) {
        Optional<StoredRecord> r;
        try {
            r = store.load(clientId);
        } catch (StoreException e) {
            throw new IllegalStateException("cannot read the record of " + clientId, e);
        }
        return r.isEmpty() ? 0 : value(r.get());
    }

    static long value(StoredRecord record) {
        ByteBuffer data = ByteBuffer.wrap(record.data());
        if (data.get() != 1) {
            throw new IllegalStateException("unknown record format in " + record);
        }
        int length = data.getInt();
        if (length < 0) {
            return 0;
        }
        String state = new String(record.data(), data.position(), length, StandardCharsets.UTF_8);
        Matcher m = VALUE.matcher(state);
        if (!m.find()) {
            throw new IllegalStateException("no counter in state " + state);
        }
        return Long.parseLong(m.group(1));
    }
}
