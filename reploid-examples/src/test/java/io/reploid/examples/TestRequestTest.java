package io.reploid.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class TestRequestTest {

    private static String json(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    @Test
    void buildsRequestsFromWords() {
        assertThat(json(TestRequest.of("whoami", null, null))).isEqualTo("{\"op\":\"whoami\"}");
        assertThat(json(TestRequest.of("incr", "k", null))).isEqualTo("{\"op\":\"incr\",\"key\":\"k\"}");
        assertThat(json(TestRequest.of("set", "k", "5"))).isEqualTo("{\"op\":\"set\",\"key\":\"k\",\"value\":5}");
    }

    @Test
    void valueIsJsonWhenItParsesElseAString() {
        assertThat(TestRequest.value("5").isInt()).isTrue();
        assertThat(TestRequest.value("true").booleanValue()).isTrue();
        assertThat(TestRequest.value("null").isNull()).isTrue();
        assertThat(TestRequest.value("{\"a\":[1]}").toString()).isEqualTo("{\"a\":[1]}");
        assertThat(TestRequest.value("\"quoted\"").textValue()).isEqualTo("quoted");
        assertThat(TestRequest.value("hello").textValue()).isEqualTo("hello");
        assertThat(TestRequest.value("hello world").textValue()).isEqualTo("hello world");
        assertThat(TestRequest.value("{broken").textValue()).isEqualTo("{broken");
        assertThat(TestRequest.value("1 2").textValue()).isEqualTo("1 2");
        assertThat(TestRequest.value("").textValue()).isEqualTo("");
    }

    @Test
    void commandLineAndPromptWords() {
        assertThat(json(TestClient.request("{\"op\":\"whoami\"}", null, null))).isEqualTo("{\"op\":\"whoami\"}");
        assertThat(json(TestClient.request("{\"op\":", null, null))).isEqualTo("{\"op\":");
        assertThat(json(ClientPrompt.request("  set  k  hello   world "))).isEqualTo(
                "{\"op\":\"set\",\"key\":\"k\",\"value\":\"hello   world\"}");
        assertThat(json(ClientPrompt.request("incr k"))).isEqualTo("{\"op\":\"incr\",\"key\":\"k\"}");
        assertThat(json(ClientPrompt.request("{\"op\":\"get\", \"key\":\"k\"}")))
                .isEqualTo("{\"op\":\"get\", \"key\":\"k\"}");
    }

    @Test
    void readsOk() {
        assertThat(TestRequest.isOk("{\"ok\":true,\"instance\":\"a\"}".getBytes(StandardCharsets.UTF_8))).isTrue();
        assertThat(TestRequest.isOk("{\"ok\":false,\"error\":\"x\"}".getBytes(StandardCharsets.UTF_8))).isFalse();
        assertThat(TestRequest.isOk("garbage".getBytes(StandardCharsets.UTF_8))).isFalse();
        assertThat(TestRequest.isOk(new byte[0])).isFalse();
    }
}
