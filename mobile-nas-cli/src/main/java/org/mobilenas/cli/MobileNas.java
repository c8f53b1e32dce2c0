package org.mobilenas.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import org.mobilenas.core.cost.Costs;
import org.mobilenas.core.engine.Network;
import org.mobilenas.core.json.Json;
import org.mobilenas.core.json.SpecJson;
import org.mobilenas.core.search.SearchSpace;
import org.mobilenas.core.spec.NetworkSpec;
import org.mobilenas.examples.LatencyFidelityExperiment;
import org.mobilenas.examples.MnasNetExperiment;
import org.mobilenas.examples.NetAdaptExperiment;
import org.mobilenas.examples.OfaExperiment;
import org.mobilenas.examples.ProxyTaskExperiment;
import org.mobilenas.examples.TinyNetExperiment;
import org.mobilenas.latency.measure.LatencyMeasurer;
import org.mobilenas.latency.measure.LatencyMeasurers;
import org.mobilenas.latency.table.LatencyTable;
import org.mobilenas.latency.table.LatencyTableBuilder;
import org.mobilenas.onnx.OnnxExport;
import org.mobilenas.spaces.catalog.Catalog;
import org.mobilenas.spaces.search.MnasNetSpace;
import org.mobilenas.spaces.search.MobileNetV2Space;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The {@code mobile-nas} command line. Every subcommand has {@code --help}; the experiments take the options of
 * their presets ({@code --preset quick|full}, {@code --out}, {@code --data}, {@code --parallel}).
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -jar mobile-nas-cli/target/mobile-nas.jar costs mobilenet_v2_1.0
 * scripts/mobile-nas latency build --space mnasnet --samples 200 --out table.json
 * scripts/mobile-nas search --preset quick --out out/search
 * </pre>
 */
@Command(
        name = "mobile-nas",
        mixinStandardHelpOptions = true,
        versionProvider = MobileNas.Version.class,
        description = "Platform-aware neural architecture search and adaptation of mobile CNNs.",
        subcommands = {
            MobileNas.CostsCommand.class,
            MobileNas.LatencyCommand.class,
            MobileNas.SearchCommand.class,
            MobileNas.AdaptCommand.class,
            MobileNas.TinyCommand.class,
            MobileNas.OfaCommand.class,
            MobileNas.ProxyCommand.class,
            MobileNas.ExportCommand.class,
            CommandLine.HelpCommand.class
        })
