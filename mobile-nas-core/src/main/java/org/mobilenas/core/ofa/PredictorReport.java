package org.mobilenas.core.ofa;

/**
 * Quality of an {@link AccuracyPredictor} on the samples it was trained on and on held-out samples.
 *
 * <pre>{@code
 * PredictorReport r = predictor.fit(samples, 0.2);
 * System.out.println(r.validationRmse() + " " + r.validationSpearman());
 * }</pre>
 *
 * @param trainSamples       samples used for fitting
 * @param validationSamples  held-out samples
 * @param trainRmse          root-mean-square error on the training samples (accuracy units, 0..1)
 * @param validationRmse     root-mean-square error on the held-out samples
 * @param validationSpearman Spearman rank correlation of predicted vs measured on the held-out samples
 * @param epochs             training epochs
 */
public record PredictorReport(
        int trainSamples,
        int validationSamples,
        double trainRmse,
        double validationRmse,
        double validationSpearman,
        int epochs) {
    /** Checks the components (a bad one is an error naming it). */
    public PredictorReport {
        if (trainSamples < 1 || validationSamples < 0 || epochs < 0) {
            throw new IllegalArgumentException("report: trainSamples " + trainSamples + " must be >= 1, "
                    + "validationSamples " + validationSamples + " and epochs " + epochs + " >= 0");
        }
    }
}
