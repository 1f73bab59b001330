package io.reploid.gateway.internal;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.reploid.directory.ClaimOutcome;
import io.reploid.directory.DirectoryPin;
import io.reploid.directory.GatewayMember;
import io.reploid.directory.PinDirectory;
import io.reploid.internal.Backoff;
import io.reploid.internal.HostAndPort;
import io.reploid.internal.Transports;
import io.reploid.internal.protocol.Frame;
import io.reploid.internal.protocol.FrameDecoders;
import io.reploid.internal.protocol.Protocol;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded {@link PinDirectory}: the gateways of a cluster connect to each other on their service
 * ports and agree on pins without an external system.
 *
 * <p>A gateway that creates or moves a pin <em>claims</em> it from every live gateway (PIN_CLAIM). Each
 * accepts it as tentative unless it has a claim of its own for that client in flight, holds another
 * tentative claim for it, or holds a different pin the claimer did not expect whose instance is still
 * connected to it. The claim wins when every live gateway accepted; the claimer then commits it
 * (PIN_SYNC with the one pin) and only then routes the client. A claim that any gateway refused is aborted
 * (PIN_DROP, which removes only the tentative claim) and the claimer adopts the pin the refusal named, or tries again. Two claims for one
 * client therefore cannot both win while their gateways are connected. {@code docs/high-availability.md}
 * explains why, and what happens under partitions.
 *
 * <p>Leadership: the live gateway with the smallest id becomes leader when no live gateway leads; a leader
 * keeps leading until it dies or meets a leader with a smaller id.
 *
 * <p>Thread-safe: link events arrive on event loops, timers run on the gateway's control thread, and every
 * shared structure is a concurrent map or a volatile field.
 */
final class GatewayMesh implements PinDirectory {
    private static final Logger log = LoggerFactory.getLogger(GatewayMesh.class);
    private static final int CONNECT_TIMEOUT_MILLIS = 5_000;
    private static final int SYNC_CHUNK = 1024;

    private final Cluster cluster;
    private final GatewayConfig config;
    private final EventLoopGroup group;
    private final ScheduledExecutorService control;
    private final Bootstrap bootstrap;
    /** Gateways by id, with their links; this gateway is not in it. */
    private final Map<String, Peer> peers = new ConcurrentHashMap<>();
    /** Service addresses to keep a link to, with the state of dialing them. */
    private final Map<String, Dial> dials = new ConcurrentHashMap<>();
    /** Addresses found to be this gateway's own. */
    private final Set<String> selfAddresses = ConcurrentHashMap.newKeySet();
    private final Map<Long, Round> rounds = new ConcurrentHashMap<>();
    private final AtomicLong claimIds = new AtomicLong();
    private final long startedNanos;
    private volatile GatewayMember self;
    private volatile boolean leader;
    private volatile boolean closed;
    private volatile List<Frame.GatewayEntry> lastAnnounced = List.of();

