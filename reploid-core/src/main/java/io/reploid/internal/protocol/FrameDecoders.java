package io.reploid.internal.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.handler.codec.TooLongFrameException;
import java.nio.ByteOrder;

/** Builds the framing stage of every Reploid pipeline. Stateless and thread-safe; each decoder it returns belongs to one channel. */
public final class FrameDecoders {
    private FrameDecoders() {
    }

    /**
     * A new (stateful, per-channel) decoder that splits the stream at the 4-byte big-endian length prefix
     * and strips it. A declared length over {@code maxFrameSize} fails at once, before any buffer of that
     * size is allocated, with a {@link TooLongFrameException} ("frame of N bytes is over the limit of M
     * bytes"); the bytes of that frame are then discarded as they arrive, never buffered.
     *
     * @param maxFrameSize the largest {@code length} accepted (type byte and body), 1 to
     *                     {@code Integer.MAX_VALUE - 4}
     */
    public static LengthFieldBasedFrameDecoder lengthDecoder(int maxFrameSize) {
        if (maxFrameSize <= 0) {
            throw new IllegalArgumentException("maxFrameSize: " + maxFrameSize + " (expected: > 0)");
        }
        if (maxFrameSize > Integer.MAX_VALUE - Protocol.LENGTH_FIELD) {
            throw new IllegalArgumentException("maxFrameSize: " + maxFrameSize + " (expected: <= "
                    + (Integer.MAX_VALUE - Protocol.LENGTH_FIELD) + ")");
        }
        return new LengthDecoder(maxFrameSize);
    }

    /** Adds the framing decoder and the frame codec, in that order, to the end of a pipeline. */
    public static void addCodec(ChannelPipeline pipeline, int maxFrameSize) {
        pipeline.addLast("framer", lengthDecoder(maxFrameSize));
        pipeline.addLast("codec", FrameCodec.INSTANCE);
    }

    /**
     * Netty's decoder (fail fast, then discard the too-long frame) with a message in the protocol's
     * terms: Netty's own counts the length field in both numbers.
     */
    private static final class LengthDecoder extends LengthFieldBasedFrameDecoder {
        private final int maxFrameSize;
        private long lastLength;

        LengthDecoder(int maxFrameSize) {
            super(maxFrameSize + Protocol.LENGTH_FIELD, 0, Protocol.LENGTH_FIELD, 0, Protocol.LENGTH_FIELD, true);
            this.maxFrameSize = maxFrameSize;
        }

        @Override
        protected long getUnadjustedFrameLength(ByteBuf buf, int offset, int length, ByteOrder order) {
            lastLength = super.getUnadjustedFrameLength(buf, offset, length, order);
            return lastLength;
        }

        @Override
        protected Object decode(ChannelHandlerContext ctx, ByteBuf in) throws Exception {
            try {
                return super.decode(ctx, in);
            } catch (TooLongFrameException e) {
                // Thrown once, right after the length was read; the base class already discards the frame.
                throw new TooLongFrameException("frame of " + lastLength + " bytes is over the limit of "
                        + maxFrameSize + " bytes");
            }
        }
    }
}
