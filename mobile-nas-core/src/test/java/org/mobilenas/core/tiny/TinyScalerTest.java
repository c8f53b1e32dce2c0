package org.mobilenas.core.tiny;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.mobilenas.core.budget.InfeasibleBudgetException;
import org.mobilenas.core.cost.Costs;
import org.mobilenas.core.json.JsonFormatException;
import org.mobilenas.core.search.Evaluator;
import org.mobilenas.core.spec.ConvBlock;
import org.mobilenas.core.spec.NetworkSpec;
import org.mobilenas.core.spec.Scaling;
import org.mobilenas.core.spec.StageSpec;

class TinyScalerTest {
    private static final TinyScaler SCALER = TinyScaler.builder(Bases.b0()).build();

    /** A synthetic accuracy that rewards resolution most, then depth, then width (the paper's finding). */
    private static double accuracy(ScaledNetwork s) {
        return 0.5 + 0.2 * Math.min(1, s.r()) + 0.1 * Math.min(1, s.d()) + 0.02 * Math.min(1, s.w());
    }

    private static final Evaluator SYNTHETIC = Evaluator.of(spec -> {
        double r = spec.resolution() / 224.0;
        double depth = spec.stages().stream().mapToInt(StageSpec::depth).sum() / 16.0;
        double width = spec.stages().get(3).blocks().get(0).outChannels(0) / 80.0;
        return Math.min(1, 0.5 + 0.2 * Math.min(1, r) + 0.1 * Math.min(1, depth) + 0.02 * Math.min(1, width));
    });

    @Test
    void unitMultipliersAndPhiZeroGiveTheBase() {
        ScaledNetwork one = SCALER.scale(1, 1, 1);
        assertThat(one.spec().withName("b0")).isEqualTo(Bases.b0());
        assertThat(one.fraction()).isEqualTo(1.0);
        assertThat(SCALER.baseCost()).isEqualTo(Costs.of(Bases.b0()).macs());
        assertThat(SCALER.giant(0).spec().withName("b0")).isEqualTo(Bases.b0());
    }

    @Test
    void scalingFollowsTheTinyNetRules() {
        // TinyNet-E's (r, w, d) = (0.475, 0.51, 0.60): 106 px, stem fixed at 32, head max(1280, ...), round half even
        ScaledNetwork e = SCALER.scale(0.475, 0.60, 0.51);
        NetworkSpec spec = e.spec();
        assertThat(spec.resolution()).isEqualTo(106);
        assertThat(spec.stages()).extracting(StageSpec::depth).containsExactly(1, 1, 1, 2, 2, 2, 1);
        assertThat(((ConvBlock) spec.stem().get(0)).out()).isEqualTo(32);
        assertThat(((ConvBlock) spec.head().get(0)).out()).isEqualTo(1280);
        assertThat(spec.stages().get(0).blocks().get(0).outChannels(0)).isEqualTo(8);
        assertThat(spec.name()).isEqualTo("b0_r0.475_d0.600_w0.510");
        // paper: 24 M FLOPs; exact MACs of this network
        assertThat(e.cost()).isEqualTo(24_356_848);
    }

    @Test
    void giantFormulaGrowsAndInverseGiantLandsNearTheBudget() {
        ScaledNetwork b1ish = SCALER.giant(1);
        assertThat(b1ish.r()).isCloseTo(1.15, within(1e-12));
        assertThat(b1ish.d()).isCloseTo(1.2, within(1e-12));
        assertThat(b1ish.w()).isCloseTo(1.1, within(1e-12));
        assertThat(b1ish.fraction()).isGreaterThan(1.5);
        for (double c : new double[] {0.05, 0.1, 0.25, 0.5}) {
            ScaledNetwork inv = SCALER.inverseGiant(c);
            assertThat(inv.relativeError(c)).as("c=%s", c).isLessThan(0.05);
            // one φ for all three: r = γ^φ, d = α^φ, w = β^φ
            double phi = Math.log(inv.d()) / Math.log(1.2);
            assertThat(phi).isNegative();
            assertThat(inv.r()).isCloseTo(Math.pow(1.15, phi), within(1e-9));
            assertThat(inv.w()).isCloseTo(Math.pow(1.1, phi), within(1e-9));
        }
        assertThatThrownBy(() -> SCALER.inverseGiant(1.5)).hasMessageContaining("must be in (0, 1]");
    }