public final class MobileNas implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Runs the command line; returns the exit code (0 ok, 2 bad usage, 1 failure). */
    public static int execute(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cl = new CommandLine(new MobileNas());
        cl.setOut(out);
        cl.setErr(err);
        cl.setExecutionExceptionHandler((e, line, parsed) -> {
            line.getErr()
                    .println(line.getColorScheme()
                            .errorText("mobile-nas " + line.getCommandName() + ": "
                                    + (e.getMessage() == null ? e.toString() : e.getMessage())));
            return e instanceof IllegalArgumentException ? 2 : 1;
        });
        return cl.execute(args);
    }

    /** Runs the command line ({@code --help} lists the subcommands); exits with the command's status. */
    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(System.out, true);
        PrintWriter err = new PrintWriter(System.err, true);
        System.exit(execute(args, out, err));
    }

    /** The library's version, from the core's build properties. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = MobileNas.class.getPackage().getImplementationVersion();
            return new String[] {"mobile-nas " + (v == null ? "development build" : v)};
        }
    }

    /** Reads a network: a catalogue name, a spec JSON file or a saved network ({@value Network#FILE_EXTENSION}). */
    static NetworkSpec network(String ref, Integer resolution, Integer classes) {
        NetworkSpec spec;
        Path p = Path.of(ref);
        if (Files.isRegularFile(p)) {
            spec = ref.endsWith(".json") ? SpecJson.read(p) : Network.load(p).spec();
        } else if (Catalog.contains(ref)) {
            spec = Catalog.get(ref);
        } else {
            throw new IllegalArgumentException("network '" + ref + "': not a file and not in the catalogue; "
                    + "catalogue names: " + String.join(", ", Catalog.names()));
        }
        if (resolution != null) {
            spec = spec.withResolution(resolution).withName(spec.name() + "-r" + resolution);
        }
        if (classes != null) {
            spec = Catalog.get(spec.name(), classes, spec.resolution());
        }
        return spec;
    }

    @Command(
            name = "costs",
            mixinStandardHelpOptions = true,
            description = "Per-layer costs of a network: MACs, parameters, memory access, peak activation.")
    static final class CostsCommand implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Parameters(paramLabel = "NETWORK", description = "catalogue name, spec JSON file or saved network")
        String network;

        @Option(names = "--resolution", description = "input resolution in pixels (default: the network's)")
        Integer resolution;

        @Option(names = "--json", description = "print the costs as JSON")
        boolean json;

        @Option(names = "--all", description = "every layer, not only the summary and the largest")
        boolean all;

        @Override
        public Integer call() {
            NetworkSpec s = network(network, resolution, null);
            Costs c = Costs.of(s);
            PrintWriter out = spec.commandLine().getOut();
            out.println(json ? Json.write(c) : s.name() + " at " + s.resolution() + " px\n" + c.table(all));
            out.flush();
            return 0;
        }
    }

    @Command(
            name = "latency",
            mixinStandardHelpOptions = true,
            description = "Latency lookup tables.",
            subcommands = {BuildCommand.class, FidelityCommand.class})
    static final class LatencyCommand implements Runnable {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public void run() {
            spec.commandLine().usage(spec.commandLine().getOut());
        }
    }

    @Command(
            name = "build",
            mixinStandardHelpOptions = true,
            description = "Measures every layer of a space or of networks into a lookup table (resumes from --out).")
    static final class BuildCommand implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = "--space", description = "mnasnet or mobilenetv2 (sampled networks of the space)")
        String space;

        @Option(names = "--network", description = "a network to cover (repeatable): catalogue name or file")
        List<String> networks = new ArrayList<>();

        @Option(names = "--samples", defaultValue = "200", description = "networks sampled from --space (default 200)")
        int samples;

        @Option(names = "--resolution", defaultValue = "224", description = "input resolution (default 224)")
        int resolution;

        @Option(names = "--classes", defaultValue = "1000", description = "classes of the space (default 1000)")
        int classes;

        @Option(
                names = "--measurer",
                description = "measurer by name (default: the best available: "
                        + "command, onnxruntime when configured, else jvm)")
        String measurer;

        @Option(names = "--seed", defaultValue = "42")
        long seed;

        @Option(names = "--out", required = true, description = "the table's JSON file")
        Path out;

        @Override
        public Integer call() {
            if (space == null && networks.isEmpty()) {
                throw new IllegalArgumentException("give --space or at least one --network");
            }
            LatencyMeasurer m = measurer == null ? LatencyMeasurers.select() : LatencyMeasurers.named(measurer);
            LatencyTableBuilder b = LatencyTableBuilder.with(m).file(out);
            if (space != null) {
                SearchSpace s = switch (space.toLowerCase(Locale.ROOT)) {
                    case "mnasnet" ->
                        resolution == 224
                                ? MnasNetSpace.paper(classes)
                                : MnasNetSpace.smallInput(resolution, 3, classes, 1.0);
                    case "mobilenetv2" -> MobileNetV2Space.standard(resolution, classes);
                    default ->
                        throw new IllegalArgumentException(
                                "--space '" + space + "': expected mnasnet or " + "mobilenetv2");
                };
                b = b.space(s, samples, seed);
            }
            List<NetworkSpec> specs = new ArrayList<>();
            for (String n : networks) {
                specs.add(network(n, null, null));
            }
            if (!specs.isEmpty()) {
                b = b.specs(specs);
            }
            LatencyTable t = b.build();
            PrintWriter o = spec.commandLine().getOut();
            o.printf(
                    Locale.ROOT,
                    "%s: %d keys measured with %s on %s; written to %s%n",
                    out.getFileName(),
                    t.entries().size(),
                    m.name(),
                    t.device().name(),
                    out);
            o.flush();
            return 0;
        }
    }

    /** The options every experiment takes. */
    static final class ExperimentOptions {
        @Option(
                names = "--preset",
                defaultValue = "full",
                description = "quick (minutes) or full (the published " + "run; default)")
        String preset;

        @Option(
                names = "--out",
                description =
                        "output directory (report.json, results.md, plots, journal); a " + "killed run resumes from it")
        Path out;

        @Option(
                names = "--data",
                description = "data directory: Fashion-MNIST (default /usr/share/datasets/fashion-mnist), "
                        + "CIFAR-10 binary batches, or a folder of images with one subfolder per class")
        Path data;

        @Option(names = "--parallel", defaultValue = "1", description = "jobs trained at once (default 1)")
        int parallel;

        String[] args() {
            List<String> a = new ArrayList<>(List.of("--preset", preset, "--parallel", Integer.toString(parallel)));
            if (out != null) {
                a.addAll(List.of("--out", out.toString()));
            }
            if (data != null) {
                a.addAll(List.of("--data", data.toString()));
            }
            return a.toArray(String[]::new);
        }

        Integer run(Consumer<String[]> main) {
            if (parallel > 1 && System.getProperty("mobilenas.threads") == null) {
                // several jobs at once: each job's kernels stay on one core (read before the engine starts)
                System.setProperty("mobilenas.threads", "1");
            }
            main.accept(args());
            return 0;
        }
    }

    @Command(
            name = "fidelity",
            mixinStandardHelpOptions = true,
            description = "Lookup tables of three spaces and "
                    + "NetAdapt's layer-wise tables against end-to-end measurements (LatencyFidelityExperiment).")
    static final class FidelityCommand implements Callable<Integer> {
        @Mixin
        ExperimentOptions o = new ExperimentOptions();

        @Override
        public Integer call() {
            return o.run(LatencyFidelityExperiment::main);
        }
    }

    @Command(
            name = "search",
            mixinStandardHelpOptions = true,
            description = "MnasNet: RL, evolution and random "
                    + "search on the proxy task against the MobileNetV2 width family (MnasNetExperiment).")
    static final class SearchCommand implements Callable<Integer> {
        @Mixin
        ExperimentOptions o = new ExperimentOptions();

        @Override
        public Integer call() {
            return o.run(MnasNetExperiment::main);
        }
    }

    @Command(
            name = "adapt",
            mixinStandardHelpOptions = true,
            description = "NetAdapt: adapted networks vs width "
                    + "multipliers at equal measured latency (NetAdaptExperiment).")
    static final class AdaptCommand implements Callable<Integer> {
        @Mixin
        ExperimentOptions o = new ExperimentOptions();

        @Override
        public Integer call() {
            return o.run(NetAdaptExperiment::main);
        }
    }

    @Command(
            name = "tiny",
            mixinStandardHelpOptions = true,
            description = "TinyNet: tiny formula vs inverse giant "
                    + "formula vs width-only at equal FLOPs (TinyNetExperiment).")
    static final class TinyCommand implements Callable<Integer> {
        @Mixin
        ExperimentOptions o = new ExperimentOptions();

        @Override
        public Integer call() {
            return o.run(TinyNetExperiment::main);
        }
    }

    @Command(
            name = "ofa",
            mixinStandardHelpOptions = true,
            description = "Once-for-All: progressive shrinking, "
                    + "specialized subnets vs training from scratch (OfaExperiment).")
    static final class OfaCommand implements Callable<Integer> {
        @Mixin
        ExperimentOptions o = new ExperimentOptions();

        @Override
        public Integer call() {
            return o.run(OfaExperiment::main);
        }
    }

    @Command(
            name = "proxy",
            mixinStandardHelpOptions = true,
            description = "The shared proxy task's schedule on " + "reference networks (ProxyTaskExperiment).")
    static final class ProxyCommand implements Callable<Integer> {
        @Mixin
        ExperimentOptions o = new ExperimentOptions();

        @Override
        public Integer call() {
            return o.run(ProxyTaskExperiment::main);
        }
    }

    @Command(
            name = "export",
            mixinStandardHelpOptions = true,
            description = "Writes a saved network (with its weights) as an ONNX model.")
    static final class ExportCommand implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Parameters(paramLabel = "NETWORK", description = "a saved network (" + Network.FILE_EXTENSION + ")")
        Path network;

        @Option(names = "--onnx", required = true, description = "the ONNX file to write")
        Path onnx;

        @Override
        public Integer call() {
            if (!Files.isRegularFile(network)) {
                throw new IllegalArgumentException("network " + network + " is not a file; expected a saved network ("
                        + Network.FILE_EXTENSION + ")");
            }
            Network n = Network.load(network);
            OnnxExport.write(n, onnx);
            PrintWriter o = spec.commandLine().getOut();
            o.printf(
                    Locale.ROOT,
                    "%s (%s) written to %s%n",
                    network.getFileName(),
                    n.spec().name(),
                    onnx);
            o.flush();
            return 0;
        }
    }
}
