package io.reploid.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.reploid.kubernetes.KubernetesProvisioner.Kind;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class WorkloadRefTest {

    @ParameterizedTest
    @CsvSource({
            "games/StatefulSet/game,        STATEFUL_SET",
            "games/statefulset/game,        STATEFUL_SET",
            "games/STATEFULSETS/game,       STATEFUL_SET",
            "games/sts/game,                STATEFUL_SET",
            "kubernetes:games/sts/game,     STATEFUL_SET",
            "'  games/Deployment/game ',    DEPLOYMENT",
            "games/deploy/game,             DEPLOYMENT",
            "games/deployments/game,        DEPLOYMENT"})
    void parsesEveryAcceptedSpelling(String spec, Kind kind) {
        assertThat(WorkloadRef.parse(spec)).isEqualTo(new WorkloadRef("games", kind, "game"));
    }

    @Test
    void printsTheFormItParses() {
        WorkloadRef ref = new WorkloadRef("web", Kind.DEPLOYMENT, "api.v2");
        assertThat(ref).hasToString("web/Deployment/api.v2");
        assertThat(WorkloadRef.parse(ref.toString())).isEqualTo(ref);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "game|workload: 'game' (expected: NAMESPACE/StatefulSet/NAME or NAMESPACE/Deployment/NAME)",
            "games/game|workload: 'games/game' (expected: NAMESPACE/StatefulSet/NAME or NAMESPACE/Deployment/NAME)",
            "games//game|workload: 'games//game' (expected: NAMESPACE/StatefulSet/NAME or NAMESPACE/Deployment/NAME)",
            "a/b/StatefulSet/game|workload: 'a/b/StatefulSet/game' (expected: NAMESPACE/StatefulSet/NAME or NAMESPACE/Deployment/NAME)",
            "games/Pod/game-0|workload: 'games/Pod/game-0': unsupported kind 'Pod' (expected: StatefulSet or Deployment)",
            "Games/StatefulSet/game|workload: 'Games/StatefulSet/game': namespace: 'Games' (expected: lower-case letters, digits and '-', at most 63, starting and ending alphanumeric)",
            "games/StatefulSet/game.v2|workload: 'games/StatefulSet/game.v2': name: 'game.v2' (expected: a StatefulSet name, lower-case letters, digits and '-', at most 63, starting and ending alphanumeric)",
            "games/Deployment/-web|workload: 'games/Deployment/-web': name: '-web' (expected: a Deployment name, lower-case letters, digits, '-' and '.', at most 253, starting and ending alphanumeric)"})
    void explainsWhatIsWrong(String spec, String message) {
        assertThatThrownBy(() -> WorkloadRef.parse(spec)).isInstanceOf(IllegalArgumentException.class).hasMessage(message);
    }

    @Test
    void theProvisionerFactoriesValidateEagerly() {
        try (KubernetesClient client = new KubernetesClientBuilder().withConfig(Config.empty()).build()) {
            assertThatThrownBy(() -> KubernetesProvisioner.parse("games/ReplicaSet/web", client))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unsupported kind 'ReplicaSet'");
            assertThatThrownBy(() -> KubernetesProvisioner.forWorkload(client, "games", Kind.STATEFUL_SET, "Game"))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("name: 'Game'");
            assertThatThrownBy(() -> KubernetesProvisioner.forWorkload(client, "games", null, "game"))
                    .isInstanceOf(NullPointerException.class).hasMessage("kind");
            assertThatThrownBy(() -> KubernetesProvisioner.parse("games/sts/game", null))
                    .isInstanceOf(NullPointerException.class).hasMessage("client");
            assertThatThrownBy(() -> KubernetesProvisioner.parse("games/sts/game", client).refreshInterval(Duration.ofMillis(10)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessage("refreshInterval: PT0.01S (expected: >= PT0.1S)");
        }
    }
}
