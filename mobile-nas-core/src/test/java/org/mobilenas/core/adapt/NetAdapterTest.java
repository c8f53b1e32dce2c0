package org.mobilenas.core.adapt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mobilenas.core.budget.InfeasibleBudgetException;
import org.mobilenas.core.cost.Costs;
import org.mobilenas.core.data.ImageDataset;
import org.mobilenas.core.data.SyntheticImages;
import org.mobilenas.core.engine.Network;
import org.mobilenas.core.latency.LatencyModel;
import org.mobilenas.core.spec.NetworkSpec;
import org.mobilenas.core.train.LrSchedule;
import org.mobilenas.core.train.Optimizer;
import org.mobilenas.core.train.Trainer;

class NetAdapterTest {
    static ImageDataset train;
    static ImageDataset heldOut;
    static Network trained;

    @BeforeAll
    static void data() {
        ImageDataset all = SyntheticImages.builder()
                .classes(5)
                .size(8)
                .channels(3)
                .samples(240)
                .seed(3)
                .build();
        ImageDataset.Split s = all.split(0.25, 3);
        train = s.train();
        heldOut = s.validation();
        trained = Network.realize(NetworkSurgeryTest.v2(), 11);
        trainer(2).fit(trained, train);
    }

    static Trainer trainer(int epochs) {
        return Trainer.builder()
                .optimizer(Optimizer.sgd(0.9, true))
                .schedule(LrSchedule.constant(0.02))
                .epochs(epochs)
                .batchSize(32)
                .seed(5)
                .build();
    }

    static NetAdapter.Builder adapter(Network net) {
        return NetAdapter.builder(net)
                .schedule(new ReductionSchedule(0.15, 0.9))
                .shortTerm(trainer(1), 96)
                .data(train, heldOut)
                .parallelism(2)
                .seed(7);
    }

    @Test
    void meetsAMacsBudgetAndReportsEveryIteration(@TempDir Path dir) {
        double r0 = Costs.of(trained.spec()).macs();
        AdaptationResult r = adapter(trained)
                .constraint(ResourceConstraint.macs(0.6 * r0))
                .build()
                .run();
        AdaptationReport rep = r.report();
        assertThat(rep.complete()).isTrue();
        assertThat(rep.constraints().get(0).initial()).isEqualTo(r0);
        assertThat(rep.iterations()).isNotEmpty();
        assertThat(r.networks()).hasSize(rep.iterations().size() + 1);
        double previous = r0;
        for (int i = 0; i < rep.iterations().size(); i++) {
            AdaptationReport.Iteration it = rep.iterations().get(i);
            Network n = r.networks().get(i + 1);
            double macs = Costs.of(n.spec()).macs();
            assertThat(it.resources().get("macs")).isEqualTo(macs);
            assertThat(macs)
                    .isLessThan(previous)
                    .isLessThanOrEqualTo(it.targets().get("macs"));
            assertThat(it.proposals()).isNotEmpty();
            assertThat(it.proposals())
                    .extracting(AdaptationReport.Proposal::layer)
                    .doesNotHaveDuplicates();
            double best = it.proposals().stream()
                    .mapToDouble(AdaptationReport.Proposal::accuracy)
                    .max()
                    .orElseThrow();
            assertThat(it.accuracy()).isEqualTo(best);
            assertThat(n.parameters().trainableCount())
                    .isEqualTo(Costs.of(n.spec()).params());
            previous = macs;
        }
        // the final network, measured by the model that defined the constraint, meets the budget
        assertThat((double) Costs.of(r.finalNetwork().spec()).macs()).isLessThanOrEqualTo(0.6 * r0);
        // the first iteration's target follows the schedule
        assertThat(rep.iterations().get(0).targets().get("macs"))
                .isCloseTo(r0 - 0.15 * r0, org.assertj.core.data.Offset.offset(1e-6 * r0));
        // report: JSON round trip, table, plot
        assertThat(AdaptationReport.fromJson(rep.toJson())).isEqualTo(rep);
        assertThat(rep.table())
                .contains("macs")
                .contains(rep.iterations().get(0).layer().substring(0, 5));
        Path png = dir.resolve("plot.png");
        rep.plot(png, "macs");
        assertThat(png).exists();
        assertThatThrownBy(() -> rep.plot(png, "latency")).hasMessageContaining("no constraint named 'latency'");
    }

    @Test
    void everyConstraintIsMetByItsOwnModel() {
        NetworkSpec s = trained.spec();
        LatencyModel analytic =
                LatencyModel.of("analytic", spec -> 0.1 + Costs.of(spec).memoryAccess() / 1e6);
        double lat0 = analytic.predictMs(s);
        double params0 = Costs.of(s).params();
        AdaptationResult r = adapter(trained)
                .constraint(ResourceConstraint.latencyFraction(analytic, 0.7))
                .constraint(ResourceConstraint.params(0.5 * params0))
                .selection(Selection.SMALLEST_DROP_PER_RESOURCE)
                .longTerm(trainer(1))
                .build()
                .run();
        NetworkSpec fin = r.finalNetwork().spec();
        assertThat(analytic.predictMs(fin)).isLessThanOrEqualTo(0.7 * lat0);
        assertThat((double) Costs.of(fin).params()).isLessThanOrEqualTo(0.5 * params0);
        assertThat(r.report().constraints())
                .extracting(AdaptationReport.Constraint::name)
                .containsExactly("latency:analytic", "params");
        assertThat(r.report().longTermAccuracy()).isNotNull().isBetween(0.0, 1.0);
        // the long-term fine-tune works on a copy: the last iteration's network is unchanged
        assertThat(r.finalNetwork()).isNotSameAs(r.networks().get(r.networks().size() - 1));
    }

