package io.reploid.examples;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.reploid.gateway.ReploidGateway;
import io.reploid.internal.protocol.Frame;
import io.reploid.internal.protocol.FrameCodec;
import io.reploid.internal.protocol.Protocol;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Measures the gateway's heap per pinned client: starts a gateway in this JVM, has one instance
 * announce {@code --pins} clients over a real connection on loopback, and compares the heap after full
 * collections before and after. Prints one JSON line. A command object is used by one thread.
 */
@Command(name = "pin-memory", mixinStandardHelpOptions = true,
        description = "Measure the gateway heap per pinned client (in-process gateway, loopback only).")
public final class PinMemoryCommand implements Callable<Integer> {

    @Option(names = "--pins", defaultValue = "100000", description = "Pins to create (default ${DEFAULT-VALUE}).")
    int pins;

    @Option(names = "--id-length", defaultValue = "16", description = "Client id length in characters (default ${DEFAULT-VALUE}).")
    int idLength;

    @Override
    public Integer call() throws Exception {
        try (ReploidGateway gateway = ReploidGateway.builder().host("127.0.0.1").clientPort(0).servicePort(0)
                .adminPort(0).heartbeatInterval(Duration.ofSeconds(60)).suspectTimeout(Duration.ofMinutes(5))
                .build().start();
             Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", gateway.servicePort()), 5000);
            socket.setSoTimeout(60_000);
            OutputStream out = socket.getOutputStream();
            DataInputStream in = new DataInputStream(socket.getInputStream());
            send(out, new Frame.Register(Protocol.VERSION, "pin-memory", "", Integer.MAX_VALUE, 1, Map.of()));
            in.readFully(new byte[in.readInt()]); // REGISTERED

            long before = settledHeap();
            List<Frame.HeldClient> batch = new ArrayList<>();
            for (int i = 0; i < pins; i++) {
                batch.add(new Frame.HeldClient(clientId(i), 1_000 + i));
                if (batch.size() == Protocol.MAX_ANNOUNCE_ENTRIES || i == pins - 1) {
                    send(out, new Frame.Announce(List.copyOf(batch)));
                    batch.clear();
                }
            }
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (gateway.pinCount() < pins) {
                if (System.nanoTime() > deadline) {
                    System.err.println("only " + gateway.pinCount() + " of " + pins + " pins after 60 s");
                    return 1;
                }
                Thread.onSpinWait();
            }
            long after = settledHeap();
            double perPin = (double) (after - before) / pins;
            System.out.printf("%d pins (client ids of %d chars): heap %,d -> %,d bytes, %.1f bytes per pin%n",
                    pins, idLength, before, after, perPin);
            System.out.printf("{\"pins\":%d,\"idLength\":%d,\"heapBefore\":%d,\"heapAfter\":%d,\"bytesPerPin\":%.1f}%n",
                    pins, idLength, before, after, perPin);
            return 0;
        }
    }

    private String clientId(int i) {
        String digits = Integer.toString(i);
        StringBuilder sb = new StringBuilder("c");
        while (sb.length() + digits.length() < idLength) {
            sb.append('0');
        }
        return sb.append(digits).toString();
    }

    private static void send(OutputStream out, Frame frame) throws IOException {
        List<Object> parts = new ArrayList<>();
        FrameCodec.encode(ByteBufAllocator.DEFAULT, frame, parts);
        for (Object o : parts) {
            ByteBuf b = (ByteBuf) o;
            try {
                byte[] bytes = new byte[b.readableBytes()];
                b.readBytes(bytes);
                out.write(bytes);
            } finally {
                b.release();
            }
        }
        out.flush();
    }

    /** Heap in use after full collections, once it stops shrinking. */
    private static long settledHeap() {
        long last = Long.MAX_VALUE;
        for (int i = 0; i < 10; i++) {
            System.gc();
            long used = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
            if (Math.abs(last - used) < 64 * 1024) {
                return used;
            }
            last = used;
        }
        return last;
    }
}
