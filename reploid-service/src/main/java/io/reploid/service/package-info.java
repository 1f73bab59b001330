/**
 * The runtime a stateful service embeds. Implement a {@link io.reploid.service.ServiceHandler}, build a
 * {@link io.reploid.service.ReploidService} with the addresses of the gateways' service ports and start
 * it: the runtime registers with every gateway, reports its load, keeps one
 * {@link io.reploid.service.ClientSession} (with the handler's per-client state) for every client pinned
 * to this instance and calls the handler for the clients' requests, one request of a client at a time.
 */
package io.reploid.service;
