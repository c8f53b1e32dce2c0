package org.mobilenas.core.ofa;

import java.util.List;

/**
 * An active subnet of an elastic supernet in Once-for-All's vocabulary: input resolution, depth per stage and
 * kernel and expand ratio per block slot. The per-block lists cover every slot of the supernet
 * ({@code stages x maxDepth}, stage-major); slots beyond a stage's depth are kept but unused.
 *
 * <pre>{@code
 * SubnetConfig c = space.maxConfig().withResolution(28);
 * NetworkSpec spec = space.spec(c);
 * }</pre>
 *
 * @param resolution input resolution
 * @param depths     active blocks per stage
 * @param kernels    depthwise kernel per block slot
 * @param expands    expand ratio per block slot
 */
public record SubnetConfig(int resolution, List<Integer> depths, List<Integer> kernels, List<Integer> expands) {
    /** Checks the components (a bad one is an error naming it). */
    public SubnetConfig {
        if (resolution <= 0) {
            throw new IllegalArgumentException("subnet.resolution = " + resolution + ", expected > 0");
        }
        depths = copy("depths", depths);
        kernels = copy("kernels", kernels);
        expands = copy("expands", expands);
        if (kernels.size() != expands.size()) {
            throw new IllegalArgumentException("subnet: kernels has " + kernels.size() + " entries but expands has "
                    + expands.size() + "; expected one of each per block slot");
        }
    }

    private static List<Integer> copy(String field, List<Integer> list) {
        if (list == null || list.isEmpty()) {
            throw new IllegalArgumentException("subnet." + field + " must be a non-empty list, got " + list);
        }
        for (int i = 0; i < list.size(); i++) {
            if (list.get(i) == null || list.get(i) <= 0) {
                throw new IllegalArgumentException(
                        "subnet." + field + "[" + i + "] = " + list.get(i) + ", expected a positive integer");
            }
        }
        return List.copyOf(list);
    }

    /** The same subnet at another resolution. */
    public SubnetConfig withResolution(int r) {
        return new SubnetConfig(r, depths, kernels, expands);
    }

    /** Slots per stage (kernels.size() / depths.size()). */
    public int maxDepth() {
        return kernels.size() / depths.size();
    }

    /** Kernel of block {@code b} of stage {@code s}. */
    public int kernel(int s, int b) {
        return kernels.get(s * maxDepth() + b);
    }

    /** Expand ratio of block {@code b} of stage {@code s}. */
    public int expand(int s, int b) {
        return expands.get(s * maxDepth() + b);
    }

    /** A compact key such as {@code r28_d234..._k357..._e346...} (only active blocks listed). */
    public String key() {
        StringBuilder d = new StringBuilder();
        StringBuilder k = new StringBuilder();
        StringBuilder e = new StringBuilder();
        int m = maxDepth();
        for (int s = 0; s < depths.size(); s++) {
            d.append(depths.get(s));
            for (int b = 0; b < depths.get(s); b++) {
                k.append(kernels.get(s * m + b));
                e.append(expands.get(s * m + b));
            }
        }
        return "r" + resolution + "_d" + d + "_k" + k + "_e" + e;
    }
}
