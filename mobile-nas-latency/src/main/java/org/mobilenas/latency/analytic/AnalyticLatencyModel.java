package org.mobilenas.latency.analytic;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.ArrayRealVector;
import org.apache.commons.math3.linear.QRDecomposition;
import org.apache.commons.math3.linear.RealVector;
import org.mobilenas.core.cost.Costs;
import org.mobilenas.core.cost.LayerCost;
import org.mobilenas.core.json.Json;
import org.mobilenas.core.json.JsonFormatException;
import org.mobilenas.core.latency.LatencyModel;
import org.mobilenas.core.latency.LatencyPrediction;
import org.mobilenas.core.latency.LayerLatency;
import org.mobilenas.core.spec.NetworkSpec;
import org.mobilenas.latency.Probes;
import org.mobilenas.latency.measure.DeviceInfo;
import org.mobilenas.latency.table.LatencyTable;

/**
 * An analytic latency model from the costs of a network's primitive operations. With {@link Features#ROOFLINE}
 * each operation costs {@code a_k·MACs + b_k·memory + c_k}, where the kind {@code k} is pointwise conv, depthwise
 * conv, other conv, linear, pooling or element-wise (batch norm, activations, add, SE scale, shuffles, ...),
 * MACs and memory access come from {@link Costs} (in millions), and {@code c_k} is a per-operation launch cost: an
 * additive roofline with a compute term, a memory term and a fixed term per kind. With {@link Features#MACS} the
 * whole network costs {@code a·MACs}: plain FLOPs as a proxy. Both add the table's fixed per-network overhead.
 *
 * <p>The coefficients are fitted by non-negative least squares (an active-set method over column-scaled
 * features) to the layer latencies of a {@link LatencyTable}: the features of a key are those of its probe
 * network minus those of its base network. The coefficients and the fit quality (R², RMSE, MAPE over the table's
 * entries) are kept in a {@link Fit}, saved and loaded as JSON. The coefficients are multiplied by the table's
 * end-to-end {@link LatencyTable#scale() scale}, and the table's overhead is added, like the table model does. At batch {@code b}, MACs and memory terms scale by
 * {@code b}. Thread-safe.
 *
 * <pre>{@code
 * AnalyticLatencyModel roofline = AnalyticLatencyModel.fit(table, AnalyticLatencyModel.Features.ROOFLINE);
 * System.out.println(roofline.fit().quality());
 * roofline.write(Path.of("analytic.json"));
 * double ms = AnalyticLatencyModel.read(Path.of("analytic.json")).predictMs(spec);
 * }</pre>
 */
public final class AnalyticLatencyModel implements LatencyModel {
    /** Value of the {@code format} field of a saved fit. */
    public static final String FORMAT = "mobile-nas/analytic-latency";
    /** The format id of fits written before the {@code mobile-nas/<thing>} convention, still read. */
    static final String LEGACY_FORMAT = "mobile-nas-analytic-latency";
    /** Version of the saved fit format. */
    public static final int VERSION = 1;

    /** Which features the model uses. */
    public enum Features {
        /** Per kind of operation: a MACs term, a memory-access term and a fixed term. */
        ROOFLINE,
        /** One coefficient on the network's MACs. */
        MACS
    }

    /** Kinds of primitive operations with their own coefficients. */
    public enum OpKind {
        /** 1×1 convolutions. */
        POINTWISE,
        /** Depthwise convolutions. */
        DEPTHWISE,
        /** Other convolutions (regular and grouped). */
        CONV,
        /** Fully connected layers. */
        LINEAR,
        /** Pooling. */
        POOL,
        /** Element-wise work: batch norm, activations, additions, SE scaling, shuffles. */
        ELEMENTWISE
    }

    private static final String[] TERMS = {"macs", "memory", "count"};

