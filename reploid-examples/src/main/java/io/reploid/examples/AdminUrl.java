package io.reploid.examples;

/** The admin API's base URL as printed by the commands. Stateless and thread-safe. */
final class AdminUrl {
    private AdminUrl() {
    }

    /** {@code http://HOST:PORT/}; a wildcard bind address is shown as {@code 127.0.0.1}. */
    static String of(String adminHost, int port) {
        String host = adminHost.equals("0.0.0.0") || adminHost.equals("::") ? "127.0.0.1" : adminHost;
        if (host.indexOf(':') >= 0) {
            host = "[" + host + "]";
        }
        return "http://" + host + ":" + port + "/";
    }
}
