package io.reploid.service.internal;

import static java.util.Objects.requireNonNull;

import io.reploid.ErrorCode;
import io.reploid.ReploidException;
import io.reploid.service.ServiceHandler;
import io.reploid.state.FencedException;
import io.reploid.state.StateCodec;
import io.reploid.state.StoreException;
import io.reploid.state.StoredRecord;
import java.io.IOException;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a client's calls, from its mailbox, with the guarantees of the persistence mode:
 *
 * <ol>
 *   <li><b>Restore first.</b> Before the first call of a session, its record is loaded
 *       ({@link Durability#load}: a replica held here, else the store) and decoded; the session keeps its
 *       own (newer) epoch and continues the record's version. A record of a newer epoch means another
 *       instance owns the client. A record that cannot be decoded fails that client's calls, and only
 *       theirs, until it can.</li>
 *   <li><b>Retries are answered, not run.</b> A request whose id (and payload) is among the recent answers
 *       gets the recorded answer, once the record holding it is durable.</li>
 *   <li><b>Durable before new work.</b> When the newest record is not durable yet (a failed write, a
 *       restored record not yet claimed under this epoch), it is made durable before a new request runs;
 *       if that fails, the request fails (retriable) without running.</li>
 *   <li><b>Answers wait for durability.</b> A request's answer is recorded, the new record committed
 *       ({@link Durability#commit}) and the answer released when that completes. When it fails the answer
 *       stays recorded, and a retry of the request completes the commit and gets it.</li>
 * </ol>
 *
 * A handler failure with a retriable code is not recorded (nor committed): the handler says that running
 * the request again is safe, so it must not have changed the state.
 *
 * <p>Thread-safe; each method is called from the session's mailbox on a handler thread, and handler code
 * runs only on the executor, even when a commit completes on another thread.
 */
final class ClientCalls<S> {
    private static final Logger log = LoggerFactory.getLogger(ClientCalls.class);

    /** The retriable code of a state that is not yet durable. */
    static final ErrorCode NOT_DURABLE = ErrorCode.STORE_UNAVAILABLE;

    private final ServiceHandler<S> handler;
    private final StateCodec<S> codec;
    private final Durability durability;
    private final Executor executor;
    private final Consumer<Session<S>> drop;

    /**
     * @param codec the handler's codec, or {@code null} when the durability keeps no records
     * @param drop  forgets a session whose client another instance owns
     */
    ClientCalls(ServiceHandler<S> handler, StateCodec<S> codec, Durability durability, Executor executor,
            Consumer<Session<S>> drop) {
        this.handler = requireNonNull(handler, "handler");
        this.durability = requireNonNull(durability, "durability");
        if (durability.keepsRecords() && codec == null) {
            throw new IllegalArgumentException("persistence " + durability + " needs a StateCodec");
        }
        this.codec = codec;
        this.executor = requireNonNull(executor, "executor");
        this.drop = requireNonNull(drop, "drop");
    }

    Durability durability() {
        return durability;
    }

    /** The handler's state codec, or {@code null} when it has none. */
    StateCodec<S> codec() {
        return codec;
    }

    /**
     * Runs one request.
     *
     * @return the answer to send; never fails
     */
    CompletionStage<Answer> request(Session<S> session, long requestId, byte[] payload) {
        long fingerprint = RecentAnswers.fingerprint(payload);
        CompletionStage<Answer> answer;
        try {
            restore(session);
            Answer recorded = session.answers().find(requestId, fingerprint);
            if (recorded != null) {
                log.debug("Request {} of client {} is a retry: answering it from the recent answers", requestId,
                        session.clientId());
                answer = makeDurable(session).thenApply(v -> recorded);
            } else {
                answer = onHandlerThread(makeDurable(session), v -> run(session, requestId, fingerprint, payload));
            }
        } catch (Throwable t) {
            answer = CompletableFuture.failedFuture(t);
        }
        return answer.exceptionally(t -> failure(session, t));
    }

    /**
     * Prepares a session for a handler call other than a request (attach, detach): restores it and makes
     * a restored record durable under this instance's epoch. Failures are logged.
     *
     * @return completes on a handler thread with whether the handler may be called; {@code false} when the
     *         state could not be restored, or the session was dropped because another instance owns it
     */
    CompletionStage<Boolean> prepare(Session<S> session, String call) {
        CompletionStage<Boolean> ready;
        try {
            restore(session);
            ready = makeDurable(session).handle((v, failure) -> {
                if (failure != null) {
                    return handleFailure(session, call, failure);
                }
                return true;
            });
        } catch (Throwable t) {
            ready = CompletableFuture.completedFuture(handleFailure(session, call, t));
        }
        return onHandlerThread(ready, CompletableFuture::completedFuture);
    }

    private boolean handleFailure(Session<S> session, String call, Throwable failure) {
        Throwable t = unwrap(failure);
        if (t instanceof FencedException || session.isFenced()) {
            failure(session, t);
            return false;
        }
        if (t instanceof StoreException) { // the state is there, only not durable yet: the next request retries
            log.debug("{} of client {}: the state is not durable yet: {}", call, session.clientId(), t.getMessage());
            return session.isRestored();
        }
        log.warn("{} of client {} skipped: {}", call, session.clientId(), t.getMessage());
        return false;
    }

    /** Restores the session before its first call. */
    private void restore(Session<S> session) throws Exception {
        if (session.isFenced()) { // failure() drops it
            throw new IllegalStateException("another instance wrote a newer record of client " + session.clientId());
        }
        if (session.isRestored()) {
            return;
        }
        StoredRecord handoff = session.takeHandoff();
        if (handoff == null && !durability.keepsRecords()) {
            session.markRestored();
            return;
        }
        if (handoff != null && codec == null) {
            throw new UnreadableState("client " + session.clientId() + " was handed over from another instance, "
                    + "but this handler has no StateCodec to read its state", null);
        }
        Optional<StoredRecord> found = handoff != null ? Optional.of(handoff) : durability.load(session);
        if (found.isEmpty()) {
            session.markRestored();
            return;
        }
        StoredRecord record = found.get();
        if (record.epoch() > session.epoch()) {
            throw new FencedException(session.clientId(), record.epoch(), record.version(), session.epoch(),
                    session.version());
        }
        ClientRecord decoded;
        S state = null;
        try {
            decoded = ClientRecord.decode(record.data());
            if (decoded.state() != null) {
                state = codec.decode(decoded.state());
            }
        } catch (Exception e) {
            throw new UnreadableState("the state of client " + session.clientId() + " could not be decoded ("
                    + record + "): " + e, e);
        }
        session.restore(state, decoded.state() != null, decoded.answers(), record.version());
        durability.restored(session, record);
        if (record.epoch() < session.epoch()) {
            // Claim the client under this epoch: the next commit fences the previous owner out of the store
            // and copies the record to this instance's replica holders.
            session.setDurable(false);
        }
        log.debug("Restored client {} at epoch {} from {}", session.clientId(), session.epoch(), record);
    }

    private CompletionStage<Answer> run(Session<S> session, long requestId, long fingerprint, byte[] payload) {
        CompletionStage<byte[]> stage;
        try {
            session.ensureState(handler);
            stage = requireNonNull(handler.onRequestAsync(session, payload), "onRequestAsync returned null");
        } catch (Throwable t) {
            stage = CompletableFuture.failedFuture(t);
        }
        CompletionStage<Answer> answered = stage.handle((response, failure) ->
                failure == null ? Answer.response(response) : handlerError(failure));
        return onHandlerThread(answered, answer -> {
            if (answer.isError() && answer.code().retriable()) {
                return CompletableFuture.completedFuture(answer);
            }
            session.answers().put(requestId, fingerprint, answer);
            return commit(session).thenApply(v -> answer);
        });
    }

    /** Makes the newest record durable if it is not yet. */
    private CompletionStage<Void> makeDurable(Session<S> session) {
        return session.isDurable() ? Durability.DONE : commit(session);
    }

    /** Encodes the session's newest record under a new version and commits it. */
    private CompletionStage<Void> commit(Session<S> session) {
        if (!durability.keepsRecords()) {
            return Durability.DONE;
        }
        session.setDurable(false);
        byte[] data;
        try {
            data = session.encodeRecord(codec);
        } catch (Throwable t) {
            return CompletableFuture.failedFuture(new UnreadableState("the state of client " + session.clientId()
                    + " could not be encoded: " + t, t));
        }
        // A new version for every attempt: a write that failed but landed never fences its own retry.
        StoredRecord record = new StoredRecord(session.clientId(), session.epoch(), session.nextVersion(), data);
        CompletionStage<Void> committed;
        try {
            committed = requireNonNull(durability.commit(session, record), "commit returned null");
        } catch (RuntimeException e) {
            committed = CompletableFuture.failedFuture(e);
        }
        return committed.thenRun(() -> {
            if (session.version() == record.version()) {
                session.setDurable(true);
            }
        });
    }

    /** The answer to a request that could not be answered normally. */
    private Answer failure(Session<S> session, Throwable failure) {
        Throwable t = unwrap(failure);
        if (t instanceof FencedException || session.isFenced()) {
            session.fence();
            drop.accept(session);
            log.info("Dropped client {}: another instance owns it ({})", session.clientId(), t.getMessage());
            return Answer.error(ErrorCode.INSTANCE_UNAVAILABLE, "client " + session.clientId()
                    + " is owned by another instance under a newer epoch; retry");
        }
        if (t instanceof StoreException) {
            log.debug("The state of client {} is not durable: {}", session.clientId(), t.getMessage());
            return Answer.error(NOT_DURABLE, "the state of client " + session.clientId()
                    + " could not be made durable (" + t.getMessage() + "); retry the request");
        }
        if (t instanceof UnreadableState) {
            log.warn(t.getMessage());
            return Answer.error(ErrorCode.HANDLER_ERROR, t.getMessage());
        }
        if (t instanceof ReploidException re) {
            return Answer.error(re.code(), re.getMessage());
        }
        log.warn("A call of client {} failed", session.clientId(), t);
        return Answer.error(ErrorCode.INTERNAL, t.toString());
    }

    /** The handler's failure: the code of a ReploidException, else HANDLER_ERROR. */
    private static Answer handlerError(Throwable failure) {
        Throwable t = unwrap(failure);
        log.debug("A handler call failed", t);
        return t instanceof ReploidException re ? Answer.error(re.code(), re.getMessage())
                : Answer.error(ErrorCode.HANDLER_ERROR, t.toString());
    }

    /** Continues on a handler thread: at once when {@code stage} is complete, else on the executor. */
    private <T, U> CompletionStage<U> onHandlerThread(CompletionStage<T> stage,
            Function<? super T, ? extends CompletionStage<U>> next) {
        CompletableFuture<T> f = stage.toCompletableFuture();
        return f.isDone() ? f.thenCompose(next) : f.thenComposeAsync(next, executor);
    }

    static Throwable unwrap(Throwable t) {
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    /** A client's record could not be decoded, or its state encoded: that client's calls fail. */
    static final class UnreadableState extends IOException {
        private static final long serialVersionUID = 1L;

        UnreadableState(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
