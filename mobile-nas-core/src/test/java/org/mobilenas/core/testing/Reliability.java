package org.mobilenas.core.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;

/**
 * The reliability suite's harness: bad inputs and faults, one row each. Every row must end in a clear error — an
 * exception of the library's own types or of the expected kinds (illegal argument/state, I/O) whose message names
 * the field or file — never a silent answer, a crash from deep inside (an {@link Error}, a null pointer, an index
 * out of bounds) or a hang. Each module's suite calls {@link #rows} and prints {@link #counts} after its rows.
 */
public final class Reliability {

    /** What a row ended in. */
    public enum Verdict {
        CLEAR,
        UNCLEAR,
        CRASH,
        HANG,
        SILENT
    }

    /** An action under test. */
    @FunctionalInterface
    public interface Action {
        Object run() throws Exception;
    }

    /** One bad input: what is done, and the words a clear message must contain (case-insensitive). */
    public record Case(String area, String name, Action action, List<String> mustSay) {}

    /** A row. */
    public static Case c(String area, String name, Action action, String... mustSay) {
        return new Case(area, name, action, List.of(mustSay));
    }

    private static final List<Class<? extends Throwable>> EXPECTED_KINDS = List.of(
            IllegalArgumentException.class, IllegalStateException.class, UncheckedIOException.class, IOException.class);

    private final Map<Verdict, Integer> counts = new LinkedHashMap<>();
    private final List<String> notClear = new ArrayList<>();
    private final Duration limit;

    /** A harness whose rows must answer within {@code limit}. */
    public Reliability(Duration limit) {
        this.limit = limit;
    }

    /** Runs one row and says what it ended in; {@code why} receives the evidence. */
    public Verdict judge(Case k, StringBuilder why) {
        ExecutorService one = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "reliability-case");
            t.setDaemon(true);
            return t;
        });
        try {
            Future<Object> f = one.submit(() -> k.action().run());
            try {
                String result = String.valueOf(f.get(limit.toMillis(), TimeUnit.MILLISECONDS));
                why.append("no error; returned ").append(result, 0, Math.min(120, result.length()));
                return Verdict.SILENT;
            } catch (TimeoutException e) {
                f.cancel(true);
                why.append("no answer within ").append(limit.toSeconds()).append(" s");
                return Verdict.HANG;
            } catch (ExecutionException e) {
                Throwable t = e.getCause();
                String msg = String.valueOf(t.getMessage());
                why.append(t.getClass().getName())
                        .append(": ")
                        .append(msg.lines().findFirst().orElse(""));
                boolean ours = t.getClass().getName().startsWith("org.mobilenas.");
                if (t instanceof Error || !ours && EXPECTED_KINDS.stream().noneMatch(x -> x.isInstance(t))) {
                    return Verdict.CRASH;
                }
                String lower = msg.toLowerCase(Locale.ROOT);
                for (String word : k.mustSay()) {
                    if (!lower.contains(word.toLowerCase(Locale.ROOT))) {
                        why.append(" [does not say '").append(word).append("']");
                        return Verdict.UNCLEAR;
                    }
                }
                return Verdict.CLEAR;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } finally {
            one.shutdownNow();
        }
    }

    /** One dynamic test per row, each asserting a clear error; the verdicts are counted. */
    public Stream<DynamicTest> rows(List<Case> cases) {
        return cases.stream()
                .map(k -> DynamicTest.dynamicTest(k.area() + ": " + k.name(), () -> {
                    StringBuilder why = new StringBuilder();
                    Verdict v = judge(k, why);
                    synchronized (counts) {
                        counts.merge(v, 1, Integer::sum);
                        if (v != Verdict.CLEAR) {
                            notClear.add(v + " " + k.area() + ": " + k.name() + " -> " + why);
                        }
                    }
                    assertThat(v).as(k.area() + ": " + k.name() + " -> " + why).isEqualTo(Verdict.CLEAR);
                }));
    }

    /** "N cases tried, clear a, unclear b, crash c, hang d, silent e" and one line per row that was not clear. */
    public String counts(String suite) {
        synchronized (counts) {
            int tried = counts.values().stream().mapToInt(Integer::intValue).sum();
            StringBuilder s = new StringBuilder(suite + ": " + tried + " cases tried");
            for (Verdict v : Verdict.values()) {
                s.append(", ")
                        .append(v.name().toLowerCase(Locale.ROOT))
                        .append(' ')
                        .append(counts.getOrDefault(v, 0));
            }
            notClear.forEach(line -> s.append('\n').append(line));
            return s.toString();
        }
    }
}
