package io.reploid.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.reploid.internal.HostAndPort;
import io.reploid.internal.protocol.Frame;
import io.reploid.internal.protocol.FrameCodec;
import io.reploid.internal.protocol.Protocol;
import io.reploid.state.StoredRecord;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;

/**
 * A blocking peer-protocol connection to a runtime's peer port, playing a primary (or a misbehaving peer):
 * writes frames with the real codec and reads the answers. Control frames only are read (a REPLICATE is
 * never sent to a primary). Not thread-safe.
 */
final class PeerConnection implements AutoCloseable {
    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;

    PeerConnection(String address) {
        try {
            InetSocketAddress target = HostAndPort.parse(address);
            socket = new Socket(target.getHostString(), target.getPort());
            socket.setSoTimeout((int) ScriptedCluster.WAIT.toMillis());
            in = new DataInputStream(socket.getInputStream());
            out = socket.getOutputStream();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Says PEER_HELLO as {@code instanceId} and returns the holder's. */
    Frame.PeerHello hello(String instanceId) {
        send(new Frame.PeerHello(Protocol.VERSION, instanceId));
        return (Frame.PeerHello) read();
    }

    /** Hands a holder a record as a primary would, and returns its acknowledgement. */
    static Frame.ReplicateAck replicate(String address, String primaryId, StoredRecord record) {
        try (PeerConnection c = new PeerConnection(address)) {
            c.hello(primaryId);
            c.send(new Frame.Replicate(record.clientId(), record.epoch(), record.version(),
                    Unpooled.wrappedBuffer(record.data())));
            Frame ack = c.read();
            assertThat(ack).isInstanceOf(Frame.ReplicateAck.class);
            return (Frame.ReplicateAck) ack;
        }
    }

    /** Writes a frame; the codec releases it. */
    void send(Frame frame) {
        List<Object> bufs = new ArrayList<>();
        try {
            FrameCodec.encode(ByteBufAllocator.DEFAULT, frame, bufs);
            for (Object b : bufs) {
                out.write(ByteBufUtil.getBytes((ByteBuf) b));
            }
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            bufs.forEach(b -> ((ByteBuf) b).release());
            io.netty.util.ReferenceCountUtil.release(frame);
        }
    }

    /** Reads the next frame, or {@code null} when the holder closed the connection. */
    Frame read() {
        try {
            int length;
            try {
                length = in.readInt();
            } catch (java.io.EOFException closed) {
                return null;
            }
            byte[] body = new byte[length];
            in.readFully(body);
            ByteBuf buf = Unpooled.wrappedBuffer(body);
            try {
                Frame frame = FrameCodec.decode(buf);
                assertThat(frame).as("a control frame").isNotInstanceOf(Frame.PayloadFrame.class);
                return frame;
            } finally {
                buf.release();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            // closing
        }
    }
}
