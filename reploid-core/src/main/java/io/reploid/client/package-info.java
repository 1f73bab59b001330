/**
 * The Java client: {@link io.reploid.client.ReploidClient} connects to a gateway on behalf of one client
 * id, sends requests to the service instance the client is pinned to and receives its pushes. Build one
 * with {@link io.reploid.client.ReploidClient#builder()}.
 */
package io.reploid.client;
