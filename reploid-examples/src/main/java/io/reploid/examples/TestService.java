package io.reploid.examples;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.reploid.service.ClientSession;
import io.reploid.service.ServiceHandler;
import io.reploid.state.StateCodec;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The example service: a key/value store and counters of each client's own, spoken in JSON.
 *
 * <table>
 *   <caption>Requests and answers</caption>
 *   <tr><th>request</th><th>answer</th></tr>
 *   <tr><td>{@code {"op":"incr","key":"k"}}</td>
 *       <td>{@code {"ok":true,"value":N,"instance":"ID"}}: the counter after adding 1 (a missing key counts
 *       as 0, so the first {@code incr} answers 1)</td></tr>
 *   <tr><td>{@code {"op":"get","key":"k"}}</td>
 *       <td>{@code {"ok":true,"value":V,"instance":"ID"}}: the stored value, {@code null} when the key is
 *       missing (not 0: a counter never incremented reads as {@code null})</td></tr>
 *   <tr><td>{@code {"op":"set","key":"k","value":V}}</td>
 *       <td>{@code {"ok":true,"value":V,"instance":"ID"}}: stores any JSON value; {@code null} removes the
 *       key</td></tr>
 *   <tr><td>{@code {"op":"whoami"}}</td><td>{@code {"ok":true,"instance":"ID"}}</td></tr>
 * </table>
 *
 * <p>Every bad request is answered with {@code {"ok":false,"error":"..."}} and changes nothing: malformed
 * JSON, not an object, a missing or unknown {@code op}, a missing or non-string {@code key}, {@code set}
 * without {@code value}, {@code incr} of a key that holds something other than an integer or would
 * overflow, a key longer than {@value #MAX_KEY_LENGTH} characters, or a new key beyond
 * {@value #MAX_KEYS} per client. Extra fields are ignored.
 *
 * <p>A client's {@link State} is plain Jackson-serialisable data, and {@link #stateCodec()} says so, so
 * the runtime can persist, replicate or move it.
 *
 * <p>Thread-safe: the handler has no mutable fields; a client's state is touched only by its own calls,
 * which the runtime runs one at a time.
 */
public final class TestService implements ServiceHandler<TestService.State> {
    /** Most keys one client may hold. */
    public static final int MAX_KEYS = 1_000;
    /** Longest key, in characters. */
    public static final int MAX_KEY_LENGTH = 256;

    static final ObjectMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .build();

    private final String instanceId;

    /** A service that names itself {@code instanceId} in its answers. */
    public TestService(String instanceId) {
        this.instanceId = requireNonNull(instanceId, "instanceId");
    }

    @Override
    public State newState(ClientSession<State> session) {
        return new State();
    }

    @Override
    public StateCodec<State> stateCodec() {
        return StateCodec.json(State.class);
    }

    @Override
    public byte[] onRequest(ClientSession<State> session, byte[] request) throws IOException {
        return JSON.writeValueAsBytes(answer(session.state(), request));
    }

    /** The answer to one request against {@code state}; never throws. */
    ObjectNode answer(State state, byte[] request) {
        JsonNode root;
        try {
            root = JSON.readTree(request);
        } catch (JsonProcessingException e) {
            return error("malformed JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            return error("unreadable request: " + e.getMessage());
        }
        if (root == null || root.isMissingNode()) {
            return error("empty request (expected: a JSON object such as {\"op\":\"whoami\"})");
        }
        if (!root.isObject()) {
            return error("request is a JSON " + root.getNodeType().name().toLowerCase(Locale.ROOT)
                    + " (expected: an object such as {\"op\":\"whoami\"})");
        }
        JsonNode op = root.get("op");
        if (op == null || op.isNull()) {
            return error("missing \"op\" (expected: incr, get, set or whoami)");
        }
        if (!op.isTextual()) {
            return error("\"op\" is not a string (expected: incr, get, set or whoami)");
        }
        switch (op.textValue()) {
            case "whoami":
                return ok();
            case "incr":
            case "get":
            case "set":
                return keyed(state, op.textValue(), root);
            default:
                return error("unknown op '" + op.textValue() + "' (expected: incr, get, set or whoami)");
        }
    }

    private ObjectNode keyed(State state, String op, JsonNode root) {
        JsonNode keyNode = root.get("key");
        if (keyNode == null || keyNode.isNull()) {
            return error("op '" + op + "' needs a \"key\"");
        }
        if (!keyNode.isTextual()) {
            return error("\"key\" is not a string");
        }
        String key = keyNode.textValue();
        if (key.length() > MAX_KEY_LENGTH) {
            return error("key is " + key.length() + " characters (expected: at most " + MAX_KEY_LENGTH + ")");
        }
        Map<String, JsonNode> values = state.getValues();
        switch (op) {
            case "get":
                return ok(values.get(key));
            case "incr":
                return incr(values, key);
            default:
                return set(values, key, root.get("value"));
        }
    }

    private ObjectNode incr(Map<String, JsonNode> values, String key) {
        JsonNode current = values.get(key);
        long next;
        if (current == null) {
            if (values.size() >= MAX_KEYS) {
                return tooManyKeys();
            }
            next = 1;
        } else if (current.isIntegralNumber() && current.canConvertToLong()) {
            if (current.longValue() == Long.MAX_VALUE) {
                return error("counter '" + key + "' would overflow");
            }
            next = current.longValue() + 1;
        } else {
            return error("key '" + key + "' holds a " + current.getNodeType().name().toLowerCase(Locale.ROOT)
                    + ", not an integer");
        }
        // The node Jackson would read back from the JSON text, so that a decoded state equals this one.
        JsonNode node = next <= Integer.MAX_VALUE ? IntNode.valueOf((int) next) : LongNode.valueOf(next);
        values.put(key, node);
        return ok(node);
    }

    private ObjectNode set(Map<String, JsonNode> values, String key, JsonNode value) {
        if (value == null) {
            return error("op 'set' needs a \"value\"");
        }
        if (value.isNull()) {
            values.remove(key);
        } else {
            if (!values.containsKey(key) && values.size() >= MAX_KEYS) {
                return tooManyKeys();
            }
            values.put(key, value);
        }
        return ok(value);
    }

    private ObjectNode ok() {
        return JSON.createObjectNode().put("ok", true).put("instance", instanceId);
    }

    /** {@code {"ok":true,"value":V,"instance":"ID"}}, in this order (the load tool reads it fast). */
    private ObjectNode ok(JsonNode value) {
        ObjectNode answer = JSON.createObjectNode().put("ok", true);
        answer.set("value", value == null ? NullNode.getInstance() : value);
        return answer.put("instance", instanceId);
    }

    private static ObjectNode tooManyKeys() {
        return error("too many keys (expected: at most " + MAX_KEYS + " per client)");
    }

    private static ObjectNode error(String message) {
        return JSON.createObjectNode().put("ok", false).put("error", message);
    }

    @Override
    public String toString() {
        return "TestService{" + instanceId + "}";
    }

    /**
     * One client's data: its keys and their JSON values (counters are integers). Jackson-serialisable.
     * Not thread-safe; the runtime uses it from one call at a time.
     */
    public static final class State {
        private Map<String, JsonNode> values = new LinkedHashMap<>();

        /** The client's keys and values, in insertion order; mutable. */
        public Map<String, JsonNode> getValues() {
            return values;
        }

        /** Replaces the keys and values (with a copy). */
        public void setValues(Map<String, JsonNode> values) {
            this.values = values == null ? new LinkedHashMap<>() : new LinkedHashMap<>(values);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof State && ((State) o).values.equals(values);
        }

        @Override
        public int hashCode() {
            return values.hashCode();
        }

        @Override
        public String toString() {
            return "State" + values;
        }
    }
}
