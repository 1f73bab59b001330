package io.reploid.service;

import java.nio.ByteBuffer;

/**
 * Reads and writes client records in the documented layout (format 1: {@code u8 format}, {@code i32
 * stateLength}, the state, {@code i32 answerCount}, the answers), independently of the runtime's code.
 */
final class StoredState {
    private StoredState() {
    }

    /** The counter of {@link CountingHandler} in a record. */
    static int counter(byte[] record) {
        ByteBuffer in = ByteBuffer.wrap(record);
        if (in.get() != 1) {
            throw new AssertionError("record format " + record[0]);
        }
        int length = in.getInt();
        if (length != 4) {
            throw new AssertionError("state of " + length + " bytes");
        }
        return in.getInt();
    }

    /** A record (format 1) holding {@code state} and no answers. */
    static byte[] record(byte[] state) {
        return ByteBuffer.allocate(9 + state.length).put((byte) 1).putInt(state.length).put(state).putInt(0).array();
    }
}
