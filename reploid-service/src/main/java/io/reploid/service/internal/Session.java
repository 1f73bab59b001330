package io.reploid.service.internal;

import static java.util.Objects.requireNonNull;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.reploid.internal.protocol.Frame;
import io.reploid.service.ClientSession;
import io.reploid.service.ServiceHandler;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A client held by this instance: its state, the epoch of its pin, the gateway connection it is
 * attached through and the {@link Mailbox} that serializes the handler's calls for it.
 *
 * <p>Thread-safe. The state is created and changed by handler calls, which the mailbox runs one at a
 * time; the attachment and epoch change on event loops and are read from any thread.
 */
final class Session<S> implements ClientSession<S> {
    private final String clientId;
    private final Mailbox mailbox;
    private final AtomicLong epoch;
    private final AtomicReference<Channel> attachedVia = new AtomicReference<>();
    private volatile Map<String, String> metadata = Map.of();
    private volatile S state;
    private volatile boolean hasState;

    Session(String clientId, long epoch, Executor executor) {
        this.clientId = requireNonNull(clientId, "clientId");
        this.epoch = new AtomicLong(epoch);
        this.mailbox = new Mailbox(executor, "client " + clientId);
    }

    Mailbox mailbox() {
        return mailbox;
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
