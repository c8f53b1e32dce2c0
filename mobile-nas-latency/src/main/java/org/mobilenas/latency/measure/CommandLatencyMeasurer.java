package org.mobilenas.latency.measure;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.mobilenas.core.json.SpecJson;
import org.mobilenas.core.spec.NetworkSpec;

/**
 * A measurer that delegates to an external command: the way to measure a phone or a board. For each network it
 * writes the spec as JSON ({@link SpecJson}) to a temporary file, runs the command with {@code {spec}} replaced by
 * that file's path and {@code {batch}} by the batch size, and parses every timing the command prints with a
 * regular expression whose first group is a number (multiplied by {@code scaleToMs}). The median and quartiles
 * of the parsed timings make the {@link Measurement}.
 *
 * <p>A typical command is a script that converts the JSON to the device's format, pushes it with {@code adb push},
 * runs a benchmark binary on the device and prints one line per run such as {@code latency_ms=12.7}.
 * Registered as a service under the name {@value #NAME}: it is available when the system property
 * {@value #COMMAND_PROPERTY} (or the environment variable {@value #COMMAND_ENVIRONMENT}) holds the command
 * (words separated by spaces), and then outranks the JVM measurer; {@value DeviceInfo#NAME_PROPERTY} names the
 * device in table metadata.
 *
 * <pre>{@code
 * LatencyMeasurer phone = CommandLatencyMeasurer.builder(List.of("./bench-on-phone.sh", "{spec}", "{batch}"))
 *     .device("pixel-7")
 *     .pattern(Pattern.compile("Inference \\(avg\\): ([0-9.]+)"))   // a benchmark printing microseconds
 *     .scaleToMs(1e-3)
 *     .build();
 * Measurement m = phone.measure(spec, 1);
 * }</pre>
 */
public final class CommandLatencyMeasurer implements LatencyMeasurer {
    /** Name under which this measurer is registered. */
    public static final String NAME = "command";
    /** System property holding the command. */
    public static final String COMMAND_PROPERTY = "mobilenas.latency.command";
    /** Environment variable holding the command (the system property wins). */
    public static final String COMMAND_ENVIRONMENT = "MOBILENAS_LATENCY_COMMAND";
    /** Default timing pattern: {@code latency_ms=12.7} or {@code latency ms: 12.7}. */
    public static final Pattern DEFAULT_PATTERN =
            Pattern.compile("(?i)latency[_ ]ms\\s*[=:]\\s*([0-9]+(?:\\.[0-9]*)?(?:[eE][-+]?[0-9]+)?)");

    private final List<String> command;
    private final String device;
    private final Pattern pattern;
    private final double scaleToMs;
    private final Duration timeout;
    private final int threads;

    /** The service form: configured from {@value #COMMAND_PROPERTY} / {@value #COMMAND_ENVIRONMENT}. */
    public CommandLatencyMeasurer() {
        this(configured());
    }

    private static Builder configured() {
        String v = System.getProperty(COMMAND_PROPERTY);
        if (v == null || v.isBlank()) {
            v = System.getenv(COMMAND_ENVIRONMENT);
        }
        List<String> words =
                v == null || v.isBlank() ? List.of() : Arrays.asList(v.trim().split("\\s+"));
        Builder b = new Builder(words);
        String dev = System.getProperty(DeviceInfo.NAME_PROPERTY);
        if (dev != null && !dev.isBlank()) {
            b.device(dev);
        }
        return b;
    }

    private CommandLatencyMeasurer(Builder b) {
        this.command = List.copyOf(b.command);
        this.device = b.device;
        this.pattern = b.pattern;
        this.scaleToMs = b.scaleToMs;
        this.timeout = b.timeout;
        this.threads = b.threads;
    }

    /** A measurer running {@code command} (its words; {@code {spec}} and {@code {batch}} are substituted). */
    public static Builder builder(List<String> command) {
        Objects.requireNonNull(command, "command");
        if (command.isEmpty()) {
            throw new IllegalArgumentException("command must have at least one word");
        }
        return new Builder(command);
    }

    /** Options of a {@link CommandLatencyMeasurer}. */
    public static final class Builder {
        private final List<String> command;
        private String device = "external";
        private Pattern pattern = DEFAULT_PATTERN;
        private double scaleToMs = 1.0;
        private Duration timeout = Duration.ofMinutes(5);
        private int threads = 1;

        private Builder(List<String> command) {
            this.command = List.copyOf(command);
        }

        /** Device name recorded in table metadata. */
        public Builder device(String name) {
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException("device name must not be blank");
            }
            this.device = name;
            return this;
        }

        /** Pattern of one timing in the command's output; group 1 is the number. */
        public Builder pattern(Pattern p) {
            this.pattern = Objects.requireNonNull(p, "pattern");
            if (p.matcher("").groupCount() < 1) {
                throw new IllegalArgumentException("pattern " + p + " must have a group capturing the number");
            }
            return this;
        }

