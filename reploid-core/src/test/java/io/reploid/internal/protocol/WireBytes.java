package io.reploid.internal.protocol;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/** Builds frames byte by byte, valid or not, for decoder tests. */
final class WireBytes {
    private final ByteArrayOutputStream body = new ByteArrayOutputStream();

    private WireBytes() {
    }

    /** A body that starts with the type byte of {@code type}. */
    static WireBytes body(FrameType type) {
        return body(type.code());
    }

    /** A body that starts with the type byte {@code typeByte}. */
    static WireBytes body(int typeByte) {
        return new WireBytes().u8(typeByte);
    }

    WireBytes u8(int v) {
        body.write(v);
        return this;
    }

    WireBytes u16(int v) {
        return bytes(ByteBuffer.allocate(2).putShort((short) v).array());
    }

    WireBytes i32(int v) {
        return bytes(ByteBuffer.allocate(4).putInt(v).array());
    }

    WireBytes i64(long v) {
        return bytes(ByteBuffer.allocate(8).putLong(v).array());
    }

    WireBytes f64(double v) {
        return bytes(ByteBuffer.allocate(8).putDouble(v).array());
    }

    /** A {@code str}: u16 length, then the UTF-8 bytes. */
    WireBytes str(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        return u16(b.length).bytes(b);
    }

    /** A {@code str} whose bytes are given as they are (possibly not UTF-8). */
    WireBytes str(int... rawBytes) {
        u16(rawBytes.length);
        for (int b : rawBytes) {
            body.write(b);
        }
        return this;
    }

    WireBytes magicAndVersion(int version) {
        return i32(Protocol.MAGIC).u16(version);
    }

    WireBytes bytes(byte[] b) {
        body.writeBytes(b);
        return this;
    }

    /** The whole frame: the length prefix, then the body. */
    byte[] frame() {
        return withLength(body.toByteArray());
    }

    static byte[] withLength(byte[] body) {
        return ByteBuffer.allocate(4 + body.length).putInt(body.length).put(body).array();
    }
}
