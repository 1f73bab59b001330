package io.reploid.service.internal;

import static java.util.Objects.requireNonNull;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.reploid.internal.protocol.Frame;
import io.reploid.service.ClientSession;
import io.reploid.service.ServiceHandler;
import io.reploid.state.StateCodec;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A client held by this instance: its state, the epoch of its pin, the gateway connection it is
 * attached through, the {@link Mailbox} that serializes the handler's calls for it, and what durability
 * needs: its recent answers, the version of its newest record and whether that record is durable.
 *
 * <p>Thread-safe. The state, the answers and the restore are changed only from the mailbox, which runs
 * one task at a time; the attachment and epoch change on event loops and are read from any thread; the
 * version is written in the mailbox and read by peers' threads; {@link #fence} may be called from any
 * thread.
 */
final class Session<S> implements ClientSession<S> {
    private final String clientId;
    private final Mailbox mailbox;
    private final AtomicLong epoch;
    private final AtomicReference<Channel> attachedVia = new AtomicReference<>();
    private final RecentAnswers answers;
    private final ReplicaSet replicaSet;
    private volatile Map<String, String> metadata = Map.of();
    private volatile S state;
    private volatile boolean hasState;
    private volatile long version;
    private volatile boolean durable = true;
    private volatile boolean fenced;
    private boolean restored; // mailbox
    /** Requests of this epoch or older are refused: the client's record was handed to another instance. */
    private volatile long exportedEpoch;
    /** A record handed over by another instance (IMPORT), restored before anything else. */
    private volatile io.reploid.state.StoredRecord handoff;

    /**
     * @param dedupWindow how many recent answers to keep
     * @param replicated  whether the session's records are replicated to peers (it then has a {@link ReplicaSet})
     */
    Session(String clientId, long epoch, Executor executor, int dedupWindow, boolean replicated) {
        this.clientId = requireNonNull(clientId, "clientId");
        this.epoch = new AtomicLong(epoch);
        this.mailbox = new Mailbox(executor, "client " + clientId);
        this.answers = new RecentAnswers(dedupWindow);
        this.replicaSet = replicated ? new ReplicaSet() : null;
    }

    Session(String clientId, long epoch, Executor executor) {
        this(clientId, epoch, executor, 1, false);
    }

    Mailbox mailbox() {
        return mailbox;
    }

    /** The client's recent answers. Mailbox only. */
    RecentAnswers answers() {
        return answers;
    }

    /** The replication state, or {@code null} unless records are replicated. */
    ReplicaSet replicaSet() {
        return replicaSet;
    }

    /** The version of the newest record made (0: none yet). */
    long version() {
        return version;
    }

    /** Takes the version of a new record. Mailbox only. */
    long nextVersion() {
        return ++version;
    }

    /** Whether the newest record is known to be as durable as the persistence mode requires. */
    boolean isDurable() {
        return durable;
    }

    void setDurable(boolean durable) {
        this.durable = durable;
    }

    /** Refuses requests of {@code epoch} or older from now on: the record is being handed over. */
    void exportAt(long epoch) {
        exportedEpoch = Math.max(exportedEpoch, epoch);
    }

    /** Takes requests again (the hand-over was given up and the client attached again under {@code epoch}). */
    void unexport(long epoch) {
        if (exportedEpoch <= epoch) {
            exportedEpoch = 0;
        }
    }

    /** Whether requests of {@code epoch} are refused because the record was handed over. */
    boolean exported(long epoch) {
        long e = exportedEpoch;
        return e != 0 && epoch <= e;
    }

    void handoff(io.reploid.state.StoredRecord record) {
        this.handoff = record;
    }

    /** The handed-over record, once. Mailbox only. */
    io.reploid.state.StoredRecord takeHandoff() {
        io.reploid.state.StoredRecord r = handoff;
        handoff = null;
        return r;
    }

    /** Whether the session was restored (or found nothing to restore). Mailbox only. */
    boolean isRestored() {
        return restored;
    }

    /** Nothing to restore: the state comes from {@code newState}. Mailbox only. */
    void markRestored() {
        restored = true;
    }

    /**
     * Restores the state and answers of a record of {@code recordVersion}; the next record continues the
     * version. Mailbox only.
     *
     * @param hasState whether the record held a state ({@code newState} runs otherwise)
     */
    void restore(S restoredState, boolean hasState, List<RecentAnswers.Entry> restoredAnswers,
            long recordVersion) {
        this.state = restoredState;
        this.hasState = hasState;
        answers.replaceAll(restoredAnswers);
        version = Math.max(version, recordVersion);
        restored = true;
    }

    /** The bytes of the session's newest record ({@link ClientRecord}). Mailbox only. */
    byte[] encodeRecord(StateCodec<S> codec) throws Exception {
        S s = state;
        byte[] stateBytes = hasState && s != null ? requireNonNull(codec.encode(s), "StateCodec.encode returned null") : null;
        return ClientRecord.encode(stateBytes, answers.entries());
    }

    /**
     * Another instance wrote a newer record of the client than this session's own: the state held here is
     * stale, whatever epoch the session has since, and its next call drops it (a later visit restores the
     * newer record).
     */
    void fence() {
        fenced = true;
    }

    /** Whether another instance owns the client; the session must be dropped. */
    boolean isFenced() {
        return fenced;
    }

    /** Creates the state if there is none yet. Called only from this session's mailbox. */
    void ensureState(ServiceHandler<S> handler) throws Exception {
        if (!hasState) {
            setState(handler.newState(this));
        }
    }

    /** Raises the epoch to {@code newEpoch} if that is larger. */
    void raiseEpoch(long newEpoch) {
        epoch.accumulateAndGet(newEpoch, Math::max);
    }

    /** Records a gateway's ATTACH: the client is reachable through {@code via}. */
    void attach(Channel via, Map<String, String> helloMetadata) {
        metadata = requireNonNull(helloMetadata, "helloMetadata");
        attachedVia.set(via);
    }

    /**
     * Records that the client is no longer reachable through {@code via}.
     *
     * @return whether the client was attached through {@code via} (and is now not attached)
     */
    boolean detach(Channel via) {
        return attachedVia.compareAndSet(via, null);
    }

    /** Forgets the attachment, whichever connection it was through. */
    void forgetAttachment() {
        attachedVia.set(null);
    }

    @Override
    public String clientId() {
        return clientId;
    }

    @Override
    public Map<String, String> metadata() {
        return metadata;
    }

    @Override
    public long epoch() {
        return epoch.get();
    }

    @Override
    public S state() {
        return state;
    }

    @Override
    public void setState(S state) {
        this.state = state;
        this.hasState = true;
    }

    /** Writes a CLIENT_PUSH whose payload wraps {@code message}; the encoder releases the frame. */
    @Override
    public boolean push(byte[] message) {
        requireNonNull(message, "message");
        Channel via = attachedVia.get();
        if (via == null || !via.isActive()) {
            return false;
        }
        via.writeAndFlush(new Frame.ClientPush(clientId, epoch(), Unpooled.wrappedBuffer(message)));
        return true;
    }

    @Override
    public boolean isAttached() {
        Channel via = attachedVia.get();
        return via != null && via.isActive();
    }

    @Override
    public String toString() {
        return "ClientSession(" + clientId + ", epoch " + epoch() + (isAttached() ? ", attached)" : ")");
    }
}
