/**
 * The runtime a stateful service embeds. Implement a {@link io.reploid.service.ServiceHandler}, build a
 * {@link io.reploid.service.ReploidService} with the addresses of the gateways' service ports and start
 * it: the runtime registers with every gateway, reports its load, keeps one
 * {@link io.reploid.service.ClientSession} (with the handler's per-client state) for every client pinned
 * to this instance and calls the handler for the clients' requests, one request of a client at a time.
 *
 * <p>A client's state can outlive the instance: with a {@link io.reploid.service.Persistence} other than
 * {@code none} (and a {@link io.reploid.state.StateCodec}), the runtime keeps each client's state and recent
 * answers durable in a {@link io.reploid.state.StateStore} or on peer instances, restores them on the
 * instance the client moves to, and answers a retried request from its recorded answer instead of running
 * it twice.
 */
package io.reploid.service;
