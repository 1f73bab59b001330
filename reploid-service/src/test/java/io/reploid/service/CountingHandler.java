package io.reploid.service;

import io.reploid.state.StateCodec;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A handler for the persistence tests. A client's state is one counter; {@code inc} adds one and answers
 * the new value, {@code get} answers it, {@code fail} throws (a non-retriable failure). Counts the
 * requests each client's handler actually ran, and the attaches, so tests can tell a recorded answer from
 * a new run. The codec writes the counter as 4 bytes and refuses anything else. Thread-safe.
 */
final class CountingHandler implements ServiceHandler<int[]> {
    static final StateCodec<int[]> CODEC = new StateCodec<>() {
        @Override
        public byte[] encode(int[] state) {
            return ByteBuffer.allocate(4).putInt(state[0]).array();
        }

        @Override
        public int[] decode(byte[] bytes) throws IOException {
            if (bytes.length != 4) {
                throw new IOException("expected 4 bytes, got " + bytes.length);
            }
            return new int[] {ByteBuffer.wrap(bytes).getInt()};
        }
    };

    private final Map<String, AtomicInteger> runs = new ConcurrentHashMap<>();
    final Map<String, Integer> attachedWith = new ConcurrentHashMap<>();

    @Override
    public int[] newState(ClientSession<int[]> session) {
        return new int[1];
    }

    @Override
    public byte[] onRequest(ClientSession<int[]> session, byte[] request) {
        runs.computeIfAbsent(session.clientId(), c -> new AtomicInteger()).incrementAndGet();
        String text = new String(request, StandardCharsets.UTF_8);
        return switch (text) {
            case "inc" -> bytes(++session.state()[0]);
            case "get" -> bytes(session.state()[0]);
            case "fail" -> throw new IllegalStateException("failed on purpose");
            default -> throw new IllegalArgumentException("unknown request " + text);
        };
    }

    @Override
    public void onAttach(ClientSession<int[]> session) {
        attachedWith.put(session.clientId(), session.state()[0]);
    }

    @Override
    public StateCodec<int[]> stateCodec() {
        return CODEC;
    }

    /** How many requests of {@code clientId} the handler ran. */
    int runs(String clientId) {
        AtomicInteger n = runs.get(clientId);
        return n == null ? 0 : n.get();
    }

    private static byte[] bytes(int n) {
        return Integer.toString(n).getBytes(StandardCharsets.UTF_8);
    }
}
