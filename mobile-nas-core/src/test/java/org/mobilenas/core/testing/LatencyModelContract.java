package org.mobilenas.core.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.mobilenas.core.latency.LatencyModel;
import org.mobilenas.core.latency.LatencyPrediction;
import org.mobilenas.core.spec.NetworkSpec;

/**
 * What every {@link LatencyModel} promises, for implementations to extend: a name, finite non-negative
 * predictions that agree between {@code predict} and {@code predictMs}, the same answer every time, and the same
 * answers when called from many threads at once. Extend it with {@link #model()} and the {@link #networks()} it
 * covers.
 */
public abstract class LatencyModelContract {
    /** The model under test. */
    protected abstract LatencyModel model();

    /** Networks the model can predict. */
    protected abstract List<NetworkSpec> networks();

    @Test
    void predictionsAreFiniteConsistentAndRepeatable() {
        LatencyModel m = model();
        assertThat(m.name()).isNotBlank();
        for (NetworkSpec s : networks()) {
            LatencyPrediction p = m.predict(s, 1);
            assertThat(p.totalMs()).as(s.name()).isFinite().isGreaterThanOrEqualTo(0);
            assertThat(m.predictMs(s))
                    .as(s.name())
                    .isCloseTo(p.totalMs(), org.assertj.core.data.Offset.offset(1e-9 * Math.max(1, p.totalMs())));
            assertThat(m.predictMs(s)).isEqualTo(m.predictMs(s));
        }
    }

    @Test
    void concurrentPredictionsAgreeWithSequentialOnes() {
        LatencyModel m = model();
        List<NetworkSpec> nets = networks();
        double[] sequential = nets.stream().mapToDouble(m::predictMs).toArray();
        double[] parallel = IntStream.range(0, nets.size() * 8)
                .parallel()
                .mapToDouble(i -> m.predictMs(nets.get(i % nets.size())))
                .toArray();
        for (int i = 0; i < parallel.length; i++) {
            assertThat(parallel[i]).isEqualTo(sequential[i % nets.size()]);
        }
    }
}
