package io.reploid.internal.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayList;
import java.util.List;

/**
 * An {@link EmbeddedChannel} with the real Reploid framing: {@link FrameDecoders#lengthDecoder} and
 * {@link FrameCodec} inbound, {@link FrameCodec} outbound. Closing it finishes the channel and releases
 * whatever is left in it.
 */
final class CodecChannel implements AutoCloseable {
    final EmbeddedChannel channel;

    CodecChannel() {
        this(Protocol.DEFAULT_MAX_FRAME_SIZE);
    }

    CodecChannel(int maxFrameSize) {
        channel = new EmbeddedChannel();
        FrameDecoders.addCodec(channel.pipeline(), maxFrameSize);
    }

    /** Writes {@code frame} (the codec releases it) and returns the buffers written, which the caller releases. */
    List<ByteBuf> encodeToBuffers(Frame frame) {
        assertThat(channel.writeOutbound(frame)).isTrue();
        List<ByteBuf> out = new ArrayList<>();
        for (Object o; (o = channel.readOutbound()) != null; ) {
            out.add((ByteBuf) o);
        }
        return out;
    }

    /** Writes {@code frame} (the codec releases it) and returns its bytes on the wire. */
    byte[] encode(Frame frame) {
        List<ByteBuf> bufs = encodeToBuffers(frame);
        try {
            ByteBuf all = Unpooled.wrappedBuffer(bufs.stream().map(ByteBuf::retainedDuplicate).toArray(ByteBuf[]::new));
            try {
                return ByteBufUtil.getBytes(all);
            } finally {
                all.release();
            }
        } finally {
            bufs.forEach(ByteBuf::release);
        }
    }

    /** Feeds each chunk as one read and returns every frame decoded; the caller releases them. */
    List<Frame> feed(byte[]... chunks) {
        for (byte[] chunk : chunks) {
            channel.writeInbound(Unpooled.copiedBuffer(chunk));
        }
        return readAll();
    }

    /** Frames decoded so far; the caller releases them. */
    List<Frame> readAll() {
        List<Frame> frames = new ArrayList<>();
        for (Object o; (o = channel.readInbound()) != null; ) {
            frames.add((Frame) o);
        }
        return frames;
    }

    /** Decodes one complete frame (length prefix included); the caller releases it. */
    Frame decode(byte[] wire) {
        List<Frame> frames = feed(wire);
        if (frames.size() != 1) {
            frames.forEach(ReferenceCountUtil::release);
            throw new AssertionError("expected one frame, decoded " + frames.size());
        }
        return frames.get(0);
    }

    /** Encodes and decodes {@code frame} (which the codec releases); the caller releases the result. */
    Frame roundTrip(Frame frame) {
        return decode(encode(frame));
    }

    @Override
    public void close() {
        channel.finishAndReleaseAll();
    }

    static void release(Iterable<Frame> frames) {
        frames.forEach(ReferenceCountUtil::release);
    }
}
