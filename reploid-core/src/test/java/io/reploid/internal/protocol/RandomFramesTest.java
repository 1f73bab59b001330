package io.reploid.internal.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBufUtil;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.util.ReferenceCountUtil;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Property tests over frames drawn from a fixed seed, so that a failure can be replayed. */
class RandomFramesTest {
    private static final long SEED = 0x5EEDL;

    @Test
    void randomFramesRoundTrip() {
        RandomFrames frames = new RandomFrames(SEED);
        try (CodecChannel ch = new CodecChannel()) {
            for (int i = 0; i < 1500; i++) {
                Frame frame = frames.next();
                String expected = FrameText.describe(frame);
                byte[] payload = frame instanceof Frame.PayloadFrame pf ? ByteBufUtil.getBytes(pf.payload()) : null;
                byte[] wire = ch.encode(frame);
                Frame decoded = ch.decode(wire);
                try {
                    assertThat(FrameText.describe(decoded)).as("frame %d", i).isEqualTo(expected);
                    if (frame instanceof Record) {
                        assertThat(decoded).as("frame %d", i).isEqualTo(frame);
                    } else {
                        assertThat(ByteBufUtil.getBytes(((Frame.PayloadFrame) decoded).payload())).isEqualTo(payload);
                    }
                    assertThat(ch.encode(ReferenceCountUtil.retain(decoded))).as("re-encoded frame %d", i).isEqualTo(wire);
                } finally {
                    ReferenceCountUtil.release(decoded);
                }
            }
        }
    }

    @Test
    void aStreamOfRandomFramesCutAtRandomPointsDecodesToTheSameFrames() {
        RandomFrames frames = new RandomFrames(SEED + 1);
        Random random = frames.random();
        try (CodecChannel ch = new CodecChannel()) {
            for (int round = 0; round < 25; round++) {
                List<String> expected = new ArrayList<>();
                ByteArrayOutputStream stream = new ByteArrayOutputStream();
                for (int i = 0, n = 1 + random.nextInt(30); i < n; i++) {
                    Frame f = frames.next();
                    expected.add(FrameText.describe(f));
                    stream.writeBytes(ch.encode(f));
                }
                byte[] bytes = stream.toByteArray();
                List<Frame> decoded = new ArrayList<>();
                try {
                    for (int pos = 0; pos < bytes.length; ) {
                        int n = Math.min(bytes.length - pos, 1 + random.nextInt(random.nextBoolean() ? 8 : 5000));
                        decoded.addAll(ch.feed(Arrays.copyOfRange(bytes, pos, pos + n)));
                        pos += n;
                    }
                    assertThat(decoded.stream().map(FrameText::describe).toList()).containsExactlyElementsOf(expected);
                } finally {
                    CodecChannel.release(decoded);
                }
            }
        }
    }

    @Test
    void corruptedFramesFailOnlyWithProtocolErrorsAndNeverLeak() {
        RandomFrames frames = new RandomFrames(SEED + 2);
        Random random = frames.random();
        int rejected = 0;
        for (int i = 0; i < 1500; i++) {
            byte[] wire;
            try (CodecChannel ch = new CodecChannel()) {
                wire = ch.encode(frames.next());
            }
            byte[] body = Arrays.copyOfRange(wire, 4, wire.length);
            switch (random.nextInt(3)) {
                case 0 -> body[random.nextInt(body.length)] = (byte) random.nextInt(256);
                case 1 -> body = Arrays.copyOf(body, random.nextInt(body.length));
                default -> {
                    for (int k = 0; k < 1 + random.nextInt(4); k++) {
                        body[random.nextInt(body.length)] ^= (byte) (1 << random.nextInt(8));
                    }
                }
            }
            try (CodecChannel ch = new CodecChannel()) {
                try {
                    List<Frame> decoded = ch.feed(WireBytes.withLength(body));
                    decoded.forEach(FrameText::describe);
                    CodecChannel.release(decoded);
                } catch (ProtocolException e) {
                    rejected++;
                    assertThat(e.getMessage()).isNotBlank();
                }
            }
        }
        assertThat(rejected).as("corruptions caught").isGreaterThan(300);
    }

    @Test
    void randomByteStreamsFailOnlyWithDecoderErrors() {
        Random random = new Random(SEED + 3);
        for (int i = 0; i < 1000; i++) {
            byte[] junk = new byte[random.nextInt(200)];
            random.nextBytes(junk);
            if (junk.length >= 4 && random.nextBoolean()) {
                junk[0] = 0;
                junk[1] = 0; // a plausible length, so the body gets parsed
            }
            try (CodecChannel ch = new CodecChannel()) {
                try {
                    CodecChannel.release(ch.feed(junk));
                } catch (ProtocolException | TooLongFrameException expected) {
                    assertThat(expected.getMessage()).isNotBlank();
                }
            }
        }
    }
}
