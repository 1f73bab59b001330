package io.reploid.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.reploid.client.ReploidClient;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code gateway --autoscale ... --provisioner ...}: parsed, started, and its mistakes reported. */
class GatewayAutoscaleTest {
    private static final Duration PATIENCE = Duration.ofSeconds(60);
    private static final Pattern ADMIN = Pattern.compile("Admin: http://127\\.0\\.0\\.1:(\\d+)/");
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private static final String[] LOOPBACK = {"gateway", "--host", "127.0.0.1", "--client-port", "0",
            "--service-port", "0", "--admin-port", "0", "--pin-recovery-ms", "0", "--max-cpu", "-1", "--max-heap", "-1"};

    /** The examples' command line with its output captured, as {@code java -jar} runs it. */
    private static final class Cli {
        final CommandLine commandLine = Main.commandLine();
        final StringWriter out = new StringWriter();
        final StringWriter err = new StringWriter();

        Cli() {
            commandLine.setOut(new PrintWriter(out, true));
            commandLine.setErr(new PrintWriter(err, true));
        }

        int execute(String... extra) {
            List<String> args = new ArrayList<>(List.of(LOOPBACK));
            args.addAll(List.of(extra));
            return commandLine.execute(args.toArray(String[]::new));
        }

        GatewayCommand gateway() {
            return commandLine.getSubcommands().get("gateway").getCommand();
        }
    }

    private JsonNode admin(int port, String path) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
        return TestService.JSON.readTree(r.body());
    }

    private List<String> healthy(int port) throws Exception {
        List<String> ids = new ArrayList<>();
        for (JsonNode i : admin(port, "/api/cluster").get("instances")) {
            if (i.get("state").asText().equals("healthy")) {
                ids.add(i.get("id").asText());
            }
        }
        return ids;
    }

    @Test
    void anInprocessProvisionerStartsTheMinimumAndTheInstancesServe() throws Exception {
        Cli cli = new Cli();
        CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> cli.execute(
                "--autoscale", "min=2,max=4,target=0.7", "--provisioner", "inprocess",
                "--autoscale-interval-ms", "200", "--instance-capacity", "50"));
        try {
            Matcher m = ADMIN.matcher("");
            await().atMost(PATIENCE).until(() -> m.reset(cli.out.toString()).find() || exit.isDone());
            assertThat(exit).as(cli.err.toString()).isNotDone();
            int adminPort = Integer.parseInt(m.group(1));
            await().atMost(PATIENCE).ignoreExceptions().until(() -> healthy(adminPort).equals(List.of("auto-1", "auto-2")));

            JsonNode status = admin(adminPort, "/api/autoscaler");
            assertThat(status.get("enabled").asBoolean()).isTrue();
            assertThat(status.get("provisioner").asText()).isEqualTo("inprocess");
            assertThat(status.get("policy").asText()).startsWith("min=2,max=4,target=0.7,metric=clients");
            assertThat(status.get("intervalMillis").asLong()).isEqualTo(200);
            assertThat(admin(adminPort, "/api/cluster").get("instances").get(0).get("capacity").asInt()).isEqualTo(50);

            int clientPort = admin(adminPort, "/api/cluster").get("gateway").get("clientPort").asInt();
            try (ReploidClient client = ReploidClient.builder().clientId("autoscaled")
                    .gateway("127.0.0.1:" + clientPort).build()) {
                client.connect().orTimeout(30, TimeUnit.SECONDS).join();
                byte[] answer = client.request(TestRequest.of("whoami", null, null)).orTimeout(30, TimeUnit.SECONDS).join();
                assertThat(TestService.JSON.readTree(answer).get("instance").asText()).startsWith("auto-");
            }
        } finally {
            cli.gateway().stop();
        }
        assertThat(exit.get(60, TimeUnit.SECONDS)).as(cli.err.toString()).isZero();
        assertThat(cli.out.toString())
                .contains("Autoscaling: min=2,max=4,target=0.7 through inprocess (capacity 50), every 200 ms")
                .contains("Stopping gateway");
    }

    @Test
    void autoscaleAndProvisionerGoTogether() {
        Cli onlyPolicy = new Cli();
        assertThat(onlyPolicy.execute("--autoscale", "min=1,max=3")).isEqualTo(2);
        assertThat(onlyPolicy.err.toString()).contains("--autoscale needs --provisioner (inprocess, process or kubernetes:");

        Cli onlyProvisioner = new Cli();
        assertThat(onlyProvisioner.execute("--provisioner", "inprocess")).isEqualTo(2);
        assertThat(onlyProvisioner.err.toString()).contains("--provisioner needs --autoscale");
    }

    @Test
    void badSpecsAreRejectedBeforeAnythingStarts() {
        Cli badPolicy = new Cli();
        assertThat(badPolicy.execute("--autoscale", "min=5,max=2", "--provisioner", "inprocess")).isEqualTo(2);
        assertThat(badPolicy.err.toString()).contains("gateway: scaling spec min=5 is over max=2");

        Cli badProvisioner = new Cli();
        assertThat(badProvisioner.execute("--autoscale", "min=1", "--provisioner", "cloud")).isEqualTo(2);
        assertThat(badProvisioner.err.toString()).contains("--provisioner 'cloud' (expected: inprocess, process or");

        Cli badWorkload = new Cli();
        assertThat(badWorkload.execute("--autoscale", "min=1", "--provisioner", "kubernetes:games")).isEqualTo(2);
        assertThat(badWorkload.err.toString()).contains("gateway: ").contains("games");

        // Not run from the examples jar (tests run from classes): the process provisioner says so.
        Cli notAJar = new Cli();
        assertThat(notAJar.execute("--autoscale", "min=1", "--provisioner", "process")).isEqualTo(2);
        assertThat(notAJar.err.toString()).contains("not run from the examples jar");
    }
}
