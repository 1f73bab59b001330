package io.reploid.examples;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Builds the JSON requests {@link TestService} understands from command-line words, and reads its
 * answers. Stateless and thread-safe.
 */
public final class TestRequest {
    private TestRequest() {
    }

    /**
     * The request for {@code op} with an optional key and value: {@code {"op":OP,"key":KEY,"value":VALUE}}.
     * {@code valueText} is taken as JSON when it parses as JSON ({@code 5}, {@code true}, {@code {"a":1}},
     * {@code "quoted"}) and as a string otherwise ({@code hello}).
     *
     * @param key       {@code null} for none
     * @param valueText {@code null} for none
     */
    public static byte[] of(String op, String key, String valueText) {
        requireNonNull(op, "op");
        ObjectNode request = TestService.JSON.createObjectNode().put("op", op);
        if (key != null) {
            request.put("key", key);
        }
        if (valueText != null) {
            request.set("value", value(valueText));
        }
        try {
            return TestService.JSON.writeValueAsBytes(request);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code text} as a JSON value when it is valid JSON, else as a JSON string. */
    public static JsonNode value(String text) {
        try {
            JsonNode parsed = TestService.JSON.readTree(text);
            if (parsed != null && !parsed.isMissingNode()) {
                return parsed;
            }
        } catch (JsonProcessingException e) {
            // not JSON: a plain string
        }
        return TextNode.valueOf(text);
    }

    /** Whether an answer of the service says {@code "ok":true}; {@code false} for anything unreadable. */
    public static boolean isOk(byte[] answer) {
        try {
            JsonNode root = TestService.JSON.readTree(answer);
            return root != null && root.path("ok").asBoolean(false);
        } catch (IOException e) {
            return false;
        }
    }
}