    /**
     * A fitted coefficient.
     *
     * @param name        {@code <kind>.<macs|memory|count>} (e.g. {@code depthwise.memory}) or {@code macs}
     * @param coefficient milliseconds per million MACs / million elements / operation
     */
    public record Term(String name, double coefficient) {
        /** Checks the components (a bad one is an error naming it). */
        public Term {
            Objects.requireNonNull(name, "term.name");
            if (!Double.isFinite(coefficient) || coefficient < 0) {
                throw new IllegalArgumentException(
                        "term " + name + ": coefficient " + coefficient + " must be a finite number >= 0");
            }
        }
    }

    /**
     * Quality of the fit over the table's entries.
     *
     * @param samples entries fitted
     * @param r2      coefficient of determination
     * @param rmseMs  root mean square error, milliseconds
     * @param mape    mean absolute percentage error (entries above 1 µs), as a fraction
     */
    public record FitQuality(int samples, double r2, double rmseMs, double mape) {}

    /** A saved model: features, device, overhead, coefficients and fit quality. */
    public record Fit(
            String format,
            int version,
            Features features,
            DeviceInfo device,
            double overheadMs,
            List<Term> terms,
            FitQuality quality) {
        /** Checks the components (a bad one is an error naming it). */
        public Fit {
            Objects.requireNonNull(features, "fit.features");
            Objects.requireNonNull(device, "fit.device");
            if (!Double.isFinite(overheadMs) || overheadMs < 0) {
                throw new IllegalArgumentException("fit.overheadMs " + overheadMs + " must be a finite number >= 0");
            }
            terms = List.copyOf(terms);
            int expected = columns(features);
            if (terms.size() != expected) {
                throw new IllegalArgumentException(
                        "fit.terms has " + terms.size() + " terms, expected " + expected + " for features " + features);
            }
        }
    }

    private final Fit fit;
    private final double[] coefficients;

    private AnalyticLatencyModel(Fit fit) {
        this.fit = fit;
        this.coefficients = fit.terms().stream().mapToDouble(Term::coefficient).toArray();
    }

    /** The model of a saved or hand-made fit. */
    public static AnalyticLatencyModel of(Fit fit) {
        return new AnalyticLatencyModel(Objects.requireNonNull(fit, "fit"));
    }

    /** The fitted coefficients and the fit's quality. */
    public Fit fit() {
        return fit;
    }

    static int columns(Features f) {
        return f == Features.MACS ? 1 : OpKind.values().length * TERMS.length;
    }

    static List<String> termNames(Features f) {
        if (f == Features.MACS) {
            return List.of("macs");
        }
        List<String> names = new ArrayList<>();
        for (OpKind k : OpKind.values()) {
            for (String t : TERMS) {
                names.add(k.name().toLowerCase(Locale.ROOT) + "." + t);
            }
        }
        return names;
    }

    /** The kind of a primitive operation from its cost label ({@code conv1x1/s1}, {@code dwconv3x3/s2}, ...). */
    static OpKind kind(String op) {
        if (op.startsWith("dwconv")) {
            return OpKind.DEPTHWISE;
        }
        if (op.startsWith("conv1x1") && !op.contains("/g")) {
            return OpKind.POINTWISE;
        }
        if (op.startsWith("conv")) {
            return OpKind.CONV;
        }
        if (op.equals("linear")) {
            return OpKind.LINEAR;
        }
        if (op.contains("pool")) {
            return OpKind.POOL;
        }
        return OpKind.ELEMENTWISE;
    }

    /** Adds one operation's features (at batch {@code batch}) to {@code x}. */
    static void addFeatures(Features f, LayerCost c, int batch, double[] x, double sign) {
        if (f == Features.MACS) {
            x[0] += sign * c.macs() * batch / 1e6;
            return;
        }
        int base = kind(c.op()).ordinal() * TERMS.length;
        x[base] += sign * c.macs() * batch / 1e6;
        x[base + 1] += sign * c.memoryAccess() * batch / 1e6;
        x[base + 2] += sign;
    }

