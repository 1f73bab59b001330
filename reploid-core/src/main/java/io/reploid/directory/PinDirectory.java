package io.reploid.directory;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * Where the gateways of one cluster agree on pins (which instance holds each client) and on leadership
 * (which gateway runs cluster-wide singletons such as the autoscaler).
 *
 * <p>Every gateway keeps its own table of pins for routing; the directory is what makes those tables
 * agree. A gateway asks the directory before it creates or moves a pin ({@link #claim}), and, for
 * directories that are not pushed to it, looks a client up when the client connects ({@link #lookup}).
 * A claim is a compare-and-set: it wins only if the pin in force is still the one the gateway expected,
 * so two gateways that see the first contact of the same client at the same moment end with one pin.
 *
 * <p>Reploid has two: the embedded one (the default, no external system: gateways reach each other on
 * their service ports and claim pins from every live gateway; see {@code docs/high-availability.md}), and
 * a PostgreSQL one in {@code reploid-jdbc} ({@code JdbcPinDirectory}).
 *
 * <p>Implementations must be thread-safe. Methods return at once; slow work (a database round trip) runs
 * on the directory's own threads and completes the stage there. The gateway never blocks on a stage from
 * its event loops.
 */
public interface PinDirectory extends AutoCloseable {

    /**
     * Starts the directory for one gateway. Called once, before any other method.
     *
     * @param self the gateway using this directory
     */
    void start(GatewayMember self);

    /**
     * The pin the directory holds for a client.
     *
     * @return a stage with the pin, or empty if the directory has none; an embedded directory whose
     *         gateway table is already authoritative completes with empty at once
     */
    CompletionStage<Optional<DirectoryPin>> lookup(String clientId);

    /**
     * Claims a pin: {@code clientId} to {@code proposed.instanceId()}, replacing the pin of
     * {@code expectedEpoch} (0 when the gateway knows no pin for the client).
     *
     * <p>The directory may assign a larger epoch than proposed (so that epochs keep growing even when the
     * gateways' clocks disagree); the gateway uses the epoch of the outcome.
     *
     * @return a stage with the outcome: won, with the pin now in force; or lost, with the pin in force
     *         (maybe none) that the gateway should use instead
     */
    CompletionStage<ClaimOutcome> claim(String clientId, DirectoryPin proposed, long expectedEpoch);

    /**
     * Removes a client's pin if it is still {@code pin} (the instance dropped the client's state, or the
     * pin expired). Fire and forget: failures are logged by the directory.
     */
    void remove(String clientId, DirectoryPin pin);

    /** Whether this gateway holds the cluster's leadership now. Cheap; called often. */
    boolean isLeader();

    /** Every gateway the directory knows of, this one included, with which one leads. */
    List<GatewayMember> gateways();

    /** A short description for logs and the admin API, such as {@code "embedded (3 gateways)"}. */
    String describe();

    /** Stops the directory's threads and connections. The gateway calls it when it closes. */
    @Override
    void close();
}
