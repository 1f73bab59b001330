/**
 * Health checking: the {@link io.reploid.health.HealthCheck} SPI the gateway runs on every instance, the
 * built-in checks in {@link io.reploid.health.HealthChecks} (connection, phi-accrual heartbeats, active
 * ping, resource limits) and the {@link io.reploid.health.PhiAccrualDetector}.
 */
package io.reploid.health;
