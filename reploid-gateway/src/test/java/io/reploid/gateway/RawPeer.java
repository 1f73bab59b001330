package io.reploid.gateway;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.reploid.internal.protocol.Frame;
import io.reploid.internal.protocol.FrameCodec;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;

/**
 * A blocking protocol peer for tests: writes frames or arbitrary bytes and reads frames back, so tests
 * can speak the protocol wrongly on purpose. Not thread-safe.
 */
final class RawPeer implements AutoCloseable {
    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;

    RawPeer(int port) throws IOException {
        socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        socket.setSoTimeout(10_000);
        socket.setTcpNoDelay(true);
        in = new DataInputStream(socket.getInputStream());
        out = socket.getOutputStream();
    }

    /** Encodes and sends a frame; releases payload frames. */
    RawPeer send(Frame frame) throws IOException {
        List<Object> parts = new ArrayList<>();
        try {
            FrameCodec.encode(ByteBufAllocator.DEFAULT, frame, parts);
            for (Object o : parts) {
                ByteBuf b = (ByteBuf) o;
                byte[] bytes = new byte[b.readableBytes()];
                b.getBytes(b.readerIndex(), bytes);
                out.write(bytes);
            }
            out.flush();
        } finally {
            parts.forEach(o -> ((ByteBuf) o).release());
            if (frame instanceof Frame.PayloadFrame pf) {
                pf.release();
            }
        }
        return this;
    }

    RawPeer sendRaw(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
        return this;
    }

    /** Reads the next frame; payload frames come back with their payload copied to the heap (release them). */
    Frame read() throws IOException {
        int length = in.readInt();
        byte[] body = new byte[length];
        in.readFully(body);
        ByteBuf buf = Unpooled.wrappedBuffer(body);
        try {
            return FrameCodec.decode(buf);
        } finally {
            buf.release();
        }
    }

    /** Reads frames until an ERROR frame comes; returns it. */
    Frame.Error readError() throws IOException {
        while (true) {
            Frame f = read();
            if (f instanceof Frame.Error e) {
                return e;
            }
            io.netty.util.ReferenceCountUtil.release(f);
        }
    }

    /** Whether the gateway closed the connection (end of stream within the socket timeout). */
    boolean closedByPeer() throws IOException {
        try {
            while (true) {
                if (in.read() < 0) {
                    return true;
                }
            }
        } catch (EOFException e) {
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true; // reset
        }
    }

    Socket socket() {
        return socket;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
