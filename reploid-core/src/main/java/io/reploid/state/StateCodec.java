package io.reploid.state;

import static java.util.Objects.requireNonNull;

/**
 * Turns a client's state into bytes and back, so that it can be persisted, replicated to peers and
 * moved to another instance. Implementations must be thread-safe and must round-trip:
 * {@code decode(encode(s))} equals {@code s} in every way the service relies on.
 *
 * @param <S> the state type
 */
public interface StateCodec<S> {

    /** Encodes a state. Must not return {@code null}. */
    byte[] encode(S state) throws Exception;

    /** Decodes bytes made by {@link #encode}. Throws when they are not a valid state. */
    S decode(byte[] bytes) throws Exception;

    /** A codec that writes the state as JSON with Jackson (fields, getters and records). */
    static <S> StateCodec<S> json(Class<S> type) {
        return new JsonStateCodec<>(requireNonNull(type, "type"));
    }
}
