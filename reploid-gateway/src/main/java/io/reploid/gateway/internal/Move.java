package io.reploid.gateway.internal;

/** A client re-pinned from one instance to another (its instance died), for the dashboard. Immutable. */
record Move(String client, String from, String to, long timeMillis) {
}
