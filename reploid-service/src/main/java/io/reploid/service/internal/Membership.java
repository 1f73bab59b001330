package io.reploid.service.internal;

import static java.util.Objects.requireNonNull;

import io.netty.channel.Channel;
import io.reploid.internal.protocol.Frame;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cluster's membership as the gateways report it in MEMBERS frames. Each gateway connection's views
 * are ordered by their {@code version} (an older or repeated one is ignored). With several gateways, the
 * view in force is the one received last: gateways see the same instances, and the newest report is the
 * best guess. A view outlives the connection it came on: peers stay reachable while a gateway is away.
 *
 * <p>Thread-safe. Listeners are called on the event loop of the connection the view came on, must not
 * block, and see views in the order they came in force.
 */
final class Membership {
    private static final Logger log = LoggerFactory.getLogger(Membership.class);

    private final String self;
    private final Consumer<MemberView> listener;
    private final Map<Channel, Long> versions = new ConcurrentHashMap<>();
    private volatile MemberView current = MemberView.EMPTY;

    Membership(String self, Consumer<MemberView> listener) {
        this.self = requireNonNull(self, "self");
        this.listener = requireNonNull(listener, "listener");
    }

    /** The view in force. */
    MemberView current() {
        return current;
    }

    /** A MEMBERS frame came on {@code via}. */
    void update(Channel via, Frame.Members members) {
        Long last = versions.get(via);
        if (last != null && members.version() <= last) {
            log.debug("Ignoring MEMBERS version {} from {}: not newer than {}", members.version(), via.remoteAddress(), last);
            return;
        }
        versions.put(via, members.version());
        MemberView view = new MemberView(members.version(), members.members(), self);
        synchronized (this) {
            current = view;
            log.debug("Membership: {}", view);
            listener.accept(view);
        }
    }

    /** The connection closed: its next views start a new version sequence. */
    void remove(Channel via) {
        versions.remove(via);
    }
}
