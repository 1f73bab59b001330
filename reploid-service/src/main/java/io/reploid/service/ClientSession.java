package io.reploid.service;

import java.util.Map;

/**
 * One client pinned to this instance, with its state. The runtime keeps a session from the client's
 * first visit until its pin moves to another instance, across disconnections.
 *
 * <p>Thread-safe. {@link #state()} and {@link #setState} are safe without further locking from the
 * client's own handler calls, which never overlap; from other threads they are visible but not atomic.
 *
 * @param <S> the type of the client's state
 */
public interface ClientSession<S> {

    /** The client's id. */
    String clientId();

    /** The metadata of the client's latest hello; empty before its first attach. */
    Map<String, String> metadata();

    /** The epoch of the client's pin to this instance: the largest the gateways have sent. */
    long epoch();

    /** The client's state, as created by {@link ServiceHandler#newState} or set by {@link #setState}. */
    S state();

    /** Replaces the client's state. */
    void setState(S state);

    /**
     * Sends a message to the client through the gateway it is connected to. Callable from any thread at
     * any time. The array is sent without copying and must not be changed afterwards.
     *
     * @return {@code false} when the client is not connected, and the message was dropped
     */
    boolean push(byte[] message);

    /** Whether the client is connected to a gateway that this instance is connected to. */
    boolean isAttached();
}