    @ParameterizedTest
    @ValueSource(doubles = {0.03, 0.05, 0.1, 0.2, 0.35, 0.5, 0.75, 1.0})
    void budgetsFromThreePercentToTheWholeBaseLandWithinTolerance(double c) {
        // a resolution- and depth-heavy shape, as the tiny formula gives
        ScaledNetwork s = SCALER.atBudget(c, Math.pow(c, 0.25), Math.pow(c, 0.3));
        assertThat(s.relativeError(c)).isLessThanOrEqualTo(0.03);
        assertThat(s.fraction()).isEqualTo(Costs.of(s.spec()).macs() / SCALER.baseCost());
    }

    @Test
    void unreachableBudgetsSayWhy() {
        assertThatThrownBy(() -> SCALER.atBudget(0.001, 0.5, 0.5))
                .isInstanceOf(InfeasibleBudgetException.class)
                .hasMessageContaining("budget c = 0.001 of 'b0'")
                .hasMessageContaining("cannot be met within ±3.0%")
                .hasMessageContaining("at the smallest width w = 0.1 it still costs");
        assertThatThrownBy(() -> SCALER.widthOnly(0.05))
                .isInstanceOf(InfeasibleBudgetException.class)
                .hasMessageContaining("by width alone")
                .satisfies(e ->
                        assertThat(((InfeasibleBudgetException) e).nearest()).isGreaterThan(0.1));
        assertThatThrownBy(() -> SCALER.atBudget(3.0, 1.0, 1.0)).hasMessageContaining("at the largest width w = 1.5");
        assertThat(SCALER.widthOnly(0.5).relativeError(0.5)).isLessThanOrEqualTo(0.03);
    }

    @Test
    void invalidInputIsRejectedNamingTheField() {
        assertThatThrownBy(() -> SCALER.scale(0, 1, 1)).hasMessage("r 0.0 must be a finite number > 0");
        assertThatThrownBy(() -> SCALER.scale(1, -1, 1)).hasMessage("d -1.0 must be a finite number > 0");
        assertThatThrownBy(() -> SCALER.scale(1, 1, Double.NaN)).hasMessage("w NaN must be a finite number > 0");
        assertThatThrownBy(() -> SCALER.scale(0.001, 1, 1)).hasMessageContaining("gives resolution 0");
        assertThatThrownBy(() -> SCALER.atBudget(0, 1, 1)).hasMessageContaining("budget c 0.0 must be");
        assertThatThrownBy(() -> SCALER.sample(-0.5, 3, 1)).hasMessageContaining("budget c -0.5");
        assertThatThrownBy(() -> SCALER.sample(0.5, 0, 1)).hasMessageContaining("samples n 0 must be >= 1");
        assertThatThrownBy(() -> SCALER.giant(Double.POSITIVE_INFINITY)).hasMessageContaining("phi Infinity");
        assertThatThrownBy(() -> SCALER.giant(60)).hasMessageContaining("phi 60.0: expected a finite number in");
        assertThatThrownBy(() -> SCALER.inverseGiant(1e-6))
                .isInstanceOf(InfeasibleBudgetException.class)
                .hasMessageContaining("inverse giant formula")
                .satisfies(e ->
                        assertThat(((InfeasibleBudgetException) e).nearest()).isGreaterThan(1e-4));
        assertThatThrownBy(() ->
                        SCALER.fit(java.util.List.of(1.5), 2, org.mobilenas.core.search.Evaluator.of(spec -> 0.5), 1))
                .hasMessageContaining("budget c 1.5: expected a fraction in (0, 1]");
        assertThatThrownBy(() -> SCALER.tiny(0.25))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("no fitted tiny formula");
        assertThatThrownBy(() -> TinyScaler.builder(null)).hasMessageContaining("base network is missing");
        assertThatThrownBy(() -> TinyScaler.builder(Bases.b0()).tolerance(0))
                .hasMessage("tolerance 0.0 must be in (0, 0.5]");
        assertThatThrownBy(() -> TinyScaler.builder(Bases.b0()).cost(" ", s -> 1))
                .hasMessageContaining("non-blank name");
        assertThatThrownBy(() ->
                        TinyScaler.builder(Bases.b0()).cost("zero", s -> 0).build())
                .hasMessageContaining("cost 'zero' of the base network 'b0' is 0.0");
        assertThatThrownBy(() -> new SamplingRanges(0.5, 0.4, 0.1, 1, 0.1, 1)).hasMessageContaining("ranges.rMax 0.4");
        assertThatThrownBy(() -> new CompoundCoefficients(1, 1, 1)).hasMessageContaining("must be > 1");
        assertThatThrownBy(() -> SCALER.fit(List.of(), 3, SYNTHETIC, 1))
                .hasMessageContaining("budgets must be a non-empty");
    }

