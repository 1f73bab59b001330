package io.reploid.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.reploid.directory.GatewayMember;
import io.reploid.gateway.ReploidGateway;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class GatewayCommandTest {

    private static GatewayCommand parse(String... args) {
        GatewayCommand command = new GatewayCommand();
        new CommandLine(command).parseArgs(args);
        return command;
    }

    @Test
    void peersAndDirectoryExcludeEachOther() {
        ExampleCluster.Run run = ExampleCluster.run(new GatewayCommand(), "--peers", "127.0.0.1:7501",
                "--directory", "jdbc:postgresql://127.0.0.1:5432/app");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("--peers and --directory exclude each other");
    }

    @Test
    void badAddressesAndDirectoriesAreRejectedBeforeAnythingStarts() {
        ExampleCluster.Run peer = ExampleCluster.run(new GatewayCommand(), "--peers", "127.0.0.1:7501,nowhere");
        assertThat(peer.exitCode()).isEqualTo(2);
        assertThat(peer.err()).contains("address 'nowhere' is not host:port");

        ExampleCluster.Run advertise = ExampleCluster.run(new GatewayCommand(), "--advertise", "gw-1:0");
        assertThat(advertise.exitCode()).isEqualTo(2);
        assertThat(advertise.err()).contains("address 'gw-1:0' has port 0");

        ExampleCluster.Run directory = ExampleCluster.run(new GatewayCommand(), "--directory", "postgres://db/app");
        assertThat(directory.exitCode()).isEqualTo(2);
        assertThat(directory.err()).contains("--directory 'postgres://db/app' is not a JDBC URL");
    }

    @Test
    void theDirectoryIsDescribedWithoutItsPassword() {
        assertThat(parse().directoryDescription()).startsWith("embedded (no peers given");
        assertThat(parse("--peers", "10.0.0.1:7401,10.0.0.2:7401").directoryDescription())
                .isEqualTo("embedded, linked to the gateways at 10.0.0.1:7401, 10.0.0.2:7401");
        assertThat(parse("--directory", "jdbc:postgresql://db:5432/app?user=app&password=s3cret&ssl=true")
                .directoryDescription())
                .isEqualTo("PostgreSQL at jdbc:postgresql://db:5432/app?user=app&password=***&ssl=true");
    }

    @Test
    void aGatewayGivenAPeerLinksWithIt() {
        String[] common = {"--host", "127.0.0.1", "--client-port", "0", "--service-port", "0", "--admin-port", "0",
                "--pin-recovery-ms", "0"};
        try (ReploidGateway first = parse(common).builder().gatewayId("first").build().start();
             ReploidGateway second = parse(with(common, "--id", "second", "--peers",
                     "127.0.0.1:" + first.servicePort())).builder().build().start()) {
            await().atMost(Duration.ofSeconds(30)).until(() ->
                    first.gateways().stream().filter(GatewayMember::live).count() == 2
                            && second.gateways().stream().filter(GatewayMember::live).count() == 2);
            assertThat(second.gateways()).extracting(GatewayMember::gatewayId).containsExactly("first", "second");
        }
    }

    private static String[] with(String[] args, String... more) {
        String[] out = java.util.Arrays.copyOf(args, args.length + more.length);
        System.arraycopy(more, 0, out, args.length, more.length);
        return out;
    }
}
