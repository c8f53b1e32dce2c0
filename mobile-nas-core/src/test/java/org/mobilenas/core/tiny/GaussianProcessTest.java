package org.mobilenas.core.tiny;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

class GaussianProcessTest {

    @Test
    void reproducesASineFromNoisySamplesAndReportsItsHyperparameters() {
        Random rnd = new Random(3);
        int n = 40;
        double[] x = new double[n];
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = 2 * Math.PI * i / (n - 1);
            y[i] = Math.sin(x[i]) + 0.05 * rnd.nextGaussian();
        }
        GaussianProcess gp = GaussianProcess.fit(x, y);
        for (double t = 0.1; t < 2 * Math.PI - 0.1; t += 0.37) {
            assertThat(gp.mean(t)).as("mean at %s", t).isCloseTo(Math.sin(t), within(0.08));
        }
        RbfKernel k = gp.kernel();
        // a sine is smooth on the scale of about one radian; the noise is 0.05^2 = 0.0025
        assertThat(k.lengthScale()).isBetween(0.5, 4.0);
        assertThat(k.noiseVariance()).isBetween(0.0003, 0.01);
        assertThat(k.signalVariance()).isBetween(0.1, 10.0);
        assertThat(gp.toString()).contains("lengthScale=", "noiseVariance=", "logML=");
        // the optimum beats a poor kernel on the likelihood
        assertThat(gp.logMarginalLikelihood())
                .isGreaterThan(GaussianProcess.withKernel(x, y, new RbfKernel(0.05, 1, 0.5))
                        .logMarginalLikelihood());
    }

    @Test
    void varianceIsSmallAtTheDataAndLargeFarAway() {
        double[] x = {0, 1, 2, 3, 4};
        double[] y = {1, 2, 3, 2, 1};
        GaussianProcess gp = GaussianProcess.fit(x, y);
        assertThat(gp.variance(2)).isLessThan(gp.variance(40));
        assertThat(gp.mean(1000)).isCloseTo(gp.priorMean(), within(1e-9));
        assertThat(gp.priorMean()).isCloseTo(1.8, within(1e-12));
    }

    @Test
    void aGivenKernelIsUsedAsIs() {
        double[] x = {0, 1, 2};
        double[] y = {0, 1, 0};
        RbfKernel k = new RbfKernel(0.7, 0.5, 1e-4);
        GaussianProcess gp = GaussianProcess.withKernel(x, y, k);
        assertThat(gp.kernel()).isEqualTo(k);
        assertThat(gp.mean(1)).isCloseTo(1, within(0.01));
        assertThat(gp.x()).containsExactly(0, 1, 2);
    }

    @Test
    void fewPointsAndConstantTargetsStillFit() {
        GaussianProcess one = GaussianProcess.fit(new double[] {0.5}, new double[] {2});
        assertThat(one.mean(0.5)).isCloseTo(2, within(1e-9));
        GaussianProcess flat = GaussianProcess.fit(new double[] {0, 1, 2, 3}, new double[] {5, 5, 5, 5});
        assertThat(flat.mean(1.5)).isCloseTo(5, within(1e-6));
    }

    @Test
    void badInputIsRejectedWithTheReason() {
        assertThatThrownBy(() -> GaussianProcess.fit(new double[] {1, 2}, new double[] {1}))
                .hasMessageContaining("x has 2 points but y has 1");
        assertThatThrownBy(() -> GaussianProcess.fit(new double[0], new double[0]))
                .hasMessageContaining("empty");
        assertThatThrownBy(() -> GaussianProcess.fit(new double[] {Double.NaN}, new double[] {1}))
                .hasMessageContaining("point 0 (NaN, 1.0) is not finite");
        assertThatThrownBy(() -> new RbfKernel(0, 1, 1))
                .hasMessage("kernel.lengthScale 0.0 must be a finite number > 0");
        assertThatThrownBy(() -> new RbfKernel(1, 1, -1)).hasMessageContaining("kernel.noiseVariance -1.0");
    }
}
