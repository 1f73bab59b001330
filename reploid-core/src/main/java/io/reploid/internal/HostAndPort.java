package io.reploid.internal;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/** Parses {@code host:port} and comma-separated lists of them. Stateless and thread-safe. */
public final class HostAndPort {
    private HostAndPort() {
    }

    /**
     * Parses {@code host:port} ({@code [::1]:7400} for IPv6) into an unresolved address.
     *
     * @throws IllegalArgumentException with a message that quotes the input
     */
    public static InetSocketAddress parse(String s) {
        String t = s == null ? "" : s.strip();
        int colon = t.lastIndexOf(':');
        if (colon <= 0 || colon == t.length() - 1) {
            throw new IllegalArgumentException("address '" + s + "' is not host:port");
        }
        String host = t.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port;
        try {
            port = Integer.parseInt(t.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("address '" + s + "' has a bad port");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("address '" + s + "' has port " + port + " (expected: 1 to 65535)");
        }
        return InetSocketAddress.createUnresolved(host, port);
    }

    /** Parses a comma-separated list of {@code host:port}. */
    public static List<InetSocketAddress> parseList(String s) {
        List<InetSocketAddress> out = new ArrayList<>();
        for (String part : (s == null ? "" : s).split(",")) {
            if (!part.isBlank()) {
                out.add(parse(part));
            }
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("no address in '" + s + "' (expected: host:port[,host:port...])");
        }
        return out;
    }

    /** {@code host:port} of an address, without a resolved IP prefix. */
    public static String format(InetSocketAddress a) {
        String host = a.getHostString();
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + a.getPort();
    }
}