        /** Factor from the printed unit to milliseconds (1e-3 for microseconds). */
        public Builder scaleToMs(double f) {
            if (!(f > 0) || !Double.isFinite(f)) {
                throw new IllegalArgumentException("scaleToMs " + f + " must be a finite number > 0");
            }
            this.scaleToMs = f;
            return this;
        }

        /** Longest time one run of the command may take. */
        public Builder timeout(Duration d) {
            if (d == null || d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("timeout " + d + " must be positive");
            }
            this.timeout = d;
            return this;
        }

        /** Threads the device uses (recorded in metadata). */
        public Builder threads(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("threads " + n + " must be >= 1");
            }
            this.threads = n;
            return this;
        }

        /** Builds the measurer; the command is required. */
        public CommandLatencyMeasurer build() {
            if (command.isEmpty()) {
                throw new IllegalStateException(
                        "no command configured: set " + COMMAND_PROPERTY + " or " + COMMAND_ENVIRONMENT);
            }
            return new CommandLatencyMeasurer(this);
        }
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int rank() {
        return 200;
    }

    @Override
    public boolean isAvailable() {
        return !command.isEmpty();
    }

    @Override
    public DeviceInfo device() {
        return new DeviceInfo(
                device,
                NAME,
                threads,
                "",
                "",
                String.join(" ", command),
                Instant.now().toString());
    }

    /** The command's words. */
    public List<String> command() {
        return command;
    }

    @Override
    public Measurement measure(NetworkSpec spec, int batchSize) {
        Objects.requireNonNull(spec, "spec");
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize " + batchSize + " must be >= 1");
        }
        if (command.isEmpty()) {
            throw new IllegalStateException(
                    "no command configured: set " + COMMAND_PROPERTY + " or " + COMMAND_ENVIRONMENT);
        }
        Path file = null;
        Path log = null;
        try {
            file = Files.createTempFile("mobile-nas-spec-", ".json");
            Files.writeString(file, SpecJson.toJson(spec), StandardCharsets.UTF_8);
            List<String> words = new ArrayList<>(command.size());
            for (String w : command) {
                words.add(w.replace("{spec}", file.toString()).replace("{batch}", Integer.toString(batchSize)));
            }
            log = Files.createTempFile("mobile-nas-latency-", ".log");
            Process p = new ProcessBuilder(words)
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
            boolean finished;
            try {
                finished = p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                killTree(p);
                throw e;
            }
            if (!finished) {
                killTree(p);
                throw new IllegalStateException("command " + words + " did not finish within " + timeout
                        + "; it was stopped with every process it started");
            }
            byte[] out = Files.readAllBytes(log);
            String text = new String(out, StandardCharsets.UTF_8);
            if (p.exitValue() != 0) {
                throw new IllegalStateException(
                        "command " + words + " exited with " + p.exitValue() + ": " + tail(text));
            }
            try {
                return parse(text, threads);
            } catch (IllegalStateException e) {
                throw new IllegalStateException("command " + words + ": " + e.getMessage(), e);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot run latency command " + command + ": "
                            + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()),
                    e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running latency command " + command, e);
        } finally {
            delete(file);
            delete(log);
        }
    }

    /** Stops the command and every process it started (children first), waiting briefly for them to end. */
    private static void killTree(Process p) {
        List<ProcessHandle> all = new ArrayList<>(p.descendants().toList());
        all.forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        for (ProcessHandle h : all) {
            try {
                h.onExit().get(2, TimeUnit.SECONDS);
            } catch (Exception e) {
                // best effort: the process is gone or will be reaped by the system
            }
        }
        try {
            p.waitFor(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void delete(Path f) {
        if (f != null) {
            try {
                Files.deleteIfExists(f);
            } catch (IOException ignored) {
                // a temporary file left behind is harmless
            }
        }
    }

    /** The measurement of every timing {@code pattern} finds in {@code output}. */
    Measurement parse(String output, int threadCount) {
        Matcher m = pattern.matcher(output);
        List<Double> values = new ArrayList<>();
        while (m.find()) {
            try {
                values.add(Double.parseDouble(m.group(1)) * scaleToMs);
            } catch (NumberFormatException e) {
                throw new IllegalStateException("command output: '" + m.group() + "' has no number in group 1");
            }
        }
        if (values.isEmpty()) {
            throw new IllegalStateException("command output has no timing matching " + pattern + ": " + tail(output));
        }
        return Measurement.of(values.stream().mapToDouble(Double::doubleValue).toArray(), threadCount);
    }

    private static String tail(String text) {
        String t = text.strip();
        return t.length() <= 400 ? "'" + t + "'" : "'..." + t.substring(t.length() - 400) + "'";
    }

    @Override
    public String toString() {
        return "CommandLatencyMeasurer" + command;
    }
}
