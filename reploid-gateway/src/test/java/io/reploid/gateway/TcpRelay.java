package io.reploid.gateway;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP relay on 127.0.0.1 that an instance reaches its gateway through, so that a test can inject real
 * network faults into that link:
 *
 * <ul>
 *   <li>{@link #freeze()}: no byte moves either way, the connections stay open. To the gateway this is a
 *       hung process or a partitioned machine: silence, no FIN. Bytes sent meanwhile wait in the sockets.
 *   <li>{@link #resume()}: what waited is delivered, the gateway's bytes to the instance first (so an
 *       instance that was declared dead still reads the requests the gateway sent it, then the gateway's
 *       goodbye), then the instance's to the gateway.
 *   <li>{@link #reset()}: every connection is reset on both sides (RST, as when a process dies with
 *       unread data in its sockets) and new connections are refused: to both ends, the process is gone.
 * </ul>
 *
 * <p>Blocking I/O on daemon threads: one acceptor, two pumps per connection. Thread-safe.
 */
final class TcpRelay implements AutoCloseable {
    private static final int POLL_MILLIS = 20;

    private final ServerSocket server;
    private final int targetPort;
    private final List<Link> links = new CopyOnWriteArrayList<>();
    private final Object gate = new Object();
    private boolean frozen; // guarded by gate
    private long generation; // guarded by gate: grows with every resume
    private volatile boolean closed;

    /** A relay to {@code 127.0.0.1:targetPort}, listening on an ephemeral loopback port. */
    TcpRelay(int targetPort) throws IOException {
        this.targetPort = targetPort;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        daemon("relay-accept-" + server.getLocalPort(), this::accept).start();
    }

    /** The port instances connect to. */
    int port() {
        return server.getLocalPort();
    }

    /** Stops moving bytes; the connections stay open. */
    void freeze() {
        synchronized (gate) {
            frozen = true;
        }
    }

    /** Moves bytes again: first everything that waited for the instance, then what waited for the gateway. */
    void resume() {
        synchronized (gate) {
            frozen = false;
            generation++;
            gate.notifyAll();
        }
    }

    /** Resets every connection (RST both ways) and refuses new ones, for good. */
    void reset() {
        closed = true;
        closeQuietly(server);
        for (Link link : links) {
            link.reset();
        }
        synchronized (gate) {
            gate.notifyAll();
        }
    }

    @Override
    public void close() {
        reset();
    }

    private void accept() {
        while (!closed) {
            Socket instance;
            try {
                instance = server.accept();
            } catch (IOException e) {
                return; // closed
            }
            try {
                Socket gateway = new Socket();
                gateway.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), targetPort), 5000);
                instance.setTcpNoDelay(true);
                gateway.setTcpNoDelay(true);
                Link link;
                synchronized (gate) {
                    link = new Link(instance, gateway, generation);
                }
                links.add(link);
                if (closed) {
                    link.reset();
                    return;
                }
                link.start();
            } catch (IOException e) {
                closeQuietly(instance);
            }
        }
    }

    /** Blocks while frozen; a pump towards the gateway also waits until the other pump has caught up. */
    private void awaitOpen(Link link, boolean towardsGateway) throws IOException {
        synchronized (gate) {
            while (!closed && (frozen || towardsGateway && link.caughtUp < generation)) {
                try {
                    gate.wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted", e);
                }
            }
            if (closed) {
                throw new IOException("relay reset");
            }
        }
    }

    private void caughtUp(Link link) {
        synchronized (gate) {
            if (link.caughtUp < generation) {
                link.caughtUp = generation;
                gate.notifyAll();
            }
        }
    }

    /** One relayed connection. */
    private final class Link {
        private final Socket instance;
        private final Socket gateway;
        /** The generation up to which everything the gateway sent has been passed on (guarded by gate). */
        long caughtUp;
        private int open = 2; // pumps still running, guarded by this

        Link(Socket instance, Socket gateway, long generation) {
            this.instance = instance;
            this.gateway = gateway;
            this.caughtUp = generation;
        }

        void start() {
            daemon("relay-to-instance-" + instance.getPort(), () -> pump(gateway, instance, false)).start();
            daemon("relay-to-gateway-" + instance.getPort(), () -> pump(instance, gateway, true)).start();
        }

        /**
         * Copies bytes until the source ends. When the destination cannot take them any more (it closed),
         * the rest is read and dropped, so the source's last bytes are never lost to a reset.
         */
        private void pump(Socket from, Socket to, boolean towardsGateway) {
            byte[] buffer = new byte[16 * 1024];
            boolean discarding = false;
            try {
                InputStream in = from.getInputStream();
                OutputStream out = to.getOutputStream();
                if (!towardsGateway) {
                    from.setSoTimeout(POLL_MILLIS); // to notice soon after a resume that nothing is waiting
                }
                while (true) {
                    awaitOpen(this, towardsGateway);
                    if (!towardsGateway && in.available() == 0) {
                        caughtUp(this);
                    }
                    int n;
                    try {
                        n = in.read(buffer);
                    } catch (SocketTimeoutException idle) {
                        continue;
                    }
                    if (n < 0) {
                        break;
                    }
                    awaitOpen(this, towardsGateway);
                    if (!discarding) {
                        try {
                            out.write(buffer, 0, n);
                            out.flush();
                        } catch (IOException e) {
                            discarding = true;
                        }
                    }
                }
                try {
                    to.shutdownOutput();
                } catch (IOException e) {
                    // already closed
                }
            } catch (IOException e) {
                // reset, or the source failed
            } finally {
                if (!towardsGateway) { // nothing more will come from the gateway
                    synchronized (gate) {
                        caughtUp = Long.MAX_VALUE;
                        gate.notifyAll();
                    }
                }
                finished();
            }
        }

        private void finished() {
            boolean last;
            synchronized (this) {
                last = --open == 0;
            }
            if (last) {
                closeQuietly(instance);
                closeQuietly(gateway);
                links.remove(this);
            }
        }

        void reset() {
            for (Socket s : new Socket[] {instance, gateway}) {
                try {
                    s.setSoLinger(true, 0);
                } catch (IOException e) {
                    // closed already
                }
                closeQuietly(s);
            }
        }
    }

    private static Thread daemon(String name, Runnable task) {
        Thread t = new Thread(task, name);
        t.setDaemon(true);
        return t;
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception e) {
            // nothing to do
        }
    }
}