    GatewayMesh(Cluster cluster, EventLoopGroup group, ScheduledExecutorService control) {
        this.cluster = cluster;
        this.config = cluster.config;
        this.group = group;
        this.control = control;
        this.startedNanos = cluster.nanoTime();
        this.bootstrap = new Bootstrap()
                .group(group)
                .channel(Transports.socketChannel())
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.SO_KEEPALIVE, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, CONNECT_TIMEOUT_MILLIS)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        FrameDecoders.addCodec(ch.pipeline(), config.maxFrameSize());
                        ch.pipeline().addLast("gateway", new GatewayLinkHandler(GatewayMesh.this, false));
                    }
                });
    }

    // ------------------------------------------------------------------ PinDirectory

    @Override
    public void start(GatewayMember self) {
        this.self = self;
        selfAddresses.add(self.serviceAddress());
        for (String peer : config.peers()) {
            learn(peer);
        }
        long every = Math.max(50, config.heartbeatInterval().toMillis());
        control.scheduleWithFixedDelay(this::tick, every, every, TimeUnit.MILLISECONDS);
    }

    @Override
    public CompletionStage<Optional<DirectoryPin>> lookup(String clientId) {
        return CompletableFuture.completedFuture(Optional.empty()); // pins are pushed here: the table is current
    }

    @Override
    public CompletionStage<ClaimOutcome> claim(String clientId, DirectoryPin proposed, long expectedEpoch) {
        List<Channel> targets = new ArrayList<>();
        for (Peer p : peers.values()) {
            Channel ch = p.link();
            if (ch != null) {
                targets.add(ch);
            }
        }
        if (targets.isEmpty()) {
            return CompletableFuture.completedFuture(ClaimOutcome.won(proposed));
        }
        long id = claimIds.incrementAndGet();
        Round round = new Round(id, clientId, proposed, targets);
        rounds.put(id, round);
        Frame.PinClaim claim = new Frame.PinClaim(id, clientId, proposed.instanceId(), proposed.epoch(), expectedEpoch);
        for (Channel ch : targets) {
            ch.writeAndFlush(claim);
            ch.closeFuture().addListener(f -> round.gone(ch));
        }
        try {
            control.schedule(() -> round.timeout(), config.claimTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            round.timeout();
        }
        return round.result;
    }

    /**
     * Nothing to send: an instance that drops a client's state tells every gateway itself (RELEASE), and
     * idle pins do not expire while several gateways share the table.
     */
    @Override
    public void remove(String clientId, DirectoryPin pin) {
    }

    /** Whether another gateway is linked now. */
    boolean hasLivePeers() {
        for (Peer p : peers.values()) {
            if (p.link() != null) {
                return true;
            }
        }
        return false;
    }

    @Override
    public boolean isLeader() {
        return leader;
    }

    @Override
    public List<GatewayMember> gateways() {
        GatewayMember me = self;
        List<GatewayMember> out = new ArrayList<>();
        if (me != null) {
            out.add(new GatewayMember(me.gatewayId(), me.serviceAddress(), me.adminAddress(), leader, true));
        }
        for (Peer p : peers.values()) {
            out.add(new GatewayMember(p.id, p.serviceAddress, p.adminAddress, p.leader && p.link() != null,
                    p.link() != null));
        }
        out.sort(Comparator.comparing(GatewayMember::gatewayId));
        return out;
    }

    @Override
    public String describe() {
        long live = peers.values().stream().filter(p -> p.link() != null).count();
        return "embedded (" + (live + 1) + " live gateways)";
    }

    @Override
    public void close() {
        closed = true;
        for (Dial d : dials.values()) {
            Channel ch = d.channel;
            if (ch != null) {
                ch.close();
            }
        }
        for (Round r : rounds.values()) {
            r.finish(ClaimOutcome.lost(null));
        }
    }

    // ------------------------------------------------------------------ links

    /** Remembers a gateway's service address and keeps a link to it (unless it is this gateway's). */
    void learn(String address) {
        if (address == null || address.isBlank() || selfAddresses.contains(address) || closed) {
            return;
        }
        if (dials.putIfAbsent(address, new Dial(address)) == null) {
            log.info("Gateway {} links to gateway at {}", config.gatewayId(), address);
            onControl(() -> connect(address), 0);
        }
    }

    private void connect(String address) {
        Dial d = dials.get(address);
        if (d == null || closed || selfAddresses.contains(address)) {
            return;
        }
        InetSocketAddress target;
        try {
            target = HostAndPort.parse(address);
            if (target.isUnresolved()) {
                target = new InetSocketAddress(target.getHostString(), target.getPort());
            }
        } catch (RuntimeException e) {
            log.warn("Gateway address {} is not usable: {}", address, e.getMessage());
            dials.remove(address);
            return;
        }
        if (target.isUnresolved()) {
            retry(d, "cannot resolve " + address);
            return;
        }
        bootstrap.connect(target).addListener((ChannelFuture f) -> {
            if (!f.isSuccess()) {
                retry(d, f.cause().toString());
                return;
            }
            Channel ch = f.channel();
            d.channel = ch;
            ch.closeFuture().addListener(cf -> {
                if (d.channel == ch) {
                    d.channel = null;
                }
                retry(d, "link closed");
            });
            ch.writeAndFlush(hello());
        });
    }

    private void retry(Dial d, String why) {
        if (closed || dials.get(d.address) != d || selfAddresses.contains(d.address)) {
            return;
        }
        long delay;
        int attempt;
        synchronized (d) {
            attempt = d.backoff.attempts();
            delay = d.backoff.nextDelayMillis();
        }
        if (attempt == 0) {
            log.info("Gateway link to {}: {}; reconnecting in {} ms", d.address, why, delay);
        } else {
            log.debug("Gateway link to {}: {}; attempt {}, reconnecting in {} ms", d.address, why, attempt + 1, delay);
        }
        onControl(() -> connect(d.address), delay);
    }

    Frame.GatewayHello hello() {
        GatewayMember me = self;
        return new Frame.GatewayHello(Protocol.VERSION, me.gatewayId(), me.serviceAddress(), me.adminAddress(), leader);
    }

    String selfId() {
        return config.gatewayId();
    }

    /**
     * A link finished its handshake. The peer gets this gateway's list of gateways and its whole pin table.
     *
     * @return false when the link reached this gateway itself (it is then closed)
     */
    boolean linkUp(Channel ch, Frame.GatewayHello hello, boolean inbound) {
        if (hello.gatewayId().equals(config.gatewayId())) {
            Dial d = ch.remoteAddress() == null ? null : dialOf(ch);
            if (d != null) {
                selfAddresses.add(d.address);
                dials.remove(d.address);
            }
            return false;
        }
        Peer p = peers.computeIfAbsent(hello.gatewayId(), Peer::new);
        p.serviceAddress = hello.serviceAddress();
        p.adminAddress = hello.adminAddress();
        p.leader = hello.leader();
        p.links.add(ch);
        ch.closeFuture().addListener(f -> linkDown(p, ch));
        Dial d = dialOf(ch);
        if (d != null) {
            synchronized (d) {
                d.backoff.reset();
            }
        }
        log.info("Gateway {} linked with gateway {} at {} ({})", config.gatewayId(), p.id, p.serviceAddress,
                inbound ? "inbound" : "outbound");
        cluster.events.add("gateway-up", null, "gateway " + p.id + " at " + p.serviceAddress + " is linked");
        learn(hello.serviceAddress());
        ch.write(gatewaysFrame());
        List<Frame.SyncedPin> snapshot = cluster.snapshot();
        for (int i = 0; i < snapshot.size(); i += SYNC_CHUNK) {
            List<Frame.SyncedPin> part = snapshot.subList(i, Math.min(snapshot.size(), i + SYNC_CHUNK));
            ch.write(new Frame.PinSync(i + SYNC_CHUNK >= snapshot.size(), List.copyOf(part)));
        }
        if (snapshot.isEmpty()) {
            ch.write(new Frame.PinSync(true, List.of()));
        }
        ch.flush();
        gatewaysChanged();
        return true;
    }

    private Dial dialOf(Channel ch) {
        for (Dial d : dials.values()) {
            if (d.channel == ch) {
                return d;
            }
        }
        return null;
    }

    private void linkDown(Peer p, Channel ch) {
        p.links.remove(ch);
        if (p.link() == null && !closed) {
            log.warn("Gateway {} lost its links to gateway {}", config.gatewayId(), p.id);
            cluster.events.add("gateway-down", null, "gateway " + p.id + " at " + p.serviceAddress + " is unreachable");
            gatewaysChanged();
        }
    }

    /** A peer's GATEWAYS: learn the others, and take the sender's own leader flag. */
    void gateways(String senderId, Frame.Gateways frame) {
        for (Frame.GatewayEntry e : frame.gateways()) {
            if (e.gatewayId().equals(senderId)) {
                Peer p = peers.get(senderId);
                if (p != null && p.leader != e.leader()) {
                    p.leader = e.leader();
                    gatewaysChanged();
                }
            } else if (!e.gatewayId().equals(config.gatewayId())) {
                learn(e.serviceAddress());
            }
        }
    }

    /** A peer's claim: accept or refuse it, and answer. */
    void claimed(Channel ch, Frame.PinClaim claim) {
        Cluster.ClaimReply reply = cluster.acceptClaim(claim.clientId(), claim.instanceId(), claim.epoch(),
                claim.expectedEpoch(), ch);
        Pin held = reply.held();
        String instance = reply.accepted() ? claim.instanceId() : held == null ? "" : held.instance.id();
        long epoch = reply.accepted() ? claim.epoch() : held == null ? 0 : held.epoch;
        ch.writeAndFlush(new Frame.PinClaimResult(claim.claimId(), reply.accepted(), claim.clientId(), instance, epoch));
    }

    /** A peer aborted a claim, or removed a pin. */
    void dropped(Frame.PinDrop drop) {
        cluster.drop(drop.clientId(), drop.instanceId(), drop.epoch());
    }

    /** Pins a peer holds: part of its table after the handshake, or a claim it won. */
    void synced(Frame.PinSync sync) {
        for (Frame.SyncedPin p : sync.pins()) {
            cluster.commit(p.clientId(), p.instanceId(), p.epoch());
        }
        if (sync.last()) {
            cluster.synced();
        }
    }

    long heartbeatMillis() {
        return config.heartbeatInterval().toMillis();
    }

    /** A peer's answer to one of this gateway's claims. */
    void claimResult(Channel ch, Frame.PinClaimResult result) {
        Round r = rounds.get(result.claimId());
        if (r != null) {
            r.answer(ch, result);
        }
    }

    /** Every gateway this one knows, itself first, as sent to instances and peers. */
    Frame.Gateways gatewaysFrame() {
        List<Frame.GatewayEntry> out = new ArrayList<>();
        GatewayMember me = self;
        out.add(new Frame.GatewayEntry(me.gatewayId(), me.serviceAddress(), me.adminAddress(), leader));
        for (Peer p : peers.values()) {
            if (p.link() != null) {
                out.add(new Frame.GatewayEntry(p.id, p.serviceAddress, p.adminAddress, p.leader));
            }
        }
        return new Frame.Gateways(List.copyOf(out));
    }

    private void gatewaysChanged() {
        onControl(this::announceGateways, 0);
    }

    /** Sends the gateway list to instances and peers when it changed. Control thread. */
    private void announceGateways() {
        Frame.Gateways frame = gatewaysFrame();
        if (frame.gateways().equals(lastAnnounced)) {
            return;
        }
        lastAnnounced = frame.gateways();
        cluster.gatewaysChanged(frame);
        for (Peer p : peers.values()) {
            Channel ch = p.link();
            if (ch != null) {
                ch.writeAndFlush(frame);
            }
        }
    }

    /** Periodic: leadership, tentative claims of gateways that died, the gateway list. Control thread. */
    private void tick() {
        try {
            boolean liveLeader = false;
            String smallest = config.gatewayId();
            for (Peer p : peers.values()) {
                if (p.link() == null) {
                    continue;
                }
                if (p.leader) {
                    liveLeader = true;
                    if (leader && p.id.compareTo(config.gatewayId()) < 0) {
                        setLeader(false, "gateway " + p.id + " leads too and has the smaller id");
                    }
                }
                if (p.id.compareTo(smallest) < 0) {
                    smallest = p.id;
                }
            }
            if (!leader && !liveLeader && smallest.equals(config.gatewayId()) && !cluster.inRecoveryWindow()
                    && cluster.nanoTime() - startedNanos >= config.pinRecoveryWindow().toNanos()) {
                setLeader(true, "no live gateway leads and this one has the smallest id");
            }
            cluster.promoteOrphanedClaims(claimer -> claimer instanceof Channel c && c.isActive(),
                    config.claimTimeout().toNanos());
            announceGateways();
        } catch (RuntimeException e) {
            log.error("Gateway mesh upkeep failed", e);
        }
    }

    private void setLeader(boolean lead, String why) {
        leader = lead;
        if (peers.isEmpty()) {
            log.debug("Gateway {} {} leadership: {}", config.gatewayId(), lead ? "takes" : "gives up", why);
        } else {
            log.info("Gateway {} {} leadership: {}", config.gatewayId(), lead ? "takes" : "gives up", why);
            cluster.events.add(lead ? "leader" : "follower", null,
                    config.gatewayId() + (lead ? " leads: " : " follows: ") + why);
        }
        announceGateways();
    }

    private void onControl(Runnable task, long delayMillis) {
        if (closed) {
            return;
        }
        try {
            control.schedule(task, delayMillis, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // the gateway is closing
        }
    }

    // ------------------------------------------------------------------ state

    /** Another gateway and the links to it (at most one each way). */
    static final class Peer {
        final String id;
        final Set<Channel> links = ConcurrentHashMap.newKeySet();
        volatile String serviceAddress = "";
        volatile String adminAddress = "";
        volatile boolean leader;

        Peer(String id) {
            this.id = id;
        }

        /** An active link to it, or null when it is unreachable. */
        Channel link() {
            for (Channel ch : links) {
                if (ch.isActive()) {
                    return ch;
                }
            }
            return null;
        }
    }

    /** Dialing one service address. */
    static final class Dial {
        final String address;
        final Backoff backoff = new Backoff(100, 2_000);
        volatile Channel channel;

        Dial(String address) {
            this.address = address;
        }
    }

    /** One claim sent to the live gateways, waiting for their answers. */
    final class Round {
        final long id;
        final String clientId;
        final DirectoryPin proposed;
        final Set<Channel> waiting = ConcurrentHashMap.newKeySet();
        final List<Channel> targets;
        final CompletableFuture<ClaimOutcome> result = new CompletableFuture<>();
        private DirectoryPin refusedWith;
        private boolean refused;

        Round(long id, String clientId, DirectoryPin proposed, List<Channel> targets) {
            this.id = id;
            this.clientId = clientId;
            this.proposed = proposed;
            this.targets = targets;
            waiting.addAll(targets);
        }

        synchronized void answer(Channel ch, Frame.PinClaimResult r) {
            if (!waiting.remove(ch)) {
                return;
            }
            if (!r.accepted()) {
                refused = true;
                if (!r.instanceId().isEmpty() && r.epoch() > 0
                        && (refusedWith == null || r.epoch() > refusedWith.epoch())) {
                    refusedWith = new DirectoryPin(r.instanceId(), r.epoch());
                }
            }
            maybeDone();
        }

        synchronized void gone(Channel ch) {
            if (waiting.remove(ch)) {
                maybeDone();
            }
        }

        synchronized void timeout() {
            if (!result.isDone()) {
                log.warn("Claim of client {} for {} timed out after {} ms ({} gateways did not answer); aborting",
                        clientId, proposed, config.claimTimeout().toMillis(), waiting.size());
                refused = true;
                waiting.clear();
                maybeDone();
            }
        }

        private void maybeDone() {
            if (!waiting.isEmpty() || result.isDone()) {
                return;
            }
            if (refused) {
                Frame.PinDrop drop = new Frame.PinDrop(clientId, proposed.instanceId(), proposed.epoch());
                for (Channel ch : targets) {
                    if (ch.isActive()) {
                        ch.writeAndFlush(drop);
                    }
                }
                finish(ClaimOutcome.lost(refusedWith));
            } else {
                Frame.PinSync commit = new Frame.PinSync(false,
                        List.of(new Frame.SyncedPin(clientId, proposed.instanceId(), proposed.epoch())));
                for (Channel ch : targets) {
                    if (ch.isActive()) {
                        ch.writeAndFlush(commit);
                    }
                }
                finish(ClaimOutcome.won(proposed));
            }
        }

        void finish(ClaimOutcome outcome) {
            rounds.remove(id, this);
            result.complete(outcome);
        }
    }
}