    static double[] features(Features f, Costs costs, int batch, double[] x, double sign) {
        for (LayerCost c : costs.layers()) {
            addFeatures(f, c, batch, x, sign);
        }
        return x;
    }

    /** Fits the coefficients of {@code features} to the layer latencies of {@code table}. */
    public static AnalyticLatencyModel fit(LatencyTable table, Features features) {
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(features, "features");
        List<LatencyTable.Entry> entries = table.entries();
        if (entries.isEmpty()) {
            throw new IllegalArgumentException("cannot fit an analytic model to an empty latency table");
        }
        int m = entries.size();
        int n = columns(features);
        double[][] x = new double[m][];
        double[] y = new double[m];
        for (int i = 0; i < m; i++) {
            LatencyTable.Entry e = entries.get(i);
            double[] row = new double[n];
            int batch = e.key().batch();
            features(features, Costs.of(Probes.probe(e.key())), batch, row, 1);
            features(features, Costs.of(Probes.base(e.key())), batch, row, -1);
            x[i] = row;
            y[i] = e.ms();
        }
        double[] w = nonNegativeLeastSquares(x, y);
        List<String> names = termNames(features);
        List<Term> terms = new ArrayList<>();
        for (int j = 0; j < n; j++) {
            terms.add(new Term(names.get(j), w[j] * table.scale()));
        }
        // quality is that of the layer fit; the coefficients carry the table's end-to-end scale, and its overhead
        // when that is a fixed cost (a negative one, the table's size-dependent slowdown, is left out: the linear
        // terms cannot follow it below the calibrated range)
        Fit fit = new Fit(
                FORMAT, VERSION, features, table.device(), Math.max(0, table.overheadMs()), terms, quality(x, y, w));
        return new AnalyticLatencyModel(fit);
    }

    static FitQuality quality(double[][] x, double[] y, double[] w) {
        int m = y.length;
        double mean = 0;
        for (double v : y) {
            mean += v / m;
        }
        double ssRes = 0;
        double ssTot = 0;
        double ape = 0;
        int apeN = 0;
        for (int i = 0; i < m; i++) {
            double p = dot(x[i], w);
            ssRes += (p - y[i]) * (p - y[i]);
            ssTot += (y[i] - mean) * (y[i] - mean);
            if (y[i] > 1e-3) {
                ape += Math.abs(p - y[i]) / y[i];
                apeN++;
            }
        }
        return new FitQuality(m, ssTot > 0 ? 1 - ssRes / ssTot : 0, Math.sqrt(ssRes / m), apeN > 0 ? ape / apeN : 0);
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    /**
     * Least squares with non-negative coefficients: columns are scaled to unit norm; an unconstrained solution
     * (with a tiny ridge for rank-deficient columns) is computed on the active columns, and the most negative
     * coefficient's column is dropped until none is negative. All-zero columns get coefficient 0.
     */
    static double[] nonNegativeLeastSquares(double[][] x, double[] y) {
        int m = y.length;
        int n = x[0].length;
        double[] norm = new double[n];
        for (double[] row : x) {
            for (int j = 0; j < n; j++) {
                norm[j] += row[j] * row[j];
            }
        }
        List<Integer> active = new ArrayList<>();
        for (int j = 0; j < n; j++) {
            norm[j] = Math.sqrt(norm[j]);
            if (norm[j] > 0) {
                active.add(j);
            }
        }
        double[] w = new double[n];
        while (!active.isEmpty()) {
            int k = active.size();
            double ridge = 1e-6;
            Array2DRowRealMatrix a = new Array2DRowRealMatrix(m + k, k);
            ArrayRealVector b = new ArrayRealVector(m + k);
            for (int i = 0; i < m; i++) {
                for (int c = 0; c < k; c++) {
                    a.setEntry(i, c, x[i][active.get(c)] / norm[active.get(c)]);
                }
                b.setEntry(i, y[i]);
            }
            for (int c = 0; c < k; c++) {
                a.setEntry(m + c, c, ridge);
            }
            RealVector s = new QRDecomposition(a).getSolver().solve(b);
            int worst = -1;
            for (int c = 0; c < k; c++) {
                if (s.getEntry(c) < 0 && (worst < 0 || s.getEntry(c) < s.getEntry(worst))) {
                    worst = c;
                }
            }
            if (worst < 0) {
                java.util.Arrays.fill(w, 0);
                for (int c = 0; c < k; c++) {
                    w[active.get(c)] = s.getEntry(c) / norm[active.get(c)];
                }
                return w;
            }
            active.remove(worst);
        }
        return w;
    }

    @Override
    public String name() {
        return (fit.features() == Features.MACS ? "flops:" : "analytic:")
                + fit.device().name();
    }

    @Override
    public LatencyPrediction predict(NetworkSpec spec, int batchSize) {
        Objects.requireNonNull(spec, "spec");
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize " + batchSize + " must be >= 1");
        }
        Costs costs = Costs.of(spec);
        Map<String, Double> perLayer = new LinkedHashMap<>();
        Map<String, String> firstOp = new LinkedHashMap<>();
        double total = 0;
        double[] x = new double[coefficients.length];
        for (LayerCost c : costs.layers()) {
            java.util.Arrays.fill(x, 0);
            addFeatures(fit.features(), c, batchSize, x, 1);
            double ms = dot(x, coefficients);
            String layer = layerOf(c.name());
            perLayer.merge(layer, ms, Double::sum);
            firstOp.putIfAbsent(layer, c.name());
            total += ms;
        }
        List<LayerLatency> layers = new ArrayList<>();
        for (Map.Entry<String, Double> e : perLayer.entrySet()) {
            layers.add(new LayerLatency(
                    firstOp.get(e.getKey()), fit.features().name().toLowerCase(Locale.ROOT), e.getValue()));
        }
        return new LatencyPrediction(total + fit.overheadMs(), fit.overheadMs(), layers);
    }

