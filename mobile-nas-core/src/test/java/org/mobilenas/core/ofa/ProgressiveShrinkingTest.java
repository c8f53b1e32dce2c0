package org.mobilenas.core.ofa;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mobilenas.core.data.ImageDataset;
import org.mobilenas.core.data.SyntheticImages;
import org.mobilenas.core.engine.Param;

class ProgressiveShrinkingTest {
    private final ElasticSpace space = TinySpaces.tiny();
    private final ImageDataset data = SyntheticImages.builder()
            .classes(4)
            .size(12)
            .channels(1)
            .samples(96)
            .seed(5)
            .build();

    private List<ShrinkingPhase> phases() {
        return ProgressiveShrinking.paperPhases(space, 0.05, 1.0 / 180);
    }

    private ProgressiveShrinking.Builder builder(Path dir) {
        return ProgressiveShrinking.builder()
                .phases(phases())
                .batchSize(16)
                .maxStepsPerEpoch(2)
                .calibrationImages(32)
                .checkpointDir(dir)
                .seed(3);
    }

    @Test
    void aDivergingPhaseEndsTheRunAsDivergedAndLeavesTheSupernetAsBefore(@TempDir Path dir) {
        List<ShrinkingPhase> p = phases();
        ShrinkingPhase full = p.get(0);
        ShrinkingPhase exploding = new ShrinkingPhase(
                "kernel",
                p.get(1).kernels(),
                p.get(1).depths(),
                p.get(1).expands(),
                p.get(1).subnetsPerStep(),
                1,
                org.mobilenas.core.train.LrSchedule.constant(1e30),
                p.get(1).sortChannels(),
                p.get(1).distill());
        ElasticSupernet net = ElasticSupernet.create(space, 1);
        ProgressiveShrinking.Builder b = builder(dir).phases(List.of(full, exploding, p.get(2)));
        ShrinkingResult first = ProgressiveShrinking.builder()
                .phases(List.of(full))
                .batchSize(16)
                .maxStepsPerEpoch(2)
                .calibrationImages(32)
                .seed(3)
                .build()
                .fit(ElasticSupernet.create(space, 1), data, data);
        java.util.Map<String, float[]> afterFull = null;
        ElasticSupernet reference = ElasticSupernet.create(space, 1);
        ProgressiveShrinking.builder()
                .phases(List.of(full))
                .batchSize(16)
                .maxStepsPerEpoch(2)
                .calibrationImages(32)
                .seed(3)
                .build()
                .fit(reference, data, data);
        afterFull = reference.parameters().snapshot();
        ShrinkingResult r = b.build().fit(net, data, data);
        assertThat(first.diverged()).isFalse();
        assertThat(r.diverged()).isTrue();
        assertThat(r.phases()).hasSize(2);
        assertThat(r.last().divergence()).contains("phase kernel").contains("lower this phase's learning rate");
        for (var e : afterFull.entrySet()) {
            assertThat(net.parameters().get(e.getKey()).value()).as(e.getKey()).containsExactly(e.getValue());
        }
    }

