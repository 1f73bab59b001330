package io.reploid.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class LoadClientTest {

    private static long value(String answer) {
        return LoadClient.counterValue(answer.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void readsTheServicesLayoutDirectly() {
        assertThat(value("{\"ok\":true,\"value\":1,\"instance\":\"svc-1\"}")).isEqualTo(1);
        assertThat(value("{\"ok\":true,\"value\":1234567,\"instance\":\"a\"}")).isEqualTo(1234567);
        assertThat(value("{\"ok\":true,\"value\":42}")).isEqualTo(42);
    }

    @Test
    void readsOtherLayoutsWithJackson() {
        assertThat(value("{\"value\":7,\"ok\":true}")).isEqualTo(7);
        assertThat(value("{ \"ok\" : true, \"value\" : 8 }")).isEqualTo(8);
        assertThat(value("{\"ok\":true,\"value\":-3,\"instance\":\"a\"}")).isEqualTo(-3);
        assertThat(value("{\"ok\":true,\"value\":" + Long.MAX_VALUE + ",\"instance\":\"a\"}")).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void anythingElseIsNotOk() {
        assertThat(value("{\"ok\":false,\"error\":\"unknown op\"}")).isEqualTo(LoadClient.NOT_OK);
        assertThat(value("{\"ok\":true,\"value\":null,\"instance\":\"a\"}")).isEqualTo(LoadClient.NOT_OK);
        assertThat(value("{\"ok\":true,\"value\":1.5,\"instance\":\"a\"}")).isEqualTo(LoadClient.NOT_OK);
        assertThat(value("{\"ok\":true,\"value\":\"1\",\"instance\":\"a\"}")).isEqualTo(LoadClient.NOT_OK);
        assertThat(value("{\"ok\":true,\"value\":12")).isEqualTo(LoadClient.NOT_OK);
        assertThat(value("{\"ok\":true,\"instance\":\"a\"}")).isEqualTo(LoadClient.NOT_OK);
        assertThat(value("")).isEqualTo(LoadClient.NOT_OK);
        assertThat(value("garbage")).isEqualTo(LoadClient.NOT_OK);
    }
}
