package org.mobilenas.core.experiment;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Mean and sample standard deviation over the seeds of one network in one group. Groups keep the order in which
 * they first appear.
 *
 * <pre>{@code
 * for (Summary s : Summary.of(results)) System.out.println(s.group() + " " + s.testText());
 * }</pre>
 *
 * @param group       the jobs' group
 * @param network     the network's name
 * @param seeds       completed seeds
 * @param failed      jobs that diverged or failed
 * @param heldOutMean mean held-out top-1 ({@code NaN} without completed seeds)
 * @param heldOutStd  sample standard deviation of held-out top-1 ({@code NaN} with fewer than two seeds)
 * @param testMean    mean test top-1
 * @param testStd     sample standard deviation of test top-1
 * @param macs        multiply-accumulates at batch 1
 * @param params      parameters
 * @param resolution  input resolution
 */
public record Summary(
        String group,
        String network,
        int seeds,
        int failed,
        double heldOutMean,
        double heldOutStd,
        double testMean,
        double testStd,
        long macs,
        long params,
        int resolution) {

    /** One summary per (group, network) in order of first appearance. */
    public static List<Summary> of(List<JobResult> results) {
        if (results == null) {
            throw new IllegalArgumentException("results is missing");
        }
        Map<String, List<JobResult>> by = new LinkedHashMap<>();
        for (JobResult r : results) {
            by.computeIfAbsent(r.group() + "\u0000" + r.network(), k -> new ArrayList<>())
                    .add(r);
        }
        List<Summary> out = new ArrayList<>();
        for (List<JobResult> rs : by.values()) {
            List<JobResult> ok = rs.stream().filter(JobResult::completed).toList();
            double[] h = ok.stream().mapToDouble(JobResult::heldOutTop1).toArray();
            double[] t = ok.stream().mapToDouble(JobResult::testTop1).toArray();
            JobResult f = rs.get(0);
            out.add(new Summary(
                    f.group(),
                    f.network(),
                    ok.size(),
                    rs.size() - ok.size(),
                    mean(h),
                    std(h),
                    mean(t),
                    std(t),
                    f.macs(),
                    f.params(),
                    f.resolution()));
        }
        return List.copyOf(out);
    }

    /** Arithmetic mean, {@code NaN} for no values. */
    public static double mean(double[] v) {
        if (v.length == 0) {
            return Double.NaN;
        }
        double s = 0;
        for (double x : v) {
            s += x;
        }
        return s / v.length;
    }

    /** Sample standard deviation (n − 1), {@code NaN} for fewer than two values. */
    public static double std(double[] v) {
        if (v.length < 2) {
            return Double.NaN;
        }
        double m = mean(v);
        double s = 0;
        for (double x : v) {
            s += (x - m) * (x - m);
        }
        return Math.sqrt(s / (v.length - 1));
    }

    /** Test top-1 as {@code "0.9012 ± 0.0021"} (percent points not used; {@code n/a} without results). */
    public String testText() {
        return text(testMean, testStd);
    }

    /** Held-out top-1 as {@code "0.9012 ± 0.0021"}. */
    public String heldOutText() {
        return text(heldOutMean, heldOutStd);
    }

    static String text(double mean, double std) {
        if (Double.isNaN(mean)) {
            return "n/a";
        }
        return Double.isNaN(std)
                ? String.format(Locale.ROOT, "%.4f", mean)
                : String.format(Locale.ROOT, "%.4f ± %.4f", mean, std);
    }
}
