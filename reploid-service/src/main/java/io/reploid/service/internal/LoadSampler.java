package io.reploid.service.internal;

import static java.util.Objects.requireNonNull;

import io.reploid.LoadReport;
import io.reploid.service.ServiceHandler;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.MemoryUsage;
import java.lang.management.OperatingSystemMXBean;
import java.util.function.IntSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Measures this instance's load: clients and requests from the runtime, CPU and heap from the JVM,
 * gauge and health from the handler. Calls handler code, so it runs on the timer thread, never on an
 * event loop. Thread-safe.
 */
final class LoadSampler {
    private static final Logger log = LoggerFactory.getLogger(LoadSampler.class);

    private final ServiceHandler<?> handler;
    private final IntSupplier clients;
    private final IntSupplier inFlight;
    private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    private final OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();

    LoadSampler(ServiceHandler<?> handler, IntSupplier clients, IntSupplier inFlight) {
        this.handler = requireNonNull(handler, "handler");
        this.clients = requireNonNull(clients, "clients");
        this.inFlight = requireNonNull(inFlight, "inFlight");
    }

    LoadReport sample() {
        MemoryUsage heap = memory.getHeapMemoryUsage();
        return new LoadReport(System.currentTimeMillis(), clients.getAsInt(), inFlight.getAsInt(), cpu(),
                heap.getUsed(), heap.getMax(), gauge(), healthy());
    }

    /** Process CPU load in [0, 1], or -1 when the JVM does not say. */
    private double cpu() {
        try {
            if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
                double load = sun.getProcessCpuLoad();
                return load >= 0 && load <= 1 ? load : -1;
            }
        } catch (LinkageError e) {
            // jdk.management is not in this runtime image
        }
        return -1;
    }

    private double gauge() {
        try {
            return handler.loadGauge();
        } catch (Throwable t) {
            log.warn("loadGauge() failed; reporting 0", t);
            return 0;
        }
    }

    private boolean healthy() {
        try {
            return handler.healthy();
        } catch (Throwable t) {
            log.warn("healthy() failed; reporting the instance unhealthy", t);
            return false;
        }
    }
}
