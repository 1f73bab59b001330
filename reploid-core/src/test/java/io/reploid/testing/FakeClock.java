package io.reploid.testing;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/** A clock that moves only when a test says so. Thread-safe. */
public final class FakeClock implements LongSupplier {
    private final AtomicLong nanos = new AtomicLong(TimeUnit.HOURS.toNanos(1));

    /** The current time in nanoseconds. */
    public long nanoTime() {
        return nanos.get();
    }

    @Override
    public long getAsLong() {
        return nanos.get();
    }

    public void advance(long amount, TimeUnit unit) {
        nanos.addAndGet(unit.toNanos(amount));
    }
}
