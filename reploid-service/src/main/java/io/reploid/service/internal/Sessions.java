package io.reploid.service.internal;

import static java.util.Objects.requireNonNull;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.reploid.ErrorCode;
import io.reploid.ReploidException;
import io.reploid.internal.protocol.Frame;
import io.reploid.service.ServiceHandler;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The clients this instance holds, and the dispatch of the gateways' ATTACH, DETACH and CLIENT_REQUEST
 * frames to the handler. The frames arrive on event loops; every handler call is queued on the client's
 * {@link Mailbox}, runs on the handler executor and goes through {@link ClientCalls}, which restores the
 * session first and makes its changes durable as the persistence mode requires.
 *
 * <p>Thread-safe.
 */
final class Sessions<S> {
    private static final Logger log = LoggerFactory.getLogger(Sessions.class);

    private final ServiceHandler<S> handler;
    private final Executor executor;
    private final InFlightLimit inFlight;
    private final int dedupWindow;
    private final boolean replicated;
    private final ClientCalls<S> calls;
    private final ConcurrentMap<String, Session<S>> byId = new ConcurrentHashMap<>();

    /**
     * @param durability  how records are kept
     * @param dedupWindow how many recent answers each client keeps
     */
    Sessions(ServiceHandler<S> handler, Executor executor, InFlightLimit inFlight, Durability durability,
            int dedupWindow) {
        this.handler = requireNonNull(handler, "handler");
        this.executor = requireNonNull(executor, "executor");
        this.inFlight = requireNonNull(inFlight, "inFlight");
        this.dedupWindow = dedupWindow;
        this.replicated = durability instanceof Replication;
        this.calls = new ClientCalls<>(handler, handler.stateCodec(), durability, executor, this::drop);
    }

    Sessions(ServiceHandler<S> handler, Executor executor, InFlightLimit inFlight) {
        this(handler, executor, inFlight, Durability.NONE, 1024);
    }

    /** Clients held. */
    int size() {
        return byId.size();
    }

    /** The session of a client, or {@code null}. */
    Session<S> get(String clientId) {
        return byId.get(clientId);
    }

    /** Every session, a snapshot. */
    List<Session<S>> all() {
        return List.copyOf(byId.values());
    }

    /** Every client held, with the epoch of its pin, for ANNOUNCE. */
    List<Frame.HeldClient> held() {
        return byId.values().stream().map(s -> new Frame.HeldClient(s.clientId(), s.epoch())).toList();
    }

    /** ATTACH through {@code via}: creates the session if needed, restores it and calls {@code onAttach}. */
    void attach(Channel via, Frame.Attach attach) {
        Session<S> session = getOrCreate(attach.clientId(), attach.epoch());
        session.raiseEpoch(attach.epoch());
        session.attach(via, attach.metadata());
        session.mailbox().enqueue(() -> {
            if (session.isFenced()) { // stale here: start over from the newer record
                drop(session);
                attach(via, attach);
                return null;
            }
            return calls.prepare(session, "onAttach").thenAccept(ready -> {
                if (ready) {
                    call("onAttach", session, () -> {
                        session.ensureState(handler);
                        handler.onAttach(session);
                    });
                }
            });
        });
    }

    /**
     * DETACH through {@code via}. DISCONNECTED calls {@code onDetach} when the client was attached through
     * {@code via} (not when it has attached through another gateway since) and keeps the state. REVOKED
     * drops the session after the work already queued for it, unless a newer pin has attached it again.
     */
    void detach(Channel via, Frame.Detach detach) {
        Session<S> session = byId.get(detach.clientId());
        if (session == null) {
            return;
        }
        if (detach.reason() == Frame.DetachReason.REVOKED) {
            session.mailbox().enqueue(() -> {
                if (session.epoch() <= detach.epoch() && byId.containsKey(session.clientId())) {
                    drop(session);
                    log.debug("Dropped client {}: its pin (epoch {}) moved", session.clientId(), detach.epoch());
                }
                return null;
            });
        } else if (session.detach(via)) {
            queueDetach(session);
        }
    }

    /** The connection {@code via} closed: every client attached through it is detached. */
    void detachAll(Channel via) {
        for (Session<S> session : byId.values()) {
            if (session.detach(via)) {
                queueDetach(session);
            }
        }
    }

    /**
     * CLIENT_REQUEST through {@code via}: queues the request on the client's mailbox and answers it on
     * {@code via} with CLIENT_RESPONSE or CLIENT_ERROR.
     *
     * @param payload the request's bytes, copied out of the frame (which the caller has released)
     */
    void request(Channel via, String clientId, long epoch, long requestId, byte[] payload) {
        Session<S> session = getOrCreate(clientId, epoch);
        session.raiseEpoch(epoch);
        inFlight.acquire();
        session.mailbox().enqueue(() -> calls.request(session, requestId, payload).whenComplete((answer, failure) -> {
            inFlight.release();
            answer(via, clientId, epoch, requestId, answer != null ? answer
                    : Answer.error(ErrorCode.INTERNAL, String.valueOf(failure)));
        }));
    }

    /** Forgets a session (its pin moved, or another instance owns the client), if it is still the client's. */
    void drop(Session<S> session) {
        if (byId.remove(session.clientId(), session)) {
            session.forgetAttachment();
            calls.durability().dropped(session);
        }
    }

    /**
     * Writes the answer to a request. The frame (and so the wrapped response array, which is never
     * modified) is released by the encoder, or by the channel when it is closed.
     */
    static void answer(Channel via, String clientId, long epoch, long requestId, Answer answer) {
        if (answer.isError()) {
            via.writeAndFlush(new Frame.ClientError(clientId, epoch, requestId, answer.code(), answer.message()));
        } else {
            via.writeAndFlush(new Frame.ClientResponse(clientId, epoch, requestId,
                    answer.response().length == 0 ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(answer.response())));
        }
    }

    /** Writes an error answer that did not go through the handler. */
    static void answer(Channel via, String clientId, long epoch, long requestId, ReploidException error) {
        answer(via, clientId, epoch, requestId, Answer.error(error.code(), error.getMessage()));
    }

    private Session<S> getOrCreate(String clientId, long epoch) {
        return byId.computeIfAbsent(clientId, id -> new Session<>(id, epoch, executor, dedupWindow, replicated));
    }

    private void queueDetach(Session<S> session) {
        session.mailbox().enqueue(() -> calls.prepare(session, "onDetach").thenAccept(ready -> {
            if (ready) {
                call("onDetach", session, () -> {
                    session.ensureState(handler);
                    handler.onDetach(session);
                });
            }
        }));
    }

    private static void call(String what, Session<?> session, HandlerCall call) {
        try {
            call.run();
        } catch (Throwable t) {
            log.warn("{} of client {} failed", what, session.clientId(), t);
        }
    }

    @FunctionalInterface
    private interface HandlerCall {
        void run() throws Exception;
    }
}
