package io.reploid.internal.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.TooLongFrameException;
import java.nio.ByteOrder;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;

/** Builds the framing stage of every Reploid pipeline. */
public final class FrameDecoders {
    private FrameDecoders() {
    }

    /**
     * A new (stateful, per-channel) decoder that splits the stream at the 4-byte big-endian length prefix
     * and strips it. A declared length over {@code maxFrameSize} fails at once, before any buffer of that
     * size is allocated, with a {@link io.netty.handler.codec.TooLongFrameException}.
     */
    public static LengthFieldBasedFrameDecoder lengthDecoder(int maxFrameSize) {
        if (maxFrameSize <= 0) {
            throw new IllegalArgumentException("maxFrameSize: " + maxFrameSize + " (expected: > 0)");
        }
        return new LengthFieldBasedFrameDecoder(maxFrameSize + Protocol.LENGTH_FIELD, 0, Protocol.LENGTH_FIELD,
                0, Protocol.LENGTH_FIELD, true) {
            @Override
            protected long getUnadjustedFrameLength(ByteBuf buf, int offset, int length, ByteOrder order) {
                long frameLength = super.getUnadjustedFrameLength(buf, offset, length, order);
                if (frameLength > maxFrameSize) {
                    throw new TooLongFrameException("frame of " + frameLength + " bytes is over the limit of "
                            + maxFrameSize + " bytes");
                }
                return frameLength;
            }
        };
    }

    /** Adds the framing decoder and the frame codec, in that order, to the end of a pipeline. */
    public static void addCodec(ChannelPipeline pipeline, int maxFrameSize) {
        pipeline.addLast("framer", lengthDecoder(maxFrameSize));
        pipeline.addLast("codec", FrameCodec.INSTANCE);
    }
}
