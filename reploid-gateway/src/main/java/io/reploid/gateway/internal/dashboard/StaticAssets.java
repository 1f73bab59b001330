package io.reploid.gateway.internal.dashboard;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * The dashboard's page and scripts, packaged under {@code io/reploid/gateway/dashboard/}. They are read
 * into memory once, when the dashboard is created, so serving them never touches the disk on an event
 * loop. Immutable and thread-safe.
 */
final class StaticAssets {
    static final String ROOT = "io/reploid/gateway/dashboard/";
    static final List<String> NAMES = List.of("index.html", "app.css", "app.js", "feed.js", "panels.js",
            "charts.js", "topology.js", "format.js", "favicon.svg");
    private static final String CSP = "default-src 'self'; img-src 'self' data:; style-src 'self'; "
            + "script-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private record Asset(byte[] bytes, String contentType, String etag) {
    }

    private final Map<String, Asset> assets = new HashMap<>();

    StaticAssets() {
        ClassLoader loader = StaticAssets.class.getClassLoader();
        for (String name : NAMES) {
            try (InputStream in = loader.getResourceAsStream(ROOT + name)) {
                if (in == null) {
                    throw new IllegalStateException("dashboard asset " + ROOT + name + " is missing from the jar");
                }
                byte[] bytes = in.readAllBytes();
                assets.put(name, new Asset(bytes, contentType(name), etag(bytes)));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read dashboard asset " + name, e);
            }
        }
    }

    /** The response for an asset, {@code 304} when {@code ifNoneMatch} names it, or {@code null} if unknown. */
    FullHttpResponse response(String name, String ifNoneMatch) {
        Asset a = assets.get(name);
        if (a == null) {
            return null;
        }
        FullHttpResponse r;
        if (a.etag().equals(ifNoneMatch)) {
            r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.NOT_MODIFIED);
            r.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, 0);
        } else {
            r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK, Unpooled.wrappedBuffer(a.bytes()));
            r.headers().set(HttpHeaderNames.CONTENT_TYPE, a.contentType());
            r.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, a.bytes().length);
        }
        r.headers().set(HttpHeaderNames.ETAG, a.etag());
        r.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-cache");
        r.headers().set("X-Content-Type-Options", "nosniff");
        if (name.endsWith(".html")) {
            r.headers().set("Content-Security-Policy", CSP);
            r.headers().set("Referrer-Policy", "no-referrer");
        }
        return r;
    }

    private static String contentType(String name) {
        if (name.endsWith(".html")) {
            return "text/html; charset=utf-8";
        } else if (name.endsWith(".js")) {
            return "text/javascript; charset=utf-8";
        } else if (name.endsWith(".css")) {
            return "text/css; charset=utf-8";
        } else if (name.endsWith(".svg")) {
            return "image/svg+xml";
        }
        return "application/octet-stream";
    }

    private static String etag(byte[] bytes) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(bytes);
            return '"' + HexFormat.of().formatHex(digest, 0, 12) + '"';
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
