package io.reploid.internal;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;

/**
 * Chooses native epoll where it is available (Linux x86_64 with the native library on the classpath)
 * and NIO everywhere else. Set {@code -Dreploid.transport=nio} to force NIO. Thread-safe.
 */
public final class Transports {
    private static final boolean EPOLL = !"nio".equalsIgnoreCase(System.getProperty("reploid.transport"))
            && Epoll.isAvailable();

    private Transports() {
    }

    /** {@code "epoll"} or {@code "nio"}. */
    public static String name() {
        return EPOLL ? "epoll" : "nio";
    }

    /** A new event loop group of daemon threads named {@code name-N}; {@code threads} 0 means Netty's default. */
    public static EventLoopGroup newGroup(int threads, String name) {
        IoHandlerFactory factory = EPOLL ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        return new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory(name, true), factory);
    }

    public static Class<? extends ServerChannel> serverChannel() {
        return EPOLL ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
    }

    public static Class<? extends SocketChannel> socketChannel() {
        return EPOLL ? EpollSocketChannel.class : NioSocketChannel.class;
    }
}
