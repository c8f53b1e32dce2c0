package org.mobilenas.core.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mobilenas.core.spec.Activation;
import org.mobilenas.core.spec.ClassifierSpec;
import org.mobilenas.core.spec.ConvBlock;
import org.mobilenas.core.spec.GlobalPoolBlock;
import org.mobilenas.core.spec.NetworkSpec;

/** Saved networks and parameter files: a damaged file is refused with a reason, never loaded silently. */
class SavedFileIntegrityTest {
    private static Network net() {
        return Network.realize(
                NetworkSpec.builder("n", 8, 1)
                        .stem(ConvBlock.of(8, 3, 2, Activation.RELU))
                        .head(GlobalPoolBlock.avg())
                        .classifier(ClassifierSpec.of(3, 0))
                        .build(),
                1);
    }

    @Test
    void everySingleBitFlipInTheParametersIsDetected(@TempDir Path tmp) throws Exception {
        Path f = tmp.resolve("n.bin");
        net().save(f);
        byte[] ok = Files.readAllBytes(f);
        assertThat(Network.load(f).parameters().all())
                .hasSize(net().parameters().all().size());
        // flip one bit at many places past the header: every flip is refused (checksum, format or spec error)
        int refused = 0;
        int tried = 0;
        for (int pos = 8; pos < ok.length; pos += Math.max(1, ok.length / 97)) {
            byte[] bad = ok.clone();
            bad[pos] ^= 0x10;
            Files.write(f, bad);
            tried++;
            try {
                Network.load(f);
            } catch (IllegalArgumentException e) {
                assertThat(e.getMessage()).contains(f.toString());
                refused++;
            }
        }
        assertThat(refused).isEqualTo(tried);
    }

    @Test
    void aHeaderDeclaringAHugeArrayFailsAtTheEndOfTheDataNotWithOutOfMemory() throws Exception {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        DataOutputStream d = new DataOutputStream(b);
        d.writeInt(ParameterIO.MAGIC);
        d.writeInt(ParameterIO.VERSION);
        d.writeInt(1);
        d.writeUTF("w");
        d.writeUTF("WEIGHT");
        d.writeInt(1);
        d.writeInt(536_000_000);
        d.writeFloat(1f);
        assertThatThrownBy(() -> ParameterIO.read(new ByteArrayInputStream(b.toByteArray())))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("truncated")
                .hasMessageContaining("w");
    }

    @Test
    void nonFiniteWeightsAreRefused() throws Exception {
        Network n = net();
        n.parameters().all().iterator().next().value()[2] = Float.NaN;
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        n.save(b);
        assertThatThrownBy(() -> Network.load(new ByteArrayInputStream(b.toByteArray())))
                .hasMessageContaining("non-finite value NaN at index 2");
    }
}
