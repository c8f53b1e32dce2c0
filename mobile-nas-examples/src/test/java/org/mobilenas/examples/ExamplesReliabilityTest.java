package org.mobilenas.examples;

import static org.mobilenas.core.testing.Reliability.c;

import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.mobilenas.core.testing.Reliability;
import org.mobilenas.core.testing.Reliability.Case;

/** The command line of the experiments given bad options ({@link Reliability}). */
class ExamplesReliabilityTest {
    private static final Reliability HARNESS = new Reliability(Duration.ofSeconds(60));

    static List<Case> cases() {
        return List.of(
                c(
                        "experiment-args",
                        "unknown option",
                        () -> ExperimentArgs.parse("X", new String[] {"--fast"}),
                        "--fast",
                        "usage"),
                c(
                        "experiment-args",
                        "unknown preset",
                        () -> ExperimentArgs.parse("X", new String[] {"--preset", "huge"}),
                        "huge",
                        "quick or full"),
                c(
                        "experiment-args",
                        "parallel 0",
                        () -> ExperimentArgs.parse("X", new String[] {"--parallel", "0"}),
                        "--parallel 0"),
                c(
                        "experiment-args",
                        "parallel not a number",
                        () -> ExperimentArgs.parse("X", new String[] {"--parallel", "two"}),
                        "two"),
                c(
                        "experiment-args",
                        "option without its value",
                        () -> ExperimentArgs.parse("X", new String[] {"--out"}),
                        "--out needs a value"));
    }

    @TestFactory
    Stream<DynamicTest> everyBadInputEndsInAClearError() {
        return HARNESS.rows(cases());
    }

    @AfterAll
    static void counts() {
        System.out.println(HARNESS.counts("examples reliability suite"));
    }
}
