package org.mobilenas.core.adapt;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;
import org.mobilenas.core.budget.InfeasibleBudgetException;
import org.mobilenas.core.data.ImageDataset;
import org.mobilenas.core.engine.Network;
import org.mobilenas.core.json.SpecJson;
import org.mobilenas.core.progress.Progress;
import org.mobilenas.core.spec.NetworkSpec;
import org.mobilenas.core.spec.SpecException;
import org.mobilenas.core.train.Evaluation;
import org.mobilenas.core.train.Trainer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * NetAdapt: adapts a trained network to resource budgets measured directly (latency from a
 * {@link org.mobilenas.core.latency.LatencyModel}, MACs, parameters, energy...) by removing filters one layer at a
 * time. Each iteration lowers the resource target by the schedule's ΔR; for every prunable layer it finds the
 * largest filter count (a multiple of the granularity) whose network meets the target, keeps the filters with the
 * largest L2 norm and removes the matching input channels of the consumers ({@link NetworkSurgery}), fine-tunes the
 * proposal briefly and scores it on the held-out split; the best proposal becomes the next network. Proposals are
 * fine-tuned in parallel on a small pool. Every iteration is checkpointed (network file plus the report so far), so
 * an interrupted adaptation resumes where it stopped.
 *
 * <pre>{@code
 * AdaptationResult r = NetAdapter.builder(trained)
 *     .constraint(ResourceConstraint.latencyFraction(latencyModel, 0.5))
 *     .schedule(ReductionSchedule.paper())
 *     .granularity(8)
 *     .shortTerm(Trainer.builder().epochs(1).build(), 2000)
 *     .longTerm(Trainer.builder().epochs(5).build())
 *     .data(train, heldOut)
 *     .checkpointDir(Path.of("netadapt-ckpt"))
 *     .build()
 *     .run();
 * }</pre>
 */
