package io.reploid.examples;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DemoCommandTest {

    @Test
    void aBoundedDemoPrintsTheAdminUrlAndTheInstancesThenStops() {
        ExampleCluster.Run run = ExampleCluster.run(new DemoCommand(), "--client-port", "0", "--service-port", "0",
                "--admin-port", "0", "--clients", "12", "--duration", "2", "--interval", "0.5");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.outLines().get(0)).matches("Admin: http://127\\.0\\.0\\.1:\\d+/");
        assertThat(run.out()).contains("INSTANCE", "demo-1", "demo-2", "demo-3", "Demo: stopping");
        assertThat(run.out()).containsPattern("demo-1 +[a-z]+ +a +\\d+/40");
    }
}