    @Test
    void samplesAreDistinctAndWithinTolerance() {
        List<ScaledNetwork> s = SCALER.sample(0.2, 8, 11);
        assertThat(s).hasSize(8);
        assertThat(new HashSet<>(s.stream().map(x -> x.spec().withName("")).toList()))
                .hasSize(8);
        assertThat(s).allSatisfy(x -> assertThat(x.relativeError(0.2)).isLessThanOrEqualTo(0.03));
        assertThat(SCALER.sample(0.2, 8, 11)).isEqualTo(s);
    }

    @Test
    void fitLearnsTheShapeOfTheBestModelsAndRanksResolutionFirst() {
        TinyScaler small = TinyScaler.builder(Bases.b0()).topFraction(0.3).build();
        TinyFit fit = small.fit(List.of(0.1, 0.25, 0.5), 10, SYNTHETIC, 5);
        assertThat(fit.observations()).hasSize(30);
        assertThat(fit.best()).isNotEmpty();
        assertThat(fit.failures()).isEmpty();
        assertThat(fit.pooled().ranking().get(0)).isEqualTo("resolution");
        assertThat(fit.pooled().resolution()).isPositive();
        assertThat(fit.perBudget()).hasSize(3);
        TinyScaler fitted = small.withFormula(fit.formula());
        for (double c : new double[] {0.1, 0.25, 0.5}) {
            ScaledNetwork t = fitted.tiny(c);
            assertThat(t.relativeError(c)).isLessThanOrEqualTo(0.03);
            // the formula prefers resolution: at equal cost the tiny network beats the inverse giant one
            assertThat(accuracy(t)).as("c=%s", c).isGreaterThanOrEqualTo(accuracy(small.inverseGiant(c)) - 1e-9);
            TinyFormula.Point p = fit.formula().predict(c);
            assertThat(p.w()).isCloseTo(Math.sqrt(c / (p.r() * p.r() * p.d())), within(1e-12));
        }
        assertThat(fit.formula().describe()).contains("lengthScale=");
    }

    @Test
    void failuresAreKeptAndAnAllFailingEvaluatorIsReported() {
        Evaluator half = Evaluator.of(spec -> {
            if (spec.resolution() % 2 == 1) {
                throw new IllegalStateException("odd resolution");
            }
            return 0.5;
        });
        TinyFit fit = SCALER.fit(List.of(0.25), 12, half, 2);
        assertThat(fit.failures())
                .allSatisfy(o -> assertThat(o.outcome().failure()).contains("odd resolution"));
        assertThatThrownBy(() -> SCALER.fit(
                        List.of(0.25),
                        4,
                        Evaluator.of(s -> {
                            throw new IllegalStateException("no data");
                        }),
                        2))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("no candidate was evaluated successfully")
                .hasMessageContaining("no data");
    }

