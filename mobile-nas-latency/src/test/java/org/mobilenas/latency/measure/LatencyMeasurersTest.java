package org.mobilenas.latency.measure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class LatencyMeasurersTest {
    @AfterEach
    void clear() {
        System.clearProperty(LatencyMeasurer.PROPERTY);
    }

    @Test
    void discoversRegisteredMeasurersByRank() {
        assertThat(LatencyMeasurers.names()).contains("command", "jvm", "fake");
        assertThat(LatencyMeasurers.names().indexOf("jvm"))
                .isLessThan(LatencyMeasurers.names().indexOf("fake"));
        assertThat(LatencyMeasurers.named("fake")).isInstanceOf(FakeMeasurer.class);
    }

    @Test
    void theOverridePropertySelectsTheTestMeasurer() {
        System.setProperty(LatencyMeasurer.PROPERTY, "fake");
        assertThat(LatencyMeasurers.select()).isInstanceOf(FakeMeasurer.class);
    }

    @Test
    void withoutOverrideTheBestAvailableWins() {
        if (LatencyMeasurers.override() == null
                && System.getProperty(CommandLatencyMeasurer.COMMAND_PROPERTY) == null
                && System.getenv(CommandLatencyMeasurer.COMMAND_ENVIRONMENT) == null) {
            assertThat(LatencyMeasurers.select().name()).isEqualTo("jvm");
        }
    }

    @Test
    void unknownOrUnavailableOverridesAreErrors() {
        System.setProperty(LatencyMeasurer.PROPERTY, "phone");
        assertThatThrownBy(LatencyMeasurers::select)
                .hasMessageContaining("'phone' not found")
                .hasMessageContaining("jvm")
                .hasMessageContaining("fake");
        if (System.getProperty(CommandLatencyMeasurer.COMMAND_PROPERTY) == null
                && System.getenv(CommandLatencyMeasurer.COMMAND_ENVIRONMENT) == null) {
            System.setProperty(LatencyMeasurer.PROPERTY, "command");
            assertThatThrownBy(LatencyMeasurers::select)
                    .hasMessageContaining("'command'")
                    .hasMessageContaining("not available");
        }
    }
}
