package org.mobilenas.core.progress;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ProgressTest {

    @Test
    void notRequestedShowsNothingAndCiSilencesEverything() {
        assertThat(Progress.mode(false)).isEqualTo(Progress.Mode.OFF);
        try (Progress p = Progress.open(false, "t", 10, "steps")) {
            assertThat(p.active()).isFalse();
            p.step(3, "ignored");
        }
        // tests run without a terminal: plain log lines, unless CI is set
        Progress.Mode expected = System.getenv("CI") != null
                ? Progress.Mode.OFF
                : System.console() != null ? Progress.Mode.BAR : Progress.Mode.LINES;
        assertThat(Progress.mode(true)).isEqualTo(expected);
        try (Progress p = Progress.open(true, "t", 10, "steps")) {
            assertThat(p.active()).isEqualTo(expected != Progress.Mode.OFF);
            p.step(10, "done");
            p.total(12);
        }
    }
}
