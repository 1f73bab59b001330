package io.reploid.gateway.internal;

/**
 * One sampled request for the dashboard's animation: which client, which instance, how long the round
 * trip through the gateway took. Immutable.
 */
record Flow(String client, String instance, long latencyMicros) {
}
