package org.mobilenas.core.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.NotSerializableException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.mobilenas.core.data.Augmentation;
import org.mobilenas.core.data.ImageDataset;
import org.mobilenas.core.data.SyntheticImages;

/** Trainers and datasets travel to workers by Java serialization (settings and arrays only). */
class TrainerSerializationTest {

    @SuppressWarnings("unchecked")
    static <T> T roundTrip(T value) throws IOException, ClassNotFoundException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (ObjectOutputStream o = new ObjectOutputStream(b)) {
            o.writeObject(value);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(b.toByteArray()))) {
            return (T) in.readObject();
        }
    }

    @Test
    void aTrainerArrivesWithEverySetting() throws Exception {
        Trainer t = Trainer.builder()
                .optimizer(Optimizer.sgd(0.9, true))
                .schedule(LrSchedule.cosine(0.05).withWarmup(1))
                .epochs(3)
                .batchSize(16)
                .evalBatchSize(40)
                .weightDecay(4e-5)
                .labelSmoothing(0.1)
                .seed(9)
                .batchNormRecalibration(32)
                .divergenceThreshold(50)
                .dropLast(false)
                .augmentation(Augmentation.standard(2))
                .build();
        Trainer back = roundTrip(t);
        assertThat(back).isNotSameAs(t);
        assertThat(back.settings()).isEqualTo(t.settings());
    }

    @Test
    void aTrainerTiedToThisMachineRefusesNamingWhy() {
        Trainer withCheckpoint =
                Trainer.builder().checkpointDir(Path.of("ckpt")).build();
        assertThatThrownBy(() -> roundTrip(withCheckpoint))
                .isInstanceOf(NotSerializableException.class)
                .hasMessageContaining("checkpointDir ckpt");
        Trainer withListener = Trainer.builder().listener((stats, model) -> {}).build();
        assertThatThrownBy(() -> roundTrip(withListener)).hasMessageContaining("1 listener(s)");
    }

    @Test
    void aDatasetArrivesWithTheSameImagesAndIsCheckedAgain() throws Exception {
        ImageDataset d = SyntheticImages.builder()
                .classes(3)
                .size(8)
                .channels(2)
                .samples(30)
                .seed(1)
                .build();
        ImageDataset back = roundTrip(d);
        assertThat(back.fingerprint()).isEqualTo(d.fingerprint());
        assertThat(back.labels()).isEqualTo(d.labels());
        assertThat(back.height()).isEqualTo(8);
    }
}