public final class NetAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(NetAdapter.class);
    static final String STATE_FILE = AdaptationStore.STATE_FILE;

    private final Network network;
    private final List<ResourceConstraint> constraints;
    private final ReductionSchedule schedule;
    private final Predicate<PrunableLayer> prunable;
    private final int granularity;
    private final int minChannels;
    private final Trainer shortTerm;
    private final int shortTermImages;
    private final int recalibrationImages;
    private final Trainer longTerm;
    private final Selection selection;
    private final ImageDataset train;
    private final ImageDataset heldOut;
    private final ProposalTuner tuner;
    private final int evalBatchSize;
    private final Path checkpointDir;
    private final int maxIterations;
    private final long seed;
    private final List<AdaptationListener> listeners;

    private NetAdapter(Builder b) {
        this.network = b.network;
        this.constraints = List.copyOf(b.constraints);
        this.schedule = b.schedule;
        this.prunable = b.prunable;
        this.granularity = b.granularity;
        this.minChannels = b.minChannels > 0 ? b.minChannels : b.granularity;
        this.shortTerm = b.shortTerm;
        this.shortTermImages = b.shortTermImages;
        this.recalibrationImages = b.recalibrationImages;
        this.longTerm = b.longTerm;
        this.selection = b.selection;
        this.train = b.train;
        this.heldOut = b.heldOut;
        this.tuner = b.tuner != null ? b.tuner : ProposalTuner.local(b.parallelism);
        this.evalBatchSize = b.evalBatchSize;
        this.checkpointDir = b.checkpointDir;
        this.maxIterations = b.maxIterations;
        this.seed = b.seed;
        this.listeners = List.copyOf(b.listeners);
    }

    /** Starts the settings of an adaptation of a trained {@code network} (it is not modified). */
    public static Builder builder(Network network) {
        return new Builder(network);
    }

    /**
     * Settings of a {@link NetAdapter}. Defaults: the paper's schedule, every layer prunable, granularity 8 (at least
     * 8 channels kept), selection by highest accuracy, a short-term fine-tune of one epoch over 1,000 training images
     * followed by batch-norm recalibration on 2,000 training images
     * (the trainer's defaults), no long-term fine-tune, 2 proposals fine-tuned at once, evaluation batch 64, no checkpoints, at most 1,000
     * iterations, seed 0. Constraints and data are required.
     */
    public static final class Builder {
        private final Network network;
        private final List<ResourceConstraint> constraints = new ArrayList<>();
        private ReductionSchedule schedule = ReductionSchedule.paper();
        private Predicate<PrunableLayer> prunable = l -> true;
        private int granularity = 8;
        private int minChannels;
        private Trainer shortTerm = Trainer.builder().build();
        private int shortTermImages = 1000;
        private int recalibrationImages = 2000;
        private Trainer longTerm;
        private Selection selection = Selection.HIGHEST_ACCURACY;
        private ImageDataset train;
        private ImageDataset heldOut;
        private int parallelism = 2;
        private ProposalTuner tuner;
        private int evalBatchSize = 64;
        private Path checkpointDir;
        private int maxIterations = 1000;
        private long seed;
        private final List<AdaptationListener> listeners = new ArrayList<>();

        private Builder(Network network) {
            this.network = Objects.requireNonNull(network, "network");
        }

        /** Adds a resource constraint (at least one is required; the first drives the drop-per-resource rule). */
        public Builder constraint(ResourceConstraint c) {
            constraints.add(Objects.requireNonNull(c, "constraint"));
            return this;
        }

        /** How much the budget shrinks per iteration. */
        public Builder schedule(ReductionSchedule s) {
            this.schedule = Objects.requireNonNull(s, "schedule");
            return this;
        }

        /** Which layers may be pruned ({@link NetworkSurgery#layers} names them). */
        public Builder prunable(Predicate<PrunableLayer> p) {
            this.prunable = Objects.requireNonNull(p, "prunable");
            return this;
        }

        /** Filter counts are multiples of {@code g}. */
        public Builder granularity(int g) {
            if (g < 1) {
                throw new IllegalArgumentException("granularity " + g + " must be >= 1");
            }
            this.granularity = g;
            return this;
        }

        /** The fewest filters a layer keeps (default: the granularity). */
        public Builder minChannels(int c) {
            if (c < 1) {
                throw new IllegalArgumentException("minChannels " + c + " must be >= 1");
            }
            this.minChannels = c;
            return this;
        }

        /** The short-term fine-tune of each proposal: {@code trainer} over a subset of {@code images} training images. */
        public Builder shortTerm(Trainer trainer, int images) {
            if (images < 1) {
                throw new IllegalArgumentException("shortTerm images " + images + " must be >= 1");
            }
            this.shortTerm = Objects.requireNonNull(trainer, "shortTerm trainer");
            this.shortTermImages = images;
            return this;
        }

        /**
         * Training images whose batch statistics replace every batch norm's running statistics after a proposal's
         * short-term fine-tune, before it is scored on the held-out split (default 2,000; 0: keep the running
         * statistics the fine-tune left). Removing filters changes the input of the layers after the cut, and a
         * short fine-tune moves their running statistics only part of the way (momentum 0.1), so without this the
         * held-out score of a proposal measures stale statistics as much as the pruning.
         */
        public Builder batchNormRecalibration(int images) {
            if (images < 0) {
                throw new IllegalArgumentException("batchNormRecalibration images " + images + " must be >= 0");
            }
            this.recalibrationImages = images;
            return this;
        }

        /** The long-term fine-tune of the final network over the whole training split (null: none). */
        public Builder longTerm(Trainer trainer) {
            this.longTerm = trainer;
            return this;
        }

        /** How a proposal is chosen among an iteration's candidates. */
        public Builder selection(Selection s) {
            this.selection = Objects.requireNonNull(s, "selection");
            return this;
        }

        /** The training split and the held-out split used to choose proposals (never the test split). */
        public Builder data(ImageDataset trainSplit, ImageDataset heldOutSplit) {
            this.train = Objects.requireNonNull(trainSplit, "train");
            this.heldOut = Objects.requireNonNull(heldOutSplit, "heldOut");
            return this;
        }

        /** Holds out a stratified {@code fraction} of {@code trainSet} for choosing proposals. */
        public Builder data(ImageDataset trainSet, double fraction, long splitSeed) {
            ImageDataset.Split s = trainSet.split(fraction, splitSeed);
            return data(s.train(), s.validation());
        }

        /** How many proposals are fine-tuned at once. */
        public Builder parallelism(int p) {
            if (p < 1) {
                throw new IllegalArgumentException("parallelism " + p + " must be >= 1");
            }
            this.parallelism = p;
            return this;
        }

        /**
         * Where each iteration's proposals are fine-tuned and scored (default: {@link ProposalTuner#local} with
         * {@link #parallelism} threads; {@code mobile-nas-spark} has one that uses a cluster).
         */
        public Builder proposals(ProposalTuner t) {
            if (t == null) {
                throw new IllegalArgumentException("proposal tuner is missing");
            }
            this.tuner = t;
            return this;
        }

        /** Batch size of the held-out evaluations (memory grows with it and with the parallelism). */
        public Builder evalBatchSize(int b) {
            if (b < 1) {
                throw new IllegalArgumentException("evalBatchSize " + b + " must be >= 1");
            }
            this.evalBatchSize = b;
            return this;
        }

        /** Where every iteration is checkpointed; an adaptation started on a directory with a state resumes. */
        public Builder checkpointDir(Path dir) {
            this.checkpointDir = dir;
            return this;
        }

        /** Iterations at most before giving up on the budget. */
        public Builder maxIterations(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("maxIterations " + n + " must be >= 1");
            }
            this.maxIterations = n;
            return this;
        }

        /** Seed of the weight transfer into pruned networks and of the short-term fine-tuning subsets. */
        public Builder seed(long s) {
            this.seed = s;
            return this;
        }

        /** Adds a listener told after every iteration. */
        public Builder listener(AdaptationListener l) {
            listeners.add(Objects.requireNonNull(l, "listener"));
            return this;
        }

        /** Builds the adapter; at least one resource constraint is required. */
        public NetAdapter build() {
            if (constraints.isEmpty()) {
                throw new IllegalArgumentException("at least one constraint is required; e.g. "
                        + "constraint(ResourceConstraint.latencyFraction(model, 0.5))");
            }
            if (train == null || heldOut == null) {
                throw new IllegalArgumentException("data(train, heldOut) is required: a training split and a "
                        + "held-out split for choosing proposals");
            }
            if (constraints.stream().map(ResourceConstraint::name).distinct().count() != constraints.size()) {
                throw new IllegalArgumentException("constraint names must be distinct, got "
                        + constraints.stream().map(ResourceConstraint::name).toList());
            }
            return new NetAdapter(this);
        }
    }

    /** The layers this adaptation may prune, for the initial network. */
    public List<PrunableLayer> prunableLayers() {
        return NetworkSurgery.layers(network.spec()).stream().filter(prunable).toList();
    }

    /** Runs (or resumes) the adaptation until every constraint is met. */
    public AdaptationResult run() {
        NetworkSpec spec0 = NetworkSurgery.normalize(network.spec());
        Network start = spec0.equals(network.spec())
                ? copy(network)
                : NetworkSurgery.transfer(network, spec0, Set.of(), seed).network();
        if (prunableLayers().isEmpty()) {
            throw new IllegalArgumentException("no prunable layer in " + spec0.name() + "; layers of the network: "
                    + NetworkSurgery.layers(spec0).stream()
                            .map(PrunableLayer::name)
                            .toList());
        }
        Map<String, Double> initial = resources(spec0);
        List<AdaptationReport.Constraint> cs = new ArrayList<>();
        for (ResourceConstraint c : constraints) {
            cs.add(new AdaptationReport.Constraint(
                    c.name(), initial.get(c.name()), c.budgetFor(initial.get(c.name()))));
        }
        checkFeasible(spec0, cs);
        cs = List.copyOf(cs);
        String fingerprint = fingerprint(spec0);
        List<Network> networks = new ArrayList<>();
        networks.add(start);
        AdaptationStore store = checkpointDir == null ? null : new AdaptationStore(checkpointDir);
        AdaptationReport report = store == null ? null : store.resume(fingerprint, networks);
        if (report != null) {
            cs = report.constraints();
        } else {
            double acc = accuracy(start);
            report = new AdaptationReport(spec0.name(), fingerprint, cs, acc, List.of(), met(initial, cs), null);
            if (store != null) {
                store.save(report, null, 0);
            }
        }
        while (!report.complete()) {
            int i = report.iterations().size() + 1;
            if (i > maxIterations) {
                throw new IllegalStateException("adaptation stopped after " + maxIterations + " iterations with "
                        + unmet(report.finalResources(), cs) + " unmet; raise maxIterations or the schedule");
            }
            Network current = networks.get(networks.size() - 1);
            Step step = iterate(i, current, report, cs);
            List<AdaptationReport.Iteration> its = new ArrayList<>(report.iterations());
            its.add(step.iteration);
            report = report.with(its, met(step.iteration.resources(), cs), null);
            networks.add(step.network);
            if (store != null) {
                store.save(report, step.network, i);
            }
            if (Progress.mode(true) != Progress.Mode.OFF) {
                AdaptationReport.Iteration it = step.iteration;
                LOG.info(String.format(
                        Locale.ROOT,
                        "NetAdapt iteration %d: %s %d -> %d channels, %s, held-out " + "%.4f (%d proposals)",
                        i,
                        it.layer(),
                        it.fromChannels(),
                        it.toChannels(),
                        it.resources(),
                        it.accuracy(),
                        it.proposals().size()));
            }
            for (AdaptationListener l : listeners) {
                l.onIteration(step.iteration, step.network);
            }
        }
        Network last = networks.get(networks.size() - 1);
        Network fin = last;
        if (longTerm != null) {
            Path saved = store == null ? null : store.finalFile();
            if (saved != null && Files.exists(saved) && report.longTermAccuracy() != null) {
                fin = Network.load(saved);
            } else {
                fin = copy(last);
                longTerm.fit(fin, train);
                report = report.with(report.iterations(), true, accuracy(fin));
                if (store != null) {
                    fin.save(saved);
                    store.writeState(report);
                }
            }
        }
        return new AdaptationResult(networks, fin, report);
    }

    private record Step(AdaptationReport.Iteration iteration, Network network) {}

    private record Candidate(PrunableLayer layer, int width, NetworkSpec spec, Map<String, Double> resources) {}

    private Step iterate(int i, Network current, AdaptationReport report, List<AdaptationReport.Constraint> cs) {
        Map<String, Double> now = report.finalResources();
        Map<String, Double> targets = new LinkedHashMap<>();
        for (int k = 0; k < cs.size(); k++) {
            AdaptationReport.Constraint c = cs.get(k);
            double r = now.get(c.name());
            targets.put(
                    c.name(),
                    r > c.budget() ? Math.max(c.budget(), r - schedule.reduction(i, c.initial())) : c.budget());
        }
        List<PrunableLayer> layers =
                NetworkSurgery.layers(current.spec()).stream().filter(prunable).toList();
        List<Candidate> candidates = new ArrayList<>();
        for (PrunableLayer layer : layers) {
            Candidate c = scan(current, layer, targets, false, now, cs, i);
            if (c != null) {
                candidates.add(c);
            }
        }
        if (candidates.isEmpty()) {
            for (PrunableLayer layer : layers) {
                Candidate c = scan(current, layer, targets, true, now, cs, i);
                if (c != null) {
                    candidates.add(c);
                }
            }
        }
        if (candidates.isEmpty()) {
            String name = unmet(now, cs).get(0);
            AdaptationReport.Constraint c =
                    cs.stream().filter(x -> x.name().equals(name)).findFirst().orElseThrow();
            throw new InfeasibleBudgetException(
                    name,
                    c.budget(),
                    now.get(name),
                    String.format(
                            Locale.ROOT,
                            "constraint %s: budget %.6g cannot be reached; the network %s is at %.6g and no prunable layer "
                                    + "(%s) can reduce it further at granularity %d with at least %d channels",
                            name,
                            c.budget(),
                            current.spec().name(),
                            now.get(name),
                            layers.stream()
                                    .map(l -> l.name() + "=" + l.channels())
                                    .toList(),
                            granularity,
                            minChannels));
        }
        ImageDataset subset = train.size() <= shortTermImages ? train : train.subset(shortTermImages, seed * 31 + i);
        // each proposal is cut again, fine-tuned and evaluated by the tuner (a local pool, or a cluster), then kept
        // only as bytes, so that the training buffers of one proposal are released before the next one starts
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        current.save(bytes);
        ProposalWork work = new ProposalWork(
                bytes.toByteArray(),
                candidates.stream()
                        .map(c -> new ProposalWork.Cut(c.layer().name(), c.width()))
                        .toList(),
                shortTerm,
                subset,
                train,
                recalibrationImages,
                heldOut,
                evalBatchSize,
                seed + i,
                seed * 131 + i);
        List<ProposalWork.Tuned> tuned = tuner.tune(work);
        if (tuned == null || tuned.size() != candidates.size()) {
            throw new IllegalStateException(
                    "proposal tuner returned " + (tuned == null ? "nothing" : tuned.size() + " results") + " for "
                            + candidates.size() + " proposals");
        }
        List<AdaptationReport.Proposal> proposals = new ArrayList<>();
        for (int k = 0; k < candidates.size(); k++) {
            Candidate c = candidates.get(k);
            proposals.add(new AdaptationReport.Proposal(
                    c.layer().name(),
                    c.layer().channels(),
                    c.width(),
                    c.resources(),
                    tuned.get(k).accuracy()));
        }
        int best = select(proposals, report.finalAccuracy(), now, cs.get(0).name());
        Network chosen = tuned.get(best).load();
        AdaptationReport.Proposal p = proposals.get(best);
        String file = checkpointDir == null ? null : AdaptationStore.networkFile(i);
        return new Step(
                new AdaptationReport.Iteration(
                        i,
                        targets,
                        p.layer(),
                        p.fromChannels(),
                        p.toChannels(),
                        p.resources(),
                        p.accuracy(),
                        proposals,
                        file),
                chosen);
    }

    /**
     * The largest width of {@code layer} that meets every target and can be cut exactly; with {@code fallback},
     * the smallest width that lowers the first unmet resource instead.
     */
    private Candidate scan(
            Network current,
            PrunableLayer layer,
            Map<String, Double> targets,
            boolean fallback,
            Map<String, Double> now,
            List<AdaptationReport.Constraint> cs,
            int iteration) {
        int floor = Math.max(minChannels, 1);
        List<Integer> widths = new ArrayList<>();
        for (int w = ((layer.channels() - 1) / granularity) * granularity; w >= floor; w -= granularity) {
            widths.add(w);
        }
        Map<Integer, NetworkSpec> specs = new LinkedHashMap<>();
        Map<Integer, Map<String, Double>> measured = new LinkedHashMap<>();
        java.util.function.IntFunction<Map<String, Double>> at = w -> measured.computeIfAbsent(w, k -> {
            try {
                NetworkSpec s = NetworkSurgery.withWidth(current.spec(), layer, k);
                specs.put(k, s);
                return resources(s);
            } catch (SpecException e) {
                return null;
            }
        });
        if (fallback) {
            String first = unmet(now, cs).get(0);
            for (int k = widths.size() - 1; k >= 0; k--) {
                int w = widths.get(k);
                Map<String, Double> r = at.apply(w);
                if (r != null && r.get(first) < now.get(first)) {
                    Candidate c = cut(current, layer, w, specs.get(w), r, iteration);
                    if (c != null) {
                        return c;
                    }
                }
            }
            return null;
        }
        // resources fall as filters are removed: binary search for the largest width that meets every target
        int lo = 0;
        int hi = widths.size();
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (meets(at.apply(widths.get(mid)), targets)) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        for (int k = lo; k < widths.size(); k++) {
            int w = widths.get(k);
            Map<String, Double> r = at.apply(w);
            if (meets(r, targets)) {
                Candidate c = cut(current, layer, w, specs.get(w), r, iteration);
                if (c != null) {
                    return c;
                }
            }
        }
        return null;
    }

    private static boolean meets(Map<String, Double> r, Map<String, Double> targets) {
        if (r == null) {
            return false;
        }
        for (Map.Entry<String, Double> t : targets.entrySet()) {
            if (r.get(t.getKey()) > t.getValue() * (1 + 1e-12)) {
                return false;
            }
        }
        return true;
    }

    private Candidate cut(
            Network current, PrunableLayer layer, int w, NetworkSpec s, Map<String, Double> r, int iteration) {
        try {
            NetworkSurgery.prune(current, layer, w, seed + iteration);
            return new Candidate(layer, w, s, r);
        } catch (SurgeryException e) {
            return null;
        }
    }

    private int select(
            List<AdaptationReport.Proposal> proposals,
            double currentAccuracy,
            Map<String, Double> now,
            String primary) {
        int best = -1;
        double bestScore = Double.NEGATIVE_INFINITY;
        double bestResource = Double.POSITIVE_INFINITY;
        for (int k = 0; k < proposals.size(); k++) {
            AdaptationReport.Proposal p = proposals.get(k);
            double res = p.resources().get(primary);
            double score;
            if (selection == Selection.HIGHEST_ACCURACY) {
                score = p.accuracy();
            } else {
                double saved = Math.max(now.get(primary) - res, 1e-12 * Math.max(1, now.get(primary)));
                score = -(currentAccuracy - p.accuracy()) / saved;
            }
            if (score > bestScore || (score == bestScore && res < bestResource)) {
                best = k;
                bestScore = score;
                bestResource = res;
            }
        }
        return best;
    }

    private Map<String, Double> resources(NetworkSpec s) {
        Map<String, Double> m = new LinkedHashMap<>();
        for (ResourceConstraint c : constraints) {
            m.put(c.name(), c.measure(s));
        }
        return m;
    }

    private static boolean met(Map<String, Double> r, List<AdaptationReport.Constraint> cs) {
        return unmet(r, cs).isEmpty();
    }

    private static List<String> unmet(Map<String, Double> r, List<AdaptationReport.Constraint> cs) {
        List<String> out = new ArrayList<>();
        for (AdaptationReport.Constraint c : cs) {
            if (r.get(c.name()) > c.budget() * (1 + 1e-12)) {
                out.add(c.name());
            }
        }
        return out;
    }

    /** Every prunable layer at its minimum width: if even that misses a budget, adaptation cannot succeed. */
    private void checkFeasible(NetworkSpec spec, List<AdaptationReport.Constraint> cs) {
        NetworkSpec smallest = spec;
        for (PrunableLayer l :
                NetworkSurgery.layers(spec).stream().filter(prunable).toList()) {
            int floor = Math.max(minChannels, 1);
            int w = Math.min(l.channels(), Math.max(floor, ((floor + granularity - 1) / granularity) * granularity));
            for (; w < l.channels(); w += granularity) {
                try {
                    smallest = NetworkSurgery.withWidth(smallest, l, w);
                    break;
                } catch (SpecException e) {
                    // try the next width
                }
            }
        }
        Map<String, Double> r = resources(smallest);
        for (AdaptationReport.Constraint c : cs) {
            if (r.get(c.name()) > c.budget() * (1 + 1e-12)) {
                throw new InfeasibleBudgetException(
                        c.name(),
                        c.budget(),
                        r.get(c.name()),
                        String.format(
                                Locale.ROOT,
                                "constraint %s: budget %.6g is below %.6g, the value of %s with every prunable layer at its "
                                        + "minimum width (granularity %d, at least %d channels); initial value %.6g",
                                c.name(),
                                c.budget(),
                                r.get(c.name()),
                                spec.name(),
                                granularity,
                                minChannels,
                                c.initial()));
            }
        }
    }

    private double accuracy(Network n) {
        return Evaluation.of(n, heldOut, evalBatchSize).top1();
    }

    private String fingerprint(NetworkSpec spec) {
        StringBuilder sb = new StringBuilder();
        sb.append("network=")
                .append(spec.name())
                .append('#')
                .append(Integer.toHexString(SpecJson.toJson(spec).hashCode()));
        for (ResourceConstraint c : constraints) {
            sb.append(";constraint=")
                    .append(c.name())
                    .append(':')
                    .append(c.budget())
                    .append(c.relative() ? "x" : "");
        }
        sb.append(";schedule=").append(schedule.initialFraction()).append('/').append(schedule.decay());
        sb.append(";layers=")
                .append(prunableLayers().stream().map(PrunableLayer::name).toList());
        sb.append(";granularity=").append(granularity).append(";minChannels=").append(minChannels);
        sb.append(";selection=").append(selection);
        sb.append(";shortTerm=").append(shortTerm.settings()).append(" x ").append(shortTermImages);
        sb.append(";recalibration=").append(recalibrationImages);
        sb.append(";longTerm=").append(longTerm == null ? "none" : longTerm.settings());
        sb.append(";data=").append(train.size()).append('/').append(heldOut.size());
        sb.append(";seed=").append(seed);
        return sb.toString();
    }

    /** A deep copy of a network (spec and parameters). */
    public static Network copy(Network n) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        n.save(b);
        return Network.load(new ByteArrayInputStream(b.toByteArray()));
    }

    /** A fixed pool for fine-tuning proposals, closed with the adaptation. */
}
