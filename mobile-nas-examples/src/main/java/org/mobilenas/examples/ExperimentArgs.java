package org.mobilenas.examples;

import java.nio.file.Path;
import java.util.Locale;

/**
 * Command-line options shared by the experiments: {@code --preset quick|full --out DIR --data DIR --parallel N
 * --help}.
 *
 * @param preset   which preset to run
 * @param out      output directory ({@code null}: the experiment's default)
 * @param data     data directory: Fashion-MNIST, CIFAR-10's binary batches or a folder of images per class
 *                 ({@code null}: Fashion-MNIST in the usual places; see {@code ProxyTask.withData})
 * @param parallel jobs trained at once
 * @param help     whether only the usage was asked for
 */
public record ExperimentArgs(String preset, Path out, Path data, int parallel, boolean help) {
    /** Parses the options; unknown options and bad values fail with the usage. */
    public static ExperimentArgs parse(String experiment, String[] args) {
        String preset = "full";
        Path out = null;
        Path data = null;
        int parallel = 1;
        boolean help = false;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--help", "-h" -> help = true;
                case "--preset", "--out", "--data", "--parallel" -> {
                    if (i + 1 >= args.length) {
                        throw new IllegalArgumentException(a + " needs a value\n" + usage(experiment));
                    }
                    String v = args[++i];
                    switch (a) {
                        case "--preset" -> {
                            preset = v.toLowerCase(Locale.ROOT);
                            if (!preset.equals("quick") && !preset.equals("full")) {
                                throw new IllegalArgumentException(
                                        "--preset " + v + ": expected quick or full\n" + usage(experiment));
                            }
                        }
                        case "--out" -> out = Path.of(v);
                        case "--data" -> data = Path.of(v);
                        default -> {
                            try {
                                parallel = Integer.parseInt(v);
                            } catch (NumberFormatException e) {
                                throw new IllegalArgumentException(
                                        "--parallel " + v + ": expected an integer 1..8\n" + usage(experiment));
                            }
                            if (parallel < 1 || parallel > 8) {
                                throw new IllegalArgumentException(
                                        "--parallel " + v + ": expected 1..8\n" + usage(experiment));
                            }
                        }
                    }
                }
                default -> throw new IllegalArgumentException("unknown option " + a + "\n" + usage(experiment));
            }
        }
        return new ExperimentArgs(preset, out, data, parallel, help);
    }

    /** The usage text. */
    public static String usage(String experiment) {
        return "usage: " + experiment + " [--preset quick|full] [--out DIR] [--data DIR] [--parallel N] [--help]\n"
                + "  --preset    quick: minutes, synthetic or small data; full (default): the published run\n"
                + "  --out       output directory (report.json, results.md, plots, jobs.jsonl journal)\n"
                + "  --data      data: a Fashion-MNIST directory (default: /usr/share/datasets/fashion-mnist),\n"
                + "              CIFAR-10's binary batches, or a folder of images with one subfolder per class\n"
                + "  --parallel  jobs trained at once (use -Dmobilenas.threads=1 with more than 1)\n"
                + "A killed run resumes from the journal in the output directory when started again.";
    }

    /**
     * The whole {@code main} of an experiment: parses {@code args} (printing the usage for {@code --help}), runs
     * {@code experiment} with the options and the output directory ({@code defaultOut} unless {@code --out} is
     * given), and prints its results table and verdicts.
     */
    static void main(
            String name,
            String[] args,
            Path defaultOut,
            java.util.function.BiFunction<ExperimentArgs, Path, org.mobilenas.core.experiment.ExperimentReport>
                    experiment) {
        ExperimentArgs a = parse(name, args);
        if (a.help()) {
            System.out.println(usage(name));
            return;
        }
        org.mobilenas.core.experiment.ExperimentReport report =
                experiment.apply(a, a.out() != null ? a.out() : defaultOut);
        System.out.println(report.markdownTable());
        report.verdicts().forEach(System.out::println);
    }
}
