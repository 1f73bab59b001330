package io.reploid.internal.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.AbstractByteBufAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledHeapByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.TooLongFrameException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FrameDecodersTest {

    @Test
    void aLengthOverTheMaximumFailsAsSoonAsTheLengthIsRead() {
        RecordingAllocator alloc = new RecordingAllocator();
        try (CodecChannel ch = new CodecChannel(Protocol.DEFAULT_MAX_FRAME_SIZE)) {
            ch.channel.config().setAllocator(alloc);
            ByteBuf header = Unpooled.buffer(4).writeInt(Protocol.DEFAULT_MAX_FRAME_SIZE + 1);
            // Only the four length bytes arrive: the decoder must fail now, not wait for 1 MiB of body.
            assertThatThrownBy(() -> ch.channel.writeInbound(header))
                    .isInstanceOf(TooLongFrameException.class)
                    .hasMessage("frame of 1048577 bytes is over the limit of 1048576 bytes");
            assertThat(header.refCnt()).as("the header was not kept").isZero();
            assertThat(alloc.largest).as("largest buffer the pipeline allocated").isLessThan(1024);
            assertThat(ch.readAll()).isEmpty();
        }
    }

    @Test
    void theBodyOfATooLongFrameIsDiscardedAsItArrivesAndTheNextFrameIsRead() {
        int max = 1024;
        RecordingAllocator alloc = new RecordingAllocator();
        try (CodecChannel ch = new CodecChannel(max)) {
            ch.channel.config().setAllocator(alloc);
            int length = 64 * 1024;
            assertThatThrownBy(() -> ch.channel.writeInbound(Unpooled.buffer(4).writeInt(length)))
                    .isInstanceOf(TooLongFrameException.class)
                    .hasMessage("frame of 65536 bytes is over the limit of 1024 bytes");
            for (int sent = 0; sent < length; sent += 1000) {
                ByteBuf chunk = Unpooled.wrappedBuffer(new byte[Math.min(1000, length - sent)]);
                ch.channel.writeInbound(chunk); // fails only once, on the length
                assertThat(chunk.refCnt()).as("discarded, not buffered").isZero();
            }
            assertThat(alloc.largest).isLessThan(1024);
            List<Frame> frames = ch.feed(WireBytes.body(FrameType.PING).i64(5).frame());
            assertThat(frames).containsExactly(new Frame.Ping(5));
        }
    }

    @Test
    void lengthsAreUnsigned() {
        try (CodecChannel ch = new CodecChannel()) {
            assertThatThrownBy(() -> ch.feed(new byte[] {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 7}))
                    .isInstanceOf(TooLongFrameException.class)
                    .hasMessage("frame of 4294967295 bytes is over the limit of 1048576 bytes");
        }
    }

    @Test
    void theMaximumCountsTheTypeByteAndTheBody() {
        int max = 100;
        try (CodecChannel ch = new CodecChannel(max)) {
            List<Frame> frames = ch.feed(WireBytes.body(FrameType.PUSH).bytes(new byte[max - 1]).frame());
            try {
                assertThat(frames).hasSize(1);
                assertThat(((Frame.Push) frames.get(0)).payload().readableBytes()).isEqualTo(max - 1);
            } finally {
                CodecChannel.release(frames);
            }
            assertThatThrownBy(() -> ch.feed(WireBytes.body(FrameType.PUSH).bytes(new byte[max]).frame()))
                    .isInstanceOf(TooLongFrameException.class)
                    .hasMessage("frame of 101 bytes is over the limit of 100 bytes");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"GET / HTTP/1.1\r\nHost: localhost\r\n\r\n", "SSH-2.0-OpenSSH_9.6\r\n"})
    void anotherProtocolSpeakingToThePortIsStoppedAtItsFirstFourBytes(String greeting) {
        try (CodecChannel ch = new CodecChannel()) {
            byte[] bytes = greeting.getBytes(StandardCharsets.US_ASCII);
            long length = ByteBuffer.wrap(bytes).getInt() & 0xFFFFFFFFL;
            assertThatThrownBy(() -> ch.feed(bytes))
                    .isInstanceOf(TooLongFrameException.class)
                    .hasMessage("frame of " + length + " bytes is over the limit of 1048576 bytes");
        }
    }

    @Test
    void aTlsClientHelloIsStoppedAtItsFirstFourBytes() {
        byte[] clientHello = {0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, (byte) 0xFC, 0x03, 0x03};
        try (CodecChannel ch = new CodecChannel()) {
            assertThatThrownBy(() -> ch.feed(clientHello))
                    .isInstanceOf(TooLongFrameException.class)
                    .hasMessage("frame of 369295618 bytes is over the limit of 1048576 bytes");
        }
    }

    @Test
    void aPartialLengthWaitsForMoreBytes() {
        try (CodecChannel ch = new CodecChannel()) {
            byte[] ping = WireBytes.body(FrameType.PING).i64(9).frame();
            assertThat(ch.feed(new byte[] {ping[0], ping[1], ping[2]})).isEmpty();
            assertThat(ch.feed(Arrays.copyOfRange(ping, 3, ping.length))).containsExactly(new Frame.Ping(9));
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {0, -1, Integer.MIN_VALUE})
    void theMaximumMustBePositive(int max) {
        assertThatThrownBy(() -> FrameDecoders.lengthDecoder(max))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxFrameSize: " + max + " (expected: > 0)");
    }

    @Test
    void theMaximumLeavesRoomForTheLengthField() {
        int limit = Integer.MAX_VALUE - Protocol.LENGTH_FIELD;
        assertThat(FrameDecoders.lengthDecoder(limit)).isNotNull();
        assertThatThrownBy(() -> FrameDecoders.lengthDecoder(limit + 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxFrameSize: " + (limit + 1) + " (expected: <= " + limit + ")");
    }

    @Test
    void everyPipelineGetsItsOwnLengthDecoder() {
        ChannelHandler a = FrameDecoders.lengthDecoder(10);
        ChannelHandler b = FrameDecoders.lengthDecoder(10);
        assertThat(a).isNotSameAs(b);
        EmbeddedChannel ch = new EmbeddedChannel();
        FrameDecoders.addCodec(ch.pipeline(), 10);
        assertThat(ch.pipeline().names()).startsWith("framer", "codec");
        assertThat(ch.pipeline().get("codec")).isSameAs(FrameCodec.INSTANCE);
        ch.finishAndReleaseAll();
    }

    @Test
    void theLengthPrefixIsBigEndianAndCountsTheTypeByte() {
        try (CodecChannel ch = new CodecChannel()) {
            byte[] wire = ch.encode(new Frame.Ping(1));
            assertThat(ByteBuffer.wrap(wire).getInt()).isEqualTo(9);
            assertThat(wire).hasSize(13);
        }
    }

    /** Records the largest buffer anyone asked it for. */
    private static final class RecordingAllocator extends AbstractByteBufAllocator {
        int largest;

        RecordingAllocator() {
            super(false);
        }

        @Override
        protected ByteBuf newHeapBuffer(int initialCapacity, int maxCapacity) {
            largest = Math.max(largest, initialCapacity);
            return toLeakAwareBuffer(new UnpooledHeapByteBuf(this, initialCapacity, maxCapacity));
        }

        @Override
        protected ByteBuf newDirectBuffer(int initialCapacity, int maxCapacity) {
            return newHeapBuffer(initialCapacity, maxCapacity);
        }

        @Override
        public boolean isDirectBufferPooled() {
            return false;
        }
    }
}
