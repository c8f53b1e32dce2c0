package org.mobilenas.core.experiment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.mobilenas.core.data.Augmentation;
import org.mobilenas.core.data.FashionMnist;
import org.mobilenas.core.train.Trainer;

class ProxyTaskTest {
    @Test
    void quickTaskLoadsDisjointNormalisedParts() {
        ProxyData d = ProxyTask.quick().load();
        assertThat(d.train().size()).isEqualTo(512);
        assertThat(d.heldOut().size()).isEqualTo(128);
        assertThat(d.test().size()).isEqualTo(128);
        assertThat(d.train().height()).isEqualTo(16);
        double[] mean = d.train().channelStats().mean();
        assertThat(mean[0]).isCloseTo(0, org.assertj.core.data.Offset.offset(1e-4));
        assertThat(d.fingerprint()).isEqualTo(ProxyTask.quick().load().fingerprint());
        assertThat(d.fingerprint()).isNotEqualTo(ProxyTask.quick().withTrainImages(400).load().fingerprint());
        assertThat(d.at(12)[0].height()).isEqualTo(12);
        assertThat(d.at(12)[2].size()).isEqualTo(128);
    }

    @Test
    void trainerCarriesTheSchedule() {
        Trainer t = ProxyTask.fashionMnist().trainer(3);
        assertThat(t.settings()).containsEntry("epochs", "12").containsEntry("batchSize", "128")
                .containsEntry("seed", "3").containsEntry("augmentation", "crop(pad 2)+hflip")
                .containsEntry("labelSmoothing", "0.1");
        assertThat(ProxyTask.fashionMnist().withEpochs(1).warmupEpochs()).isZero();
        assertThat(ProxyTask.fashionMnist().withEpochs(4).trainer(1).settings()).containsEntry("epochs", "4");
    }

    @Test
    void badSettingsNameTheField() {
        ProxyTask q = ProxyTask.quick();
        assertThatThrownBy(() -> q.withEpochs(0)).hasMessageContaining("proxyTask.epochs 0");
        assertThatThrownBy(() -> q.withResolution(4)).hasMessageContaining("proxyTask.resolution 4");
        assertThatThrownBy(() -> q.withChannels(2)).hasMessageContaining("proxyTask.channels 2");
        assertThatThrownBy(() -> q.withTrainImages(-1)).hasMessageContaining("proxyTask.trainImages -1");
        assertThatThrownBy(() -> q.withBatchSize(1)).hasMessageContaining("proxyTask.batchSize 1");
        assertThat(q.withBatchSize(8).batchSize()).isEqualTo(8);
        assertThat(q.withBatchSize(8).withEpochs(2)).isEqualTo(q.withEpochs(2).withBatchSize(8));
        assertThatThrownBy(() -> new ProxyTask("x", ProxyTask.Source.FASHION_MNIST, null, 0, 60_000, 28, 1, 1, 8,
                0.1, 0, 0, 0, Augmentation.none(), 1)).hasMessageContaining("proxyTask.heldOutImages 60000");
        assertThatThrownBy(() -> new ProxyTask("x", ProxyTask.Source.SYNTHETIC, null, 0, 10, 28, 1, 1, 8,
                0.1, 0, 0, 0, null, 1)).hasMessageContaining("proxyTask.augmentation");
    }

    @Test
    void fashionMnistSplitIs50kStratifiedAnd10kHeldOutAnd10kTest() {
        assumeTrue(FashionMnist.isAvailable(), "Fashion-MNIST not installed (apt-get install dataset-fashion-mnist)");
        ProxyData d = ProxyTask.fashionMnist().load();
        assertThat(d.train().size()).isEqualTo(50_000);
        assertThat(d.heldOut().size()).isEqualTo(10_000);
        assertThat(d.test().size()).isEqualTo(10_000);
        int[] counts = d.heldOut().classCounts();
        assertThat(Arrays.stream(counts).min().getAsInt()).isEqualTo(1000);
        assertThat(Arrays.stream(counts).max().getAsInt()).isEqualTo(1000);
    }
}