    @Test
    void theTeachersModeChangesOnlyDistillingPhases() {
        List<ShrinkingPhase> p = phases().subList(0, 2);
        java.util.function.Function<org.mobilenas.core.engine.Model.Mode, ElasticSupernet> run = mode -> {
            ElasticSupernet net = ElasticSupernet.create(space, 1);
            ProgressiveShrinking.builder()
                    .phases(p)
                    .batchSize(16)
                    .maxStepsPerEpoch(2)
                    .calibrationImages(32)
                    .seed(3)
                    .teacherMode(mode)
                    .build()
                    .fit(net, data, null);
            return net;
        };
        ElasticSupernet asTrained = run.apply(org.mobilenas.core.engine.Model.Mode.TRAIN);
        ElasticSupernet asEvaluated = run.apply(org.mobilenas.core.engine.Model.Mode.EVAL);
        String w = "stages[0].blocks[0].project.conv.weight";
        assertThat(asTrained.parameters().get(w).value())
                .isNotEqualTo(asEvaluated.parameters().get(w).value());
        ElasticSupernet fullOnlyA = ElasticSupernet.create(space, 1);
        ElasticSupernet fullOnlyB = ElasticSupernet.create(space, 1);
        ProgressiveShrinking.builder()
                .phases(p.subList(0, 1))
                .batchSize(16)
                .maxStepsPerEpoch(2)
                .seed(3)
                .teacherMode(org.mobilenas.core.engine.Model.Mode.TRAIN)
                .build()
                .fit(fullOnlyA, data, null);
        ProgressiveShrinking.builder()
                .phases(p.subList(0, 1))
                .batchSize(16)
                .maxStepsPerEpoch(2)
                .seed(3)
                .teacherMode(org.mobilenas.core.engine.Model.Mode.EVAL)
                .build()
                .fit(fullOnlyB, data, null);
        assertThat(fullOnlyA.parameters().get(w).value())
                .containsExactly(fullOnlyB.parameters().get(w).value());
        assertThatThrownBy(() -> ProgressiveShrinking.builder().teacherMode(null))
                .hasMessageContaining("teacherMode");
    }

    @Test
    void kernelTransformationsAreExemptFromWeightDecayByTheirRole() {
        ElasticSupernet net = ElasticSupernet.create(space, 1);
        List<Param> transforms = net.parameters().trainable().stream()
                .filter(x -> x.role() == Param.Role.TRANSFORM)
                .toList();
        assertThat(transforms).isNotEmpty();
        org.mobilenas.core.train.ParameterUpdate u = org.mobilenas.core.train.ParameterUpdate.of(
                org.mobilenas.core.train.Optimizer.sgd(0.9, true),
                0.1,
                true,
                net.parameters().trainable());
        assertThat(transforms).noneMatch(u::decays);
        assertThat(net.parameters().trainable()).anyMatch(u::decays);
    }

    @Test
    void paperPhasesFollowTheSchedule() {
        List<ShrinkingPhase> p = ProgressiveShrinking.paperPhases(space, 0.1, 1.0 / 60);
        assertThat(p)
                .extracting(ShrinkingPhase::name)
                .containsExactly("full", "kernel", "depth-1", "depth-2", "expand-1", "expand-2");
        assertThat(p).extracting(ShrinkingPhase::subnetsPerStep).containsExactly(1, 1, 2, 2, 4, 4);
        assertThat(p).extracting(ShrinkingPhase::epochs).containsExactly(3, 2, 1, 2, 1, 2);
        assertThat(p).extracting(ShrinkingPhase::sortChannels).containsExactly(false, false, false, false, true, true);
        assertThat(p).extracting(ShrinkingPhase::distill).containsExactly(false, true, true, true, true, true);
        assertThat(p.get(0).kernels()).containsExactly(7);
        assertThat(p.get(1).kernels()).containsExactly(3, 5, 7);
        assertThat(p.get(4).expands()).containsExactly(2, 3);
    }

    @Test
    void trainingLowersTheLossAndReportsEveryPhase(@TempDir Path dir) {
        ElasticSupernet net = ElasticSupernet.create(space, 1);
        ShrinkingResult r = builder(dir).build().fit(net, data, data);
        assertThat(r.phases()).hasSize(6);
        assertThat(r.resumedPhases()).isZero();
        assertThat(r.phases()).allSatisfy(p -> {
            assertThat(p.steps()).isEqualTo(2);
            assertThat(p.meanLoss()).isFinite();
            assertThat(p.maxAccuracy()).isBetween(0.0, 1.0);
        });
        assertThat(Files.exists(dir.resolve(ProgressiveShrinking.PROGRESS_FILE)))
                .isTrue();
        assertThat(Files.exists(dir.resolve(ProgressiveShrinking.TEACHER_FILE))).isTrue();
    }

