package io.reploid.service.internal;

import static java.util.Objects.requireNonNull;

import io.netty.channel.EventLoopGroup;
import io.netty.util.ReferenceCountUtil;
import io.reploid.internal.protocol.Frame;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The {@link PeerLink}s of this instance: one to every live peer the membership lists, opened and closed
 * as the membership changes (a peer that now advertises another address gets a new link).
 *
 * <p>Thread-safe.
 */
final class Peers {
    private final String self;
    private final EventLoopGroup group;
    private final ScheduledExecutorService timer;
    private final int maxFrameSize;
    private final Map<String, PeerLink> links = new ConcurrentHashMap<>();
    private volatile PeerLink.Listener listener;
    private volatile boolean closed;

    Peers(String self, EventLoopGroup group, ScheduledExecutorService timer, int maxFrameSize) {
        this.self = requireNonNull(self, "self");
        this.group = requireNonNull(group, "group");
        this.timer = requireNonNull(timer, "timer");
        this.maxFrameSize = maxFrameSize;
    }

    /** Who hears from the links; set once, before the first {@link #update}. */
    void listener(PeerLink.Listener listener) {
        this.listener = requireNonNull(listener, "listener");
    }

    /** Opens links to new live peers and closes those to peers no longer live. */
    synchronized void update(MemberView view) {
        if (closed) {
            return;
        }
        Map<String, String> live = view.livePeers();
        links.entrySet().removeIf(e -> {
            String address = live.get(e.getKey());
            if (address == null || !address.equals(e.getValue().address())) {
                e.getValue().close();
                return true;
            }
            return false;
        });
        live.forEach((id, address) -> links.computeIfAbsent(id, i -> {
            PeerLink link = new PeerLink(self, id, address, group, timer, maxFrameSize, listener);
            link.start();
            return link;
        }));
    }

    /**
     * Sends a frame to a peer if its link is ready and writable; takes the frame either way.
     *
     * @return whether it was written
     */
    boolean send(String peerId, Frame frame) {
        PeerLink link = links.get(peerId);
        if (link == null) {
            ReferenceCountUtil.release(frame);
            return false;
        }
        return link.send(frame);
    }

    /** Whether the link to a peer is ready. */
    boolean isReady(String peerId) {
        PeerLink link = links.get(peerId);
        return link != null && link.isReady();
    }

    synchronized void close() {
        closed = true;
        links.values().forEach(PeerLink::close);
        links.clear();
    }
}
