package io.reploid.service.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;

class InFlightLimitTest {

    @Test
    void stopsReadingAboveTheLimitAndReadsAgainBelowHalf() {
        InFlightLimit limit = new InFlightLimit(4);
        EmbeddedChannel channel = new EmbeddedChannel();
        limit.add(channel);
        for (int i = 0; i < 4; i++) {
            limit.acquire();
        }
        assertThat(channel.config().isAutoRead()).isTrue();
        limit.acquire();
        assertThat(limit.paused()).isTrue();
        assertThat(channel.config().isAutoRead()).isFalse();

        EmbeddedChannel late = new EmbeddedChannel(); // a connection opened while paused
        limit.add(late);
        assertThat(late.config().isAutoRead()).isFalse();

        limit.release();
        limit.release();
        assertThat(limit.count()).isEqualTo(3);
        assertThat(channel.config().isAutoRead()).isFalse();
        limit.release();
        limit.release();
        assertThat(limit.count()).isEqualTo(1);
        assertThat(channel.config().isAutoRead()).isTrue();
        assertThat(late.config().isAutoRead()).isTrue();
        channel.finishAndReleaseAll();
        late.finishAndReleaseAll();
    }

    @Test
    void aConnectionThatCannotWriteStopsReading() {
        InFlightLimit limit = new InFlightLimit(4);
        EmbeddedChannel channel = new EmbeddedChannel();
        channel.config().setWriteBufferWaterMark(new WriteBufferWaterMark(8, 16));
        limit.add(channel);
        channel.write(Unpooled.wrappedBuffer(new byte[32]));
        assertThat(channel.isWritable()).isFalse();
        limit.refresh(channel);
        assertThat(channel.config().isAutoRead()).isFalse();

        channel.flush();
        assertThat(channel.isWritable()).isTrue();
        limit.refresh(channel);
        assertThat(channel.config().isAutoRead()).isTrue();
        channel.finishAndReleaseAll();
    }

    @Test
    void endsUnpausedWhenEveryRequestIsReleasedFromManyThreads() throws Exception {
        InFlightLimit limit = new InFlightLimit(8);
        EmbeddedChannel channel = new EmbeddedChannel();
        limit.add(channel);
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            threads.add(new Thread(() -> {
                for (int i = 0; i < 20_000; i++) {
                    int burst = ThreadLocalRandom.current().nextInt(1, 12);
                    for (int j = 0; j < burst; j++) {
                        limit.acquire();
                    }
                    for (int j = 0; j < burst; j++) {
                        limit.release();
                    }
                }
            }));
        }
        threads.forEach(Thread::start);
        for (Thread t : threads) {
            t.join();
        }
        assertThat(limit.count()).isZero();
        assertThat(limit.paused()).isFalse();
        assertThat(channel.config().isAutoRead()).isTrue();
        channel.finishAndReleaseAll();
    }
}