    /** The block path of a node name: {@code stages[1].blocks[0]} of {@code stages[1].blocks[0].dw.conv}. */
    static String layerOf(String node) {
        if (node.startsWith("stages[")) {
            int first = node.indexOf(']');
            int second = node.indexOf(']', first + 1);
            return second > 0 ? node.substring(0, second + 1) : node;
        }
        int dot = node.indexOf('.');
        return dot > 0 ? node.substring(0, dot) : node;
    }

    /** Writes the fit as JSON. */
    public void write(Path file) {
        try {
            Path dir = file.toAbsolutePath().getParent();
            if (dir != null) {
                Files.createDirectories(dir);
            }
            Files.writeString(file, Json.write(fit), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("writing analytic latency model " + file, e);
        }
    }

    /** Reads a fit written by {@link #write(Path)}. */
    public static AnalyticLatencyModel read(Path file) {
        try {
            Fit f = Json.mapper().readValue(Files.readString(file, StandardCharsets.UTF_8), Fit.class);
            if (!(FORMAT.equals(f.format()) || LEGACY_FORMAT.equals(f.format())) || f.version() != VERSION) {
                throw new JsonFormatException(
                        "analytic latency model " + file + ": format '" + f.format() + "' version " + f.version()
                                + ", expected '" + FORMAT + "' version " + VERSION,
                        0,
                        0,
                        "format",
                        null);
            }
            return of(f);
        } catch (JsonProcessingException e) {
            throw new JsonFormatException(
                    "analytic latency model " + file + ": " + e.getOriginalMessage(),
                    e.getLocation() == null ? 0 : e.getLocation().getLineNr(),
                    e.getLocation() == null ? 0 : e.getLocation().getColumnNr(),
                    "",
                    e);
        } catch (IOException e) {
            throw new UncheckedIOException("reading analytic latency model " + file, e);
        }
    }

    @Override
    public String toString() {
        return "AnalyticLatencyModel[" + name() + ", " + fit.quality() + "]";
    }
}
