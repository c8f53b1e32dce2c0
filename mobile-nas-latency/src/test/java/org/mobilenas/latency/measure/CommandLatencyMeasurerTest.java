package org.mobilenas.latency.measure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The external-command measurer, driven by small shell commands standing in for a device benchmark. */
class CommandLatencyMeasurerTest extends LatencyMeasurerContract {
    @Override
    protected LatencyMeasurer measurer() {
        // Checks that the spec file exists and holds JSON, then prints three runs.
        String script = "test -s \"$1\" && grep -q '\"stages\"' \"$1\" && echo warmup && "
                + "echo 'latency_ms=2.5' && echo 'latency_ms=2.0' && echo 'latency ms: 3.0' && echo batch=$2";
        return CommandLatencyMeasurer.builder(List.of("sh", "-c", script, "bench", "{spec}", "{batch}"))
                .device("test-board")
                .threads(4)
                .build();
    }

    @Test
    void parsesEveryTimingAndTakesTheMedian() {
        Measurement m = measurer().measure(tiny(8), 1);
        assertThat(m.samples()).isEqualTo(3);
        assertThat(m.medianMs()).isEqualTo(2.5);
        assertThat(m.minMs()).isEqualTo(2.0);
        assertThat(m.maxMs()).isEqualTo(3.0);
        assertThat(m.threads()).isEqualTo(4);
        assertThat(measurer().device().name()).isEqualTo("test-board");
    }

    @Test
    void convertsUnitsWithACustomPattern() {
        LatencyMeasurer us = CommandLatencyMeasurer.builder(
                        List.of("sh", "-c", "echo 'Inference timings in us: Init: 100, Inference (avg): 1500.5'"))
                .pattern(Pattern.compile("Inference \\(avg\\): ([0-9.]+)"))
                .scaleToMs(1e-3)
                .build();
        assertThat(us.measure(tiny(8), 1).medianMs()).isCloseTo(1.5005, org.assertj.core.data.Offset.offset(1e-9));
    }

    @Test
    void failuresAreExplained() {
        LatencyMeasurer failing = CommandLatencyMeasurer.builder(List.of("sh", "-c", "echo no device; exit 3"))
                .build();
        assertThatThrownBy(() -> failing.measure(tiny(8), 1))
                .hasMessageContaining("exited with 3")
                .hasMessageContaining("no device");
        LatencyMeasurer silent = CommandLatencyMeasurer.builder(List.of("sh", "-c", "echo hello"))
                .build();
        assertThatThrownBy(() -> silent.measure(tiny(8), 1))
                .hasMessageContaining("no timing matching")
                .hasMessageContaining("hello");
        assertThatThrownBy(() -> CommandLatencyMeasurer.builder(List.of("x")).pattern(Pattern.compile("[0-9]+")))
                .hasMessageContaining("must have a group");
    }

    @Test
    void aTimeoutStopsTheCommandAndEveryProcessItStarted(@org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp)
            throws Exception {
        java.nio.file.Path pid = tmp.resolve("child.pid");
        LatencyMeasurer hanging = CommandLatencyMeasurer.builder(
                        List.of("sh", "-c", "sleep 60 & echo $! > " + pid + "; wait"))
                .timeout(java.time.Duration.ofMillis(500))
                .build();
        assertThatThrownBy(() -> hanging.measure(tiny(8), 1)).hasMessageContaining("did not finish within");
        long child = Long.parseLong(java.nio.file.Files.readString(pid).trim());
        java.util.Optional<ProcessHandle> h = ProcessHandle.of(child);
        assertThat(h.isEmpty() || !h.get().isAlive())
                .as("the command's child process was stopped")
                .isTrue();
    }

    @Test
    void theServiceFormIsAvailableOnlyWhenConfigured() {
        String old = System.getProperty(CommandLatencyMeasurer.COMMAND_PROPERTY);
        try {
            System.clearProperty(CommandLatencyMeasurer.COMMAND_PROPERTY);
            if (System.getenv(CommandLatencyMeasurer.COMMAND_ENVIRONMENT) == null) {
                assertThat(new CommandLatencyMeasurer().isAvailable()).isFalse();
            }
            System.setProperty(CommandLatencyMeasurer.COMMAND_PROPERTY, "sh -c echo\u0020latency_ms=1");
            assertThat(new CommandLatencyMeasurer().isAvailable()).isTrue();
            assertThat(new CommandLatencyMeasurer().command()).containsExactly("sh", "-c", "echo", "latency_ms=1");
        } finally {
            if (old == null) {
                System.clearProperty(CommandLatencyMeasurer.COMMAND_PROPERTY);
            } else {
                System.setProperty(CommandLatencyMeasurer.COMMAND_PROPERTY, old);
            }
        }
    }
}
