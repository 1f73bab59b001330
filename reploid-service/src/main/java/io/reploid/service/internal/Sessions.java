package io.reploid.service.internal;

import static java.util.Objects.requireNonNull;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.reploid.ErrorCode;
import io.reploid.ReploidException;
import io.reploid.internal.protocol.Frame;
import io.reploid.service.ServiceHandler;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The clients this instance holds, and the dispatch of the gateways' ATTACH, DETACH and CLIENT_REQUEST
 * frames to the handler. The frames arrive on event loops; every handler call is queued on the client's
 * {@link Mailbox} and runs on the handler executor.
 *
 * <p>Thread-safe.
 */
final class Sessions<S> {
    private static final Logger log = LoggerFactory.getLogger(Sessions.class);

    private final ServiceHandler<S> handler;
    private final Executor executor;
    private final InFlightLimit inFlight;
    private final ConcurrentMap<String, Session<S>> byId = new ConcurrentHashMap<>();

    Sessions(ServiceHandler<S> handler, Executor executor, InFlightLimit inFlight) {
        this.handler = requireNonNull(handler, "handler");
        this.executor = requireNonNull(executor, "executor");
        this.inFlight = requireNonNull(inFlight, "inFlight");
    }

    /** Clients held. */
    int size() {
        return byId.size();
    }

    /** Every client held, with the epoch of its pin, for ANNOUNCE. */
    List<Frame.HeldClient> held() {
        return byId.values().stream().map(s -> new Frame.HeldClient(s.clientId(), s.epoch())).toList();
    }

    /** ATTACH through {@code via}: creates the session if needed and calls {@code onAttach}. */
    void attach(Channel via, Frame.Attach attach) {
        Session<S> session = getOrCreate(attach.clientId(), attach.epoch());
        session.raiseEpoch(attach.epoch());
        session.attach(via, attach.metadata());
        session.mailbox().enqueue(() -> {
            call("onAttach", session, () -> {
                session.ensureState(handler);
                handler.onAttach(session);
            });
            return null;
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
                if (session.epoch() <= detach.epoch() && byId.remove(session.clientId(), session)) {
                    session.forgetAttachment();
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
        session.mailbox().enqueue(() -> {
            CompletionStage<byte[]> stage;
            try {
                session.ensureState(handler);
                stage = requireNonNull(handler.onRequestAsync(session, payload), "onRequestAsync returned null");
            } catch (Throwable t) {
                stage = CompletableFuture.failedFuture(t);
            }
            return stage.whenComplete((response, failure) -> {
                inFlight.release();
                answer(via, clientId, epoch, requestId, response, failure);
            });
        });
    }

    /**
     * Writes the answer to a request. The frame (and so the wrapped response array) is released by the
     * encoder, or by the channel when it is closed.
     */
    static void answer(Channel via, String clientId, long epoch, long requestId, byte[] response, Throwable failure) {
        if (failure == null) {
            via.writeAndFlush(new Frame.ClientResponse(clientId, epoch, requestId,
                    response == null ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(response)));
            return;
        }
        Throwable cause = unwrap(failure);
        log.debug("Request {} of client {} failed", requestId, clientId, cause);
        ErrorCode code = cause instanceof ReploidException re ? re.code() : ErrorCode.HANDLER_ERROR;
        via.writeAndFlush(new Frame.ClientError(clientId, epoch, requestId, code, describe(cause)));
    }

    private Session<S> getOrCreate(String clientId, long epoch) {
        return byId.computeIfAbsent(clientId, id -> new Session<>(id, epoch, executor));
    }

    private void queueDetach(Session<S> session) {
        session.mailbox().enqueue(() -> {
            call("onDetach", session, () -> {
                session.ensureState(handler);
                handler.onDetach(session);
            });
            return null;
        });
    }

    private static void call(String what, Session<?> session, HandlerCall call) {
        try {
            call.run();
        } catch (Throwable t) {
            log.warn("{} of client {} failed", what, session.clientId(), t);
        }
    }

    private static Throwable unwrap(Throwable t) {
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    /** The exception's class and message; a ReploidException's message already names its code. */
    private static String describe(Throwable t) {
        return t instanceof ReploidException ? t.getMessage() : t.toString();
    }

    @FunctionalInterface
    private interface HandlerCall {
        void run() throws Exception;
    }
}
