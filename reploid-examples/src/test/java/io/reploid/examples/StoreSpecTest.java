package io.reploid.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.reploid.state.StateStore;
import io.reploid.state.StoredRecord;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code service --store} and the settings {@code service} refuses before it starts. */
class StoreSpecTest {
    @TempDir
    Path dir;

    @Test
    void opensAMemoryOrAFileStore() throws Exception {
        try (StateStore memory = StoreSpec.open("memory")) {
            assertThat(memory.toString()).isEqualTo("memory state store");
        }
        StoredRecord r = new StoredRecord("alice", 1, 1, "x".getBytes(StandardCharsets.UTF_8));
        try (StateStore file = StoreSpec.open("file:" + dir)) {
            file.write(r);
        }
        try (StateStore again = StoreSpec.open(" file:" + dir + " ")) {
            assertThat(again.load("alice")).hasValueSatisfying(s -> assertThat(s.data()).isEqualTo(r.data()));
        }
    }

    @Test
    void refusesAnythingElseAndNamesTheForms() {
        assertThatThrownBy(() -> StoreSpec.open("redis://x")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("store: 'redis://x' (expected: " + StoreSpec.FORMS + ")");
        assertThatThrownBy(() -> StoreSpec.open("file:")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void anUnreachableDatabaseIsReportedWithoutItsPassword() throws IOException {
        int port;
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = free.getLocalPort();
        }
        String url = "jdbc:postgresql://127.0.0.1:" + port + "/app?user=app&password=secret";
        assertThatThrownBy(() -> StoreSpec.open(url)).isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("store: cannot open: ")
                .hasMessageContaining("127.0.0.1:" + port)
                .hasMessageNotContaining("secret");
    }

    @Test
    void serviceRefusesBadPersistenceSettingsWithOneLine() {
        assertThat(service("--persistence", "sometimes")).startsWith("service: persistence: 'sometimes'");
        assertThat(service("--persistence", "write-through")).contains("needs a state store");
        assertThat(service("--store", "nowhere")).startsWith("service: store: 'nowhere'");
        assertThat(service("--store", "memory")).contains("a state store is set but persistence is none");
        assertThat(service("--persistence", "write-through", "--peer-port", "7500", "--store", "memory"))
                .contains("peerPort is set but persistence is write-through");
    }

    /** Runs {@code service} with settings it must refuse before connecting; returns what it printed. */
    private static String service(String... settings) {
        StringWriter err = new StringWriter();
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(new StringWriter(), true));
        cl.setErr(new PrintWriter(err, true));
        String[] args = new String[settings.length + 5];
        args[0] = "service";
        args[1] = "--gateway";
        args[2] = "127.0.0.1:1";
        args[3] = "--id";
        args[4] = "svc-1";
        System.arraycopy(settings, 0, args, 5, settings.length);
        assertThat(cl.execute(args)).as(err.toString()).isEqualTo(2);
        return err.toString();
    }
}
