package io.reploid.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.reploid.client.ReploidClient;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringReader;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class TestClientTest {
    private static ExampleCluster cluster;

    @BeforeAll
    static void start() {
        cluster = new ExampleCluster(2);
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    private static ExampleCluster.Run client(String... words) {
        String[] args = new String[words.length + 4];
        args[0] = "--gateway";
        args[1] = cluster.clientAddress();
        args[2] = "--id";
        args[3] = "test-client-a";
        System.arraycopy(words, 0, args, 4, words.length);
        return ExampleCluster.run(new TestClient(), args);
    }

    @Test
    void answersOnOneLineWithExitCodeZeroOrOne() throws Exception {
        ExampleCluster.Run first = client("incr", "k");
        ExampleCluster.Run second = client("incr", "k");
        assertThat(first.exitCode()).as(first.err()).isZero();
        JsonNode a = TestService.JSON.readTree(first.out());
        JsonNode b = TestService.JSON.readTree(second.out());
        assertThat(first.outLines()).hasSize(1);
        assertThat(a.get("value").longValue()).isEqualTo(1);
        assertThat(b.get("value").longValue()).isEqualTo(2);
        assertThat(b.get("instance")).isEqualTo(a.get("instance"));

        ExampleCluster.Run set = client("set", "greeting", "hello", "world");
        assertThat(TestService.JSON.readTree(set.out()).get("value").textValue()).isEqualTo("hello world");

        ExampleCluster.Run unknown = client("frobnicate");
        assertThat(unknown.exitCode()).isEqualTo(1);
        assertThat(TestService.JSON.readTree(unknown.out()).get("error").textValue()).contains("unknown op");

        ExampleCluster.Run raw = client("{\"op\":\"whoami\"}");
        assertThat(raw.exitCode()).isZero();
        assertThat(TestService.JSON.readTree(raw.out()).get("instance")).isEqualTo(a.get("instance"));
    }

    @Test
    void thePromptAnswersEveryLineUntilQuit() throws Exception {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        try (ReploidClient client = ReploidClient.builder().clientId("prompt-client")
                .gateway(cluster.clientAddress()).build()) {
            client.connect().get(30, TimeUnit.SECONDS);
            ClientPrompt prompt = new ClientPrompt(client, Duration.ofSeconds(10), new PrintWriter(out, true),
                    new PrintWriter(err, true));
            int code = prompt.run(new BufferedReader(new StringReader(
                    "incr x\n\nincr x\nset y 3 4\nget y\nget missing\nbogus\nhelp\nquit\nincr x\n")));
            assertThat(code).isZero();
        }
        List<String> lines = out.toString().lines().toList();
        assertThat(lines).hasSize(6);
        assertThat(TestService.JSON.readTree(lines.get(1)).get("value").longValue()).isEqualTo(2);
        assertThat(TestService.JSON.readTree(lines.get(3)).get("value").textValue()).isEqualTo("3 4");
        assertThat(TestService.JSON.readTree(lines.get(4)).get("value").isNull()).isTrue();
        assertThat(TestService.JSON.readTree(lines.get(5)).get("ok").booleanValue()).isFalse();
        assertThat(err.toString()).contains("Pinned to instance svc-", "incr KEY | get KEY");
    }

    @Test
    void exitsWithTwoAndSaysWhyWhenNoGatewayAnswers() throws IOException {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        ExampleCluster.Run run = ExampleCluster.run(new TestClient(), "--gateway", "127.0.0.1:" + port,
                "--id", "c", "--timeout", "2", "whoami");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).contains("client: cannot connect to 127.0.0.1:" + port);
    }
}