    @Test
    void anInfeasibleBudgetNamesTheConstraint() {
        assertThatThrownBy(() -> adapter(trained)
                        .constraint(ResourceConstraint.of(
                                "energy", spec -> Costs.of(spec).macs() * 1e-6, 1e-3))
                        .build()
                        .run())
                .isInstanceOf(InfeasibleBudgetException.class)
                .hasMessageContaining("constraint energy: budget 0.001")
                .hasMessageContaining("minimum width")
                .satisfies(e ->
                        assertThat(((InfeasibleBudgetException) e).resource()).isEqualTo("energy"));
        // reachable by the smallest network but not by pruning only some layers: a clear error too
        assertThatThrownBy(() -> adapter(trained)
                        .prunable(l -> l.name().equals("head[0]"))
                        .constraint(ResourceConstraint.macs(
                                0.2 * Costs.of(trained.spec()).macs()))
                        .build()
                        .run())
                .isInstanceOf(InfeasibleBudgetException.class)
                .hasMessageContaining("constraint macs");
    }

    @Test
    void anInterruptedAdaptationResumesFromItsCheckpoint(@TempDir Path dir) throws Exception {
        double budget = 0.55 * Costs.of(trained.spec()).macs();
        Path full = dir.resolve("full");
        AdaptationResult reference = adapter(trained)
                .constraint(ResourceConstraint.macs(budget))
                .checkpointDir(full)
                .build()
                .run();
        assertThat(reference.report().iterations().size()).isGreaterThanOrEqualTo(3);
        assertThat(full.resolve(NetAdapter.STATE_FILE)).exists();
        assertThat(full.resolve("network-0001.mnas")).exists();

        Path interrupted = dir.resolve("interrupted");
        List<Integer> seen = new ArrayList<>();
        assertThatThrownBy(() -> adapter(trained)
                        .constraint(ResourceConstraint.macs(budget))
                        .checkpointDir(interrupted)
                        .listener((it, n) -> {
                            seen.add(it.index());
                            if (it.index() == 2) {
                                throw new IllegalStateException("killed after iteration 2");
                            }
                        })
                        .build()
                        .run())
                .hasMessageContaining("killed");
        assertThat(seen).containsExactly(1, 2);
        assertThat(AdaptationReport.fromJson(Files.readString(interrupted.resolve(NetAdapter.STATE_FILE)))
                        .iterations())
                .hasSize(2);

        List<Integer> resumed = new ArrayList<>();
        AdaptationResult r = adapter(trained)
                .constraint(ResourceConstraint.macs(budget))
                .checkpointDir(interrupted)
                .listener((it, n) -> resumed.add(it.index()))
                .build()
                .run();
        assertThat(resumed.get(0)).isEqualTo(3);
        assertThat(r.report().iterations()).isEqualTo(reference.report().iterations());
        assertThat(r.finalNetwork().spec()).isEqualTo(reference.finalNetwork().spec());
        for (String p : r.finalNetwork().parameters().names()) {
            assertThat(r.finalNetwork().parameters().get(p).value())
                    .isEqualTo(reference.finalNetwork().parameters().get(p).value());
        }
        // a different setting refuses the checkpoint
        assertThatThrownBy(() -> adapter(trained)
                        .constraint(ResourceConstraint.macs(budget * 0.9))
                        .checkpointDir(interrupted)
                        .build()
                        .run())
                .hasMessageContaining("expected the same settings");
    }

    @Test
    void shuffleNetV2StagesAreAdapted() {
        Network net = Network.realize(NetworkSurgeryTest.shuffle(), 3);
        trainer(1).fit(net, train);
        double r0 = Costs.of(net.spec()).macs();
        AdaptationResult r = adapter(net)
                .constraint(ResourceConstraint.macs(0.7 * r0))
                .build()
                .run();
        assertThat((double) Costs.of(r.finalNetwork().spec()).macs()).isLessThanOrEqualTo(0.7 * r0);
    }

    @Test
    void settingsAreChecked() {
        assertThatThrownBy(
                        () -> NetAdapter.builder(trained).data(train, heldOut).build())
                .hasMessageContaining("at least one constraint");
        assertThatThrownBy(() -> NetAdapter.builder(trained)
                        .constraint(ResourceConstraint.macs(1))
                        .build())
                .hasMessageContaining("data(train, heldOut)");
        assertThatThrownBy(() -> new ReductionSchedule(0, 0.9)).hasMessageContaining("schedule.initialFraction 0.0");
        assertThatThrownBy(() -> new ReductionSchedule(0.1, 1.5)).hasMessageContaining("schedule.decay 1.5");
        assertThatThrownBy(() -> ResourceConstraint.latencyFraction(LatencyModel.of("m", s -> 1), 1.5))
                .hasMessageContaining("budget 1.5 must be a fraction in (0, 1]");
        assertThatThrownBy(() -> NetAdapter.builder(trained).granularity(0)).hasMessageContaining("granularity 0");
        assertThat(ReductionSchedule.paper().reduction(2, 100))
                .isCloseTo(2.5 * 0.96, org.assertj.core.data.Offset.offset(1e-12));
    }
}