    @Test
    void anInterruptedRunResumesAfterTheLastCompletedPhaseWithTheSameResult(@TempDir Path a, @TempDir Path b) {
        ElasticSupernet straight = ElasticSupernet.create(space, 7);
        builder(a).build().fit(straight, data, null);

        ElasticSupernet crashed = ElasticSupernet.create(space, 7);
        int[] seen = {0};
        assertThatThrownBy(() -> builder(b)
                        .listener(p -> {
                            if (++seen[0] == 3) {
                                throw new IllegalStateException("simulated crash after " + p.name());
                            }
                        })
                        .build()
                        .fit(crashed, data, null))
                .hasMessageContaining("simulated crash after depth-1");

        ElasticSupernet resumed = ElasticSupernet.create(space, 99);
        ShrinkingResult r = builder(b).build().fit(resumed, data, null);
        assertThat(r.resumedPhases()).isEqualTo(3);
        assertThat(r.phases())
                .extracting(PhaseResult::name)
                .containsExactly("full", "kernel", "depth-1", "depth-2", "expand-1", "expand-2");
        for (Param p : straight.parameters().all()) {
            assertThat(resumed.parameters().get(p.name()).value()).as(p.name()).containsExactly(p.value());
        }
    }

    @Test
    void aCheckpointOfOtherPhasesIsRejected(@TempDir Path dir) {
        ElasticSupernet net = ElasticSupernet.create(space, 1);
        ProgressiveShrinking.builder()
                .phases(phases().subList(0, 1))
                .batchSize(16)
                .maxStepsPerEpoch(1)
                .checkpointDir(dir)
                .build()
                .fit(net, data, null);
        assertThatThrownBy(() -> builder(dir).build().fit(net, data, null))
                .hasMessageContaining("differ from the configured phases");
    }

    @Test
    void aCheckpointOfOtherDataOrSettingsIsRejectedAndAnEarlierOneWithoutThemResumes(@TempDir Path dir)
            throws Exception {
        ElasticSupernet net = ElasticSupernet.create(space, 1);
        int[] seen = {0};
        assertThatThrownBy(() -> builder(dir)
                        .listener(p -> {
                            if (++seen[0] == 1) {
                                throw new IllegalStateException("stop after " + p.name());
                            }
                        })
                        .build()
                        .fit(net, data, null))
                .hasMessageContaining("stop after full");
        ImageDataset other = data.subset(data.size() - 8, 5);
        assertThatThrownBy(() -> builder(dir).build().fit(net, other, null))
                .hasMessageContaining("checkpoint trained on data")
                .hasMessageContaining("expected the same data");
        assertThatThrownBy(() -> builder(dir).seed(4).build().fit(net, data, null))
                .hasMessageContaining("checkpoint written with settings")
                .hasMessageContaining("seed=4");
        // a checkpoint of an earlier version carries neither and resumes
        Path progress = dir.resolve(ProgressiveShrinking.PROGRESS_FILE);
        com.fasterxml.jackson.databind.node.ObjectNode json = (com.fasterxml.jackson.databind.node.ObjectNode)
                org.mobilenas.core.json.Json.mapper().readTree(java.nio.file.Files.readString(progress));
        json.remove("settings");
        json.remove("data");
        java.nio.file.Files.writeString(progress, json.toString());
        assertThat(builder(dir).build().fit(net, data, null).resumedPhases()).isEqualTo(1);
    }

    @Test
    void phasesOutsideTheSpaceAreRejected() {
        ShrinkingPhase bad = phases().get(1);
        ShrinkingPhase wrong =
                new ShrinkingPhase("k", List.of(9), bad.depths(), bad.expands(), 1, 1, bad.schedule(), false, true);
        assertThatThrownBy(() -> ProgressiveShrinking.builder()
                        .phases(List.of(wrong))
                        .build()
                        .fit(ElasticSupernet.create(space, 1), data, null))
                .hasMessageContaining("phase k: kernels contains 9, expected values from [3, 5, 7]");
    }
}