    @Test
    void paretoBestKeepsOnlyUndominatedModelsOfTheTopFraction() {
        var ok = org.mobilenas.core.search.Outcome.accuracy(0.8);
        Observation a = new Observation(0.25, 1, 1, 1, 0.25, "a", ok);
        Observation b = new Observation(0.25, 1, 1, 1, 0.24, "b", ok);
        Observation c = new Observation(0.25, 1, 1, 1, 0.24, "c", org.mobilenas.core.search.Outcome.accuracy(0.7));
        Observation d = new Observation(0.25, 1, 1, 1, 0.20, "d", org.mobilenas.core.search.Outcome.accuracy(0.1));
        assertThat(TinyScaler.paretoBest(List.of(a, b, c, d), 1.0))
                .extracting(Observation::network)
                .containsExactly("b", "d");
        assertThat(TinyScaler.paretoBest(List.of(a, b, c, d), 0.5))
                .extracting(Observation::network)
                .containsExactly("b");
    }

    @Test
    void aFittedScalerSavesAndLoadsWithoutResampling(@TempDir Path dir) throws Exception {
        TinyFit fit = SCALER.fit(List.of(0.1, 0.3), 6, SYNTHETIC, 9);
        TinyScaler fitted = SCALER.withFormula(fit.formula());
        Path file = dir.resolve("tiny.json");
        fitted.save(file);
        TinyScaler loaded = TinyScaler.load(file);
        assertThat(loaded.base()).isEqualTo(fitted.base());
        assertThat(loaded.rules()).isEqualTo(Scaling.Rules.tinyNet());
        assertThat(loaded.formula().resolution().kernel())
                .isEqualTo(fit.formula().resolution().kernel());
        assertThat(loaded.tiny(0.2)).isEqualTo(fitted.tiny(0.2));
        assertThat(loaded.toJson()).isEqualTo(fitted.toJson());
        // an unfitted scaler round-trips too
        assertThat(TinyScaler.fromJson(SCALER.toJson()).formula()).isNull();

        String json = Files.readString(file);
        assertThatThrownBy(() -> TinyScaler.fromJson(json.replace("\"version\" : 1", "\"version\" : 7")))
                .isInstanceOf(JsonFormatException.class)
                .hasMessageContaining("tiny scaler: version 7, expected 1 ");
        assertThatThrownBy(() -> TinyScaler.fromJson(json.substring(0, json.length() / 2)))
                .isInstanceOf(JsonFormatException.class)
                .hasMessageContaining("not valid JSON");
        assertThatThrownBy(() -> TinyScaler.fromJson(json.replace("mobile-nas/tiny-scaler", "mobile-nas/network")))
                .hasMessageContaining("tiny scaler: format 'mobile-nas/network', expected 'mobile-nas/tiny-scaler'");
        assertThatThrownBy(() -> TinyScaler.fromJson(json.replace("\"lengthScale\"", "\"length\"")))
                .isInstanceOf(JsonFormatException.class)
                .hasMessageContaining("formula.resolution.kernel");
        assertThatThrownBy(() -> TinyScaler.fromJson(json.replace("\"tolerance\" : 0.03", "\"tolerance\" : -1")))
                .hasMessageContaining("tolerance -1.0 must be in (0, 0.5]");
        assertThatThrownBy(() -> TinyScaler.fromJson("")).hasMessageContaining("empty document");
        assertThatThrownBy(() -> TinyScaler.fromJson(json, "latency-ms", s -> 1.0))
                .hasMessageContaining("fitted with the budget function 'macs'");
    }

    @Test
    void aLatencyLikeBudgetFunctionPlugsIn() {
        // any cost: here peak activation memory stands in for a latency model
        TinyScaler byMemory = TinyScaler.builder(Bases.b0())
                .cost("peak-activation", s -> Costs.of(s).peakActivationElements())
                .build();
        ScaledNetwork s = byMemory.atBudget(0.3, 0.6, 0.8);
        assertThat(s.relativeError(0.3)).isLessThanOrEqualTo(0.03);
        assertThat(s.cost()).isEqualTo(Costs.of(s.spec()).peakActivationElements());
        String json = byMemory.toJson();
        assertThatThrownBy(() -> TinyScaler.fromJson(json))
                .hasMessageContaining("TinyScaler.load(file, \"peak-activation\"");
        TinyScaler back =
                TinyScaler.fromJson(json, "peak-activation", x -> Costs.of(x).peakActivationElements());
        assertThat(back.costName()).isEqualTo("peak-activation");
    }
}
