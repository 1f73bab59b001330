package io.reploid.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.reploid.state.StateCodec;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class TestServiceTest {
    private final TestService service = new TestService("svc-1");
    private final TestService.State state = new TestService.State();

    private JsonNode call(String request) {
        return service.answer(state, request.getBytes(StandardCharsets.UTF_8));
    }

    private static void assertError(JsonNode answer, String messagePart) {
        assertThat(answer.get("ok").booleanValue()).isFalse();
        assertThat(answer.get("error").textValue()).contains(messagePart);
        assertThat(answer.size()).isEqualTo(2);
    }

    @Test
    void incrCountsFromOneAndAnswersInAFixedLayout() throws Exception {
        assertThat(call("{\"op\":\"incr\",\"key\":\"k\"}").toString())
                .isEqualTo("{\"ok\":true,\"value\":1,\"instance\":\"svc-1\"}");
        assertThat(call("{\"op\":\"incr\",\"key\":\"k\"}").get("value").longValue()).isEqualTo(2);
        assertThat(call("{\"op\":\"incr\",\"key\":\"other\"}").get("value").longValue()).isEqualTo(1);
        byte[] raw = TestService.JSON.writeValueAsBytes(call("{\"op\":\"incr\",\"key\":\"k\"}"));
        assertThat(new String(raw, StandardCharsets.UTF_8)).isEqualTo("{\"ok\":true,\"value\":3,\"instance\":\"svc-1\"}");
    }

    @Test
    void getAnswersNullForAMissingKey() {
        assertThat(call("{\"op\":\"get\",\"key\":\"nope\"}").toString())
                .isEqualTo("{\"ok\":true,\"value\":null,\"instance\":\"svc-1\"}");
        call("{\"op\":\"incr\",\"key\":\"k\"}");
        assertThat(call("{\"op\":\"get\",\"key\":\"k\"}").get("value").longValue()).isEqualTo(1);
    }

    @Test
    void setStoresAnyJsonValueAndNullRemoves() {
        assertThat(call("{\"op\":\"set\",\"key\":\"k\",\"value\":{\"a\":[1,2]}}").toString())
                .isEqualTo("{\"ok\":true,\"value\":{\"a\":[1,2]},\"instance\":\"svc-1\"}");
        assertThat(call("{\"op\":\"get\",\"key\":\"k\"}").get("value").toString()).isEqualTo("{\"a\":[1,2]}");
        call("{\"op\":\"set\",\"key\":\"n\",\"value\":41}");
        assertThat(call("{\"op\":\"incr\",\"key\":\"n\"}").get("value").longValue()).isEqualTo(42);
        call("{\"op\":\"set\",\"key\":\"k\",\"value\":null}");
        assertThat(state.getValues()).containsOnlyKeys("n");
    }

    @Test
    void whoamiNamesTheInstanceAndIgnoresExtraFields() {
        assertThat(call("{\"op\":\"whoami\"}").toString()).isEqualTo("{\"ok\":true,\"instance\":\"svc-1\"}");
        assertThat(call("{\"op\":\"whoami\",\"key\":\"x\",\"extra\":1}").toString())
                .isEqualTo("{\"ok\":true,\"instance\":\"svc-1\"}");
    }

    @Test
    void malformedJson() {
        assertError(call("{\"op\":"), "malformed JSON");
        assertError(call("not json"), "malformed JSON");
        assertError(call("{\"op\":\"whoami\"} trailing"), "malformed JSON");
        assertError(call("{\"op\":\"whoami\",\"op\":\"incr\"}"), "malformed JSON");
        assertError(service.answer(state, new byte[] {(byte) 0xff, (byte) 0xfe}), "malformed JSON");
    }

    @Test
    void emptyOrNotAnObject() {
        assertError(call(""), "empty request");
        assertError(call("   "), "empty request");
        assertError(call("[1,2]"), "request is a JSON array");
        assertError(call("\"incr\""), "request is a JSON string");
        assertError(call("null"), "request is a JSON null");
    }

    @Test
    void missingOrBadOp() {
        assertError(call("{}"), "missing \"op\"");
        assertError(call("{\"op\":null}"), "missing \"op\"");
        assertError(call("{\"op\":5}"), "\"op\" is not a string");
        assertError(call("{\"op\":\"delete\",\"key\":\"k\"}"), "unknown op 'delete'");
    }

    @Test
    void missingOrBadKey() {
        for (String op : new String[] {"incr", "get", "set"}) {
            assertError(call("{\"op\":\"" + op + "\"}"), "op '" + op + "' needs a \"key\"");
            assertError(call("{\"op\":\"" + op + "\",\"key\":null}"), "needs a \"key\"");
            assertError(call("{\"op\":\"" + op + "\",\"key\":7,\"value\":1}"), "\"key\" is not a string");
        }
        assertError(call("{\"op\":\"incr\",\"key\":\"" + "x".repeat(TestService.MAX_KEY_LENGTH + 1) + "\"}"),
                "characters (expected: at most " + TestService.MAX_KEY_LENGTH + ")");
    }

    @Test
    void setWithoutValue() {
        assertError(call("{\"op\":\"set\",\"key\":\"k\"}"), "op 'set' needs a \"value\"");
        assertThat(state.getValues()).isEmpty();
    }

    @Test
    void incrOfSomethingElseThanAnIntegerChangesNothing() {
        call("{\"op\":\"set\",\"key\":\"s\",\"value\":\"text\"}");
        call("{\"op\":\"set\",\"key\":\"f\",\"value\":1.5}");
        call("{\"op\":\"set\",\"key\":\"big\",\"value\":" + Long.MAX_VALUE + "}");
        call("{\"op\":\"set\",\"key\":\"huge\",\"value\":123456789012345678901234567890}");
        assertError(call("{\"op\":\"incr\",\"key\":\"s\"}"), "key 's' holds a string, not an integer");
        assertError(call("{\"op\":\"incr\",\"key\":\"f\"}"), "holds a number, not an integer");
        assertError(call("{\"op\":\"incr\",\"key\":\"big\"}"), "counter 'big' would overflow");
        assertError(call("{\"op\":\"incr\",\"key\":\"huge\"}"), "not an integer");
        assertThat(call("{\"op\":\"get\",\"key\":\"s\"}").get("value").textValue()).isEqualTo("text");
    }

    @Test
    void keysPerClientAreBounded() {
        for (int i = 0; i < TestService.MAX_KEYS; i++) {
            assertThat(call("{\"op\":\"incr\",\"key\":\"k" + i + "\"}").get("ok").booleanValue()).isTrue();
        }
        assertError(call("{\"op\":\"incr\",\"key\":\"one-more\"}"), "too many keys");
        assertError(call("{\"op\":\"set\",\"key\":\"one-more\",\"value\":1}"), "too many keys");
        assertThat(call("{\"op\":\"set\",\"key\":\"k0\",\"value\":1}").get("ok").booleanValue()).isTrue();
        assertThat(call("{\"op\":\"incr\",\"key\":\"k1\"}").get("value").longValue()).isEqualTo(2);
    }

    @Test
    void stateRoundTripsThroughItsCodec() throws Exception {
        call("{\"op\":\"incr\",\"key\":\"c\"}");
        call("{\"op\":\"set\",\"key\":\"o\",\"value\":{\"nested\":[true,null,\"x\"]}}");
        StateCodec<TestService.State> codec = service.stateCodec();
        TestService.State copy = codec.decode(codec.encode(state));
        assertThat(copy).isEqualTo(state);
        assertThat(new String(codec.encode(state), StandardCharsets.UTF_8))
                .isEqualTo("{\"values\":{\"c\":1,\"o\":{\"nested\":[true,null,\"x\"]}}}");
        assertThat(service.answer(copy, "{\"op\":\"incr\",\"key\":\"c\"}".getBytes(StandardCharsets.UTF_8))
                .get("value").longValue()).isEqualTo(2);
    }
}
