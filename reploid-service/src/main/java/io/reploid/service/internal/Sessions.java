package io.reploid.service.internal;

import static java.util.Objects.requireNonNull;

import io.netty.buffer.ByteBufUtil;
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
     * The epoch under which each recently revoked client left (its pin moved elsewhere), so that a gateway
     * that has not learned the move yet cannot make this instance start the client over under the old pin.
     * The most recent 65,536; guarded by itself.
     */
    private final java.util.LinkedHashMap<String, Long> revoked = new java.util.LinkedHashMap<>(1024, 0.75f, false) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(java.util.Map.Entry<String, Long> eldest) {
            return size() > 65_536;
        }
    };

    private boolean revokedAt(String clientId, long epoch) {
        synchronized (revoked) {
            Long e = revoked.get(clientId);
            return e != null && epoch <= e;
        }
    }

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
        if (revokedAt(attach.clientId(), attach.epoch())) {
            log.debug("Ignored ATTACH of client {} at epoch {}: its pin moved on", attach.clientId(), attach.epoch());
            return;
        }
        Session<S> session = getOrCreate(attach.clientId(), attach.epoch());
        session.unexport(attach.epoch()); // a hand-over that was given up: it takes requests again
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
        if (detach.reason() == Frame.DetachReason.REVOKED) {
            synchronized (revoked) {
                revoked.merge(detach.clientId(), detach.epoch(), Math::max);
            }
        }
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
        if (revokedAt(clientId, epoch)) {
            answer(via, clientId, epoch, requestId, MOVED);
            return;
        }
        Session<S> session = getOrCreate(clientId, epoch);
        if (session.exported(epoch)) {
            answer(via, clientId, epoch, requestId, MOVED);
            return;
        }
        session.raiseEpoch(epoch);
        inFlight.acquire();
        session.mailbox().enqueue(() -> (session.exported(epoch)
                ? java.util.concurrent.CompletableFuture.completedFuture(MOVED)
                : calls.request(session, requestId, payload)).whenComplete((answer, failure) -> {
            inFlight.release();
            answer(via, clientId, epoch, requestId, answer != null ? answer
                    : Answer.error(ErrorCode.INTERNAL, String.valueOf(failure)));
        }));
    }

    private static final Answer MOVED = Answer.error(ErrorCode.INSTANCE_UNAVAILABLE,
            "the client is moving to another instance; retry the request");

    /**
     * EXPORT through {@code via}: refuses the client's new requests of {@code epoch} (or older), and once
     * the calls queued before it have run, answers EXPORTED with the client's record.
     */
    void export(Channel via, String clientId, long epoch) {
        Session<S> session = byId.get(clientId);
        if (session == null || session.epoch() > epoch) {
            via.writeAndFlush(new Frame.Exported(clientId, epoch, Frame.ExportStatus.NOT_HELD,
                    session == null ? 0 : session.version(), Unpooled.EMPTY_BUFFER));
            return;
        }
        if (calls.codec() == null) {
            via.writeAndFlush(new Frame.Exported(clientId, epoch, Frame.ExportStatus.NOT_EXPORTABLE, session.version(),
                    Unpooled.EMPTY_BUFFER));
            return;
        }
        session.exportAt(epoch);
        session.mailbox().enqueue(() -> calls.prepare(session, "export").handle((ready, failure) -> {
            byte[] data = null;
            Frame.ExportStatus status = Frame.ExportStatus.OK;
            if (failure != null || !Boolean.TRUE.equals(ready)) {
                status = Frame.ExportStatus.NOT_HELD;
            } else {
                try {
                    data = session.encodeRecord(calls.codec());
                } catch (Exception e) {
                    log.warn("Could not encode client {} for its hand-over", clientId, e);
                    status = Frame.ExportStatus.NOT_EXPORTABLE;
                }
            }
            if (status != Frame.ExportStatus.OK) {
                session.unexport(epoch);
            }
            via.writeAndFlush(new Frame.Exported(clientId, epoch, status, session.version(),
                    data == null ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(data)));
            return null;
        }));
    }

    /**
     * IMPORT: a record handed over by another instance. Replaces any older session of the client here; the
     * new session (under the new pin's epoch) restores from the record before its first call.
     */
    void importRecord(Frame.Import imp) {
        byte[] data = ByteBufUtil.getBytes(imp.payload());
        io.reploid.state.StoredRecord record = new io.reploid.state.StoredRecord(imp.clientId(), imp.epoch() - 1,
                imp.version(), data);
        Session<S>[] replaced = newArray(1);
        byId.compute(imp.clientId(), (id, cur) -> {
            if (cur != null && cur.epoch() >= imp.epoch()) {
                return cur; // a newer pin already reached here
            }
            replaced[0] = cur;
            Session<S> fresh = new Session<>(id, imp.epoch(), executor, dedupWindow, replicated);
            fresh.handoff(record);
            return fresh;
        });
        if (replaced[0] != null) {
            replaced[0].forgetAttachment();
            calls.durability().dropped(replaced[0]);
        }
        log.debug("Client {} handed over to this instance at epoch {} (record version {}, {} bytes)", imp.clientId(),
                imp.epoch(), imp.version(), data.length);
    }

    @SuppressWarnings("unchecked")
    private static <S> Session<S>[] newArray(int n) {
        return (Session<S>[]) new Session<?>[n];
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
