package org.mobilenas.core.experiment;

/**
 * What one finished job gave, as recorded in the experiment's journal.
 *
 * @param key          the job's identity (hash of spec, seed, task, data and trainer settings)
 * @param group        the job's group
 * @param network      the network's name
 * @param seed         the job's seed
 * @param status       {@code COMPLETED}, {@code DIVERGED} or {@code FAILED}
 * @param failure      why the job did not complete, or {@code null}
 * @param heldOutTop1  top-1 on the held-out split after the last epoch ({@code NaN} unless completed)
 * @param testTop1     top-1 on the test split after the last epoch ({@code NaN} unless completed)
 * @param macs         multiply-accumulates of one forward pass at batch 1
 * @param params       parameters
 * @param resolution   input resolution
 * @param epochs       epochs trained
 * @param seconds      wall time of training and evaluation
 */
public record JobResult(
        String key,
        String group,
        String network,
        long seed,
        String status,
        String failure,
        double heldOutTop1,
        double testTop1,
        long macs,
        long params,
        int resolution,
        int epochs,
        double seconds) {
    /** Status of a job that trained to the end. */
    public static final String COMPLETED = "COMPLETED";
    /** Status of a job whose loss diverged. */
    public static final String DIVERGED = "DIVERGED";
    /** Status of a job that could not be built or trained. */
    public static final String FAILED = "FAILED";

    /** Checks the components (a bad one is an error naming it). */
    public JobResult {
        if (key == null || group == null || network == null || status == null) {
            throw new IllegalArgumentException("jobResult.key, group, network and status must be present");
        }
        if (!status.equals(COMPLETED) && !status.equals(DIVERGED) && !status.equals(FAILED)) {
            throw new IllegalArgumentException(
                    "jobResult.status " + status + ": expected COMPLETED, DIVERGED or FAILED");
        }
        if (status.equals(COMPLETED) && !(heldOutTop1 >= 0 && heldOutTop1 <= 1 && testTop1 >= 0 && testTop1 <= 1)) {
            throw new IllegalArgumentException("jobResult.heldOutTop1 " + heldOutTop1 + " / testTop1 " + testTop1
                    + ": expected accuracies in [0, 1] for a completed job");
        }
    }

    /** Whether the job trained to the end. */
    public boolean completed() {
        return COMPLETED.equals(status);
    }
}
