package io.reploid.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Reads a gateway's admin API as JSON. Thread-safe. */
final class Admin {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    private Admin() {
    }

    /** {@code GET path}, which must answer 200. */
    static JsonNode get(ReploidGateway gateway, String path) {
        try {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + gateway.adminPort() + path)).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                throw new IllegalStateException("GET " + path + ": HTTP " + r.statusCode() + " " + r.body());
            }
            return JSON.readTree(r.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The gateway's events of a type, oldest first. */
    static List<JsonNode> events(ReploidGateway gateway, String type) {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode e : get(gateway, "/api/events").get("events")) {
            if (e.get("type").asText().equals(type)) {
                out.add(e);
            }
        }
        return out;
    }

    /** The instance ids of a type's events, oldest first. */
    static List<String> eventInstances(ReploidGateway gateway, String type) {
        return events(gateway, type).stream().map(e -> e.get("instance").asText()).toList();
    }
}
