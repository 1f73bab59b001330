package io.reploid.scaling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ScalingPoliciesTest {
    private static final String DEFAULTS = "min=1,max=10,target=0.7,metric=clients,tolerance=0.1,up-window=0s,"
            + "down-window=300s,cooldown=15s,max-step=4,max-step-down=1";

    @Test
    void defaults() {
        assertThat(ScalingPolicies.targetUtilization().build()).hasToString(DEFAULTS);
    }

    @Test
    void parsesTheShortForm() {
        assertThat(ScalingPolicies.parse("min=1,max=10,target=0.7")).hasToString(DEFAULTS);
        assertThat(ScalingPolicies.parse("max=20")).hasToString(DEFAULTS.replace("max=10", "max=20"));
    }

    @Test
    void parsesEveryKey() {
        ScalingPolicy p = ScalingPolicies.parse(" min=2, max=40 ,target=0.6,METRIC=CPU,tolerance=0.05,up-window=500ms,"
                + "down-window=5m,cooldown=1h,max-step=8,max-step-down=2");

        assertThat(p).hasToString("min=2,max=40,target=0.6,metric=cpu,tolerance=0.05,up-window=500ms,"
                + "down-window=300s,cooldown=3600s,max-step=8,max-step-down=2");
        assertThat(ScalingPolicies.parse(p.toString())).hasToString(p.toString());
    }

    @Test
    void zeroDurationsAndGaugeTargetsOverOne() {
        assertThat(ScalingPolicies.parse("metric=gauge,target=25,down-window=0,cooldown=0s"))
                .hasToString("min=1,max=10,target=25.0,metric=gauge,tolerance=0.1,up-window=0s,down-window=0s,"
                        + "cooldown=0s,max-step=4,max-step-down=1");
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "\"\"                     | scaling spec is empty (expected: key=value pairs such as min=1,max=10,target=0.7)",
        "min                    | scaling spec entry 'min' (expected: key=value)",
        "min=1,,max=3           | scaling spec entry '' (expected: key=value)",
        "=3                     | scaling spec entry '=3' (expected: key=value)",
        "min=1,maximum=3        | scaling spec has no key 'maximum' (known: min, max, target, metric, tolerance, "
                + "up-window, down-window, cooldown, max-step, max-step-down)",
        "min=1,min=2            | scaling spec gives 'min' twice",
        "min=5,max=3            | scaling spec min=5 is over max=3",
        "min=20                 | scaling spec min=20 is over max=10 (the default)",
        "min=0                  | scaling spec min=0: minInstances: 0 (expected: >= 1)",
        "min=one                | scaling spec min=one: not an integer",
        "max=-1                 | scaling spec max=-1: maxInstances: -1 (expected: >= 1)",
        "target=0               | scaling spec target=0: target: 0.0 (expected: > 0)",
        "target=-0.5            | scaling spec target=-0.5: target: -0.5 (expected: > 0)",
        "target=NaN             | scaling spec target=NaN: target: NaN (expected: > 0)",
        "target=70%             | scaling spec target=70%: not a number",
        "target=1.5             | scaling spec 'target=1.5': target: 1.5 (expected: <= 1 for metric clients)",
        "metric=cpu,target=2    | scaling spec 'metric=cpu,target=2': target: 2.0 (expected: <= 1 for metric cpu)",
        "metric=memory          | scaling spec metric=memory: not a metric (expected: clients, cpu or gauge)",
        "tolerance=1            | scaling spec tolerance=1: tolerance: 1.0 (expected: >= 0 and < 1)",
        "tolerance=-0.1         | scaling spec tolerance=-0.1: tolerance: -0.1 (expected: >= 0 and < 1)",
        "up-window=-1s          | scaling spec up-window=-1s: not a duration (expected: such as 300s, 500ms, 5m or 0)",
        "down-window=5x         | scaling spec down-window=5x: not a duration (expected: such as 300s, 500ms, 5m or 0)",
        "cooldown=30            | scaling spec cooldown=30: not a duration (expected: such as 300s, 500ms, 5m or 0)",
        "cooldown=              | scaling spec cooldown=: not a duration (expected: such as 300s, 500ms, 5m or 0)",
        "max-step=0             | scaling spec max-step=0: maxScaleUpStep: 0 (expected: >= 1)",
        "max-step-down=0        | scaling spec max-step-down=0: maxScaleDownStep: 0 (expected: >= 1)",
    })
    void badSpecsSayWhichKeyAndValue(String spec, String message) {
        assertThatThrownBy(() -> ScalingPolicies.parse(spec))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(message);
    }

    @Test
    void builderChecksEagerly() {
        TargetUtilizationBuilder b = ScalingPolicies.targetUtilization();

        assertThatThrownBy(() -> b.metric(null)).isInstanceOf(NullPointerException.class).hasMessage("metric");
        assertThatThrownBy(() -> b.target(Double.POSITIVE_INFINITY)).hasMessage("target: Infinity (expected: > 0)");
        assertThatThrownBy(() -> b.cooldown(Duration.ofSeconds(-1))).hasMessage("cooldown: PT-1S (expected: >= 0)");
        assertThatThrownBy(() -> b.scaleUpStabilization(null)).hasMessage("scaleUpStabilization");
        assertThatThrownBy(() -> b.scaleDownStabilization(Duration.ofMillis(-1)))
                .hasMessage("scaleDownStabilization: PT-0.001S (expected: >= 0)");
        assertThatThrownBy(() -> b.minInstances(0)).hasMessage("minInstances: 0 (expected: >= 1)");
    }

    @Test
    void buildChecksTheCombination() {
        assertThatThrownBy(() -> ScalingPolicies.targetUtilization().minInstances(5).maxInstances(4).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("minInstances: 5 (expected: <= maxInstances: 4)");
        assertThatThrownBy(() -> ScalingPolicies.targetUtilization().target(1.2).metric(ScalingMetric.CPU).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("target: 1.2 (expected: <= 1 for metric cpu)");
        assertThat(ScalingPolicies.targetUtilization().target(1.2).metric(ScalingMetric.GAUGE).build()).isNotNull();
    }
}
