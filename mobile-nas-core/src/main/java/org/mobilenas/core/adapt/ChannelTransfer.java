package org.mobilenas.core.adapt;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.mobilenas.core.adapt.NetworkSurgery.Pruned;
import org.mobilenas.core.engine.Network;
import org.mobilenas.core.engine.Param;
import org.mobilenas.core.engine.ParameterStore;
import org.mobilenas.core.graph.Graph;
import org.mobilenas.core.graph.Node;
import org.mobilenas.core.graph.Op;
import org.mobilenas.core.spec.NetworkSpec;

/**
 * The second half of {@link NetworkSurgery}: given a realized network and an edited spec that lowers to the same
 * nodes with fewer channels, decides which original channel every remaining channel is (channel spaces,
 * L2-norm ranking, the constraints of splits and shuffles) and copies the kept parameter slices.
 */
final class ChannelTransfer {
    private ChannelTransfer() {}

    /** See {@link NetworkSurgery#transfer}. */
    static Pruned transfer(Network network, NetworkSpec edited, Set<String> primary, long seed) {
        Graph og = network.graph();
        NetworkSpec spec = NetworkSurgery.normalize(edited);
        Graph pg = spec.graph();
        checkSameNodes(og, pg);
        Spaces spaces = new Spaces(og);
        int n = og.size();
        int[] width = new int[n];
        for (int i = 0; i < n; i++) {
            width[i] = pg.node(i).output().channels();
            int orig = og.node(i).output().channels();
            if (width[i] > orig) {
                throw new SurgeryException(
                        pg.node(i).name() + ": " + width[i] + " channels, more than the original " + orig);
            }
        }
        // constraints: allowed original channels for each channel of each space
        Map<Integer, BitSet[]> allowed = new LinkedHashMap<>();
        for (int root : spaces.roots()) {
            BitSet[] a = new BitSet[width[root]];
            int orig = og.node(root).output().channels();
            for (int j = 0; j < a.length; j++) {
                a[j] = new BitSet(orig);
                a[j].set(0, orig);
            }
            allowed.put(root, a);
        }
        for (int i = n - 1; i >= 0; i--) {
            Node on = og.node(i);
            Node pn = pg.node(i);
            BitSet[] outA = allowed.get(spaces.find(i));
            if (on.op() instanceof Op.Slice os && pn.op() instanceof Op.Slice ps) {
                BitSet[] inA = allowed.get(spaces.find(on.inputs().get(0)));
                for (int j = 0; j < outA.length; j++) {
                    inA[ps.from() + j].and(shift(outA[j], os.from()));
                }
            } else if (on.op() instanceof Op.Concat) {
                int oOff = 0;
                int pOff = 0;
                for (int k = 0; k < on.inputs().size(); k++) {
                    int in = on.inputs().get(k);
                    int ow = og.node(in).output().channels();
                    BitSet[] inA = allowed.get(spaces.find(in));
                    for (int j = 0; j < width[in]; j++) {
                        BitSet b = (BitSet) outA[pOff + j].clone();
                        BitSet window = new BitSet();
                        window.set(oOff, oOff + ow);
                        b.and(window);
                        inA[j].and(shift(b, -oOff));
                    }
                    oOff += ow;
                    pOff += width[in];
                }
            } else if (on.op() instanceof Op.Shuffle sh) {
                int g = sh.groups();
                int ow = on.output().channels();
                int pw = width[i];
                BitSet[] inA = allowed.get(spaces.find(on.inputs().get(0)));
                for (int p = 0; p < pw; p++) {
                    int q = (p % g) * (pw / g) + p / g;
                    BitSet b = new BitSet(ow);
                    for (int oq = 0; oq < ow; oq++) {
                        if (outA[p].get(shuffled(oq, g, ow))) {
                            b.set(oq);
                        }
                    }
                    inA[q].and(b);
                }
            }
        }
        // forward: choose or derive the original channel of every channel of every space
        Map<Integer, int[]> phi = new LinkedHashMap<>();
        ParameterStore params = network.parameters();
        List<Integer> pending = new ArrayList<>(spaces.roots());
        while (!pending.isEmpty()) {
            boolean progress = false;
            for (java.util.Iterator<Integer> it = pending.iterator(); it.hasNext(); ) {
                int root = it.next();
                int[] m = assign(root, og, pg, spaces, width, allowed.get(root), phi, params, primary);
                if (m != null) {
                    phi.put(root, m);
                    it.remove();
                    progress = true;
                }
            }
            if (!progress) {
                throw new SurgeryException("cannot order the channel spaces of " + spec.name() + " (starting at "
                        + og.node(pending.get(0)).name() + ")");
            }
        }
        Network result = Network.realize(spec, seed);
        copyParameters(og, pg, spaces, phi, params, result.parameters());
        Map<String, int[]> map = new LinkedHashMap<>();
        for (Node node : pg.nodes()) {
            map.put(node.name(), phi.get(spaces.find(node.id())).clone());
        }
        return new Pruned(result, map);
    }

    /** Output position of original input channel {@code q} after a shuffle with {@code g} groups over {@code c}. */
    private static int shuffled(int q, int g, int c) {
        int per = c / g;
        return (q % per) * g + q / per;
    }

    private static BitSet shift(BitSet b, int by) {
        BitSet out = new BitSet();
        for (int i = b.nextSetBit(0); i >= 0; i = b.nextSetBit(i + 1)) {
            if (i + by >= 0) {
                out.set(i + by);
            }
        }
        return out;
    }

    private static void checkSameNodes(Graph og, Graph pg) {
        if (og.size() != pg.size()) {
            throw new SurgeryException("edited network has " + pg.size() + " nodes, the original " + og.size()
                    + "; expected the same nodes with fewer channels");
        }
        for (int i = 0; i < og.size(); i++) {
            Node a = og.node(i);
            Node b = pg.node(i);
            boolean same = a.name().equals(b.name())
                    && a.op().getClass() == b.op().getClass()
                    && a.inputs().equals(b.inputs());
            if (same && a.op() instanceof Op.Conv ca && b.op() instanceof Op.Conv cb) {
                boolean dwA = ca.depthwise(a.input().channels());
                boolean dwB = cb.depthwise(b.input().channels())
                        || (dwA && cb.groups() == b.input().channels() && cb.out() == cb.groups());
                same = ca.kernel() == cb.kernel()
                        && ca.stride() == cb.stride()
                        && ca.bias() == cb.bias()
                        && (dwA ? dwB : ca.groups() == cb.groups());
            }
            if (!same) {
                throw new SurgeryException("node " + i + ": edited network has '" + b.name() + "' (" + b.op()
                        + "), the original '" + a.name() + "' (" + a.op() + "); expected the same operations");
            }
        }
    }

    /** The original channels of space {@code root}, or null when an input space is not assigned yet. */
    private static int[] assign(
            int root,
            Graph og,
            Graph pg,
            Spaces spaces,
            int[] width,
            BitSet[] allowed,
            Map<Integer, int[]> phi,
            ParameterStore params,
            Set<String> primary) {
        List<Integer> origins = spaces.origins(root);
        Integer defining = null;
        for (int id : origins) {
            if (!(og.node(id).op() instanceof Op.Conv) && !(og.node(id).op() instanceof Op.Linear)) {
                defining = id;
                break;
            }
        }
        int w = width[root];
        int[] m;
        if (defining == null) {
            m = choose(root, og, spaces, w, allowed, params, primary);
        } else {
            Node on = og.node(defining);
            Node pn = pg.node(defining);
            for (int in : on.inputs()) {
                if (!phi.containsKey(spaces.find(in))) {
                    return null;
                }
            }
            m = new int[w];
            if (on.op() instanceof Op.Input) {
                if (w != on.output().channels()) {
                    throw new SurgeryException("input: " + w + " channels, the original "
                            + on.output().channels());
                }
                for (int j = 0; j < w; j++) {
                    m[j] = j;
                }
            } else if (on.op() instanceof Op.Slice os && pn.op() instanceof Op.Slice ps) {
                int[] in = phi.get(spaces.find(on.inputs().get(0)));
                for (int j = 0; j < w; j++) {
                    int c = in[ps.from() + j];
                    if (c < os.from() || c >= os.to()) {
                        throw new SurgeryException(on.name() + ": channel " + (ps.from() + j) + " of the edited split "
                                + "is original channel " + c + ", outside the original [" + os.from() + ", " + os.to()
                                + ")");
                    }
                    m[j] = c - os.from();
                }
            } else if (on.op() instanceof Op.Concat) {
                int oOff = 0;
                int pOff = 0;
                for (int in : on.inputs()) {
                    int[] x = phi.get(spaces.find(in));
                    for (int j = 0; j < x.length; j++) {
                        m[pOff + j] = oOff + x[j];
                    }
                    oOff += og.node(in).output().channels();
                    pOff += x.length;
                }
            } else if (on.op() instanceof Op.Shuffle sh) {
                int g = sh.groups();
                int[] in = phi.get(spaces.find(on.inputs().get(0)));
                int ow = on.output().channels();
                for (int p = 0; p < w; p++) {
                    m[p] = shuffled(in[(p % g) * (w / g) + p / g], g, ow);
                }
            } else {
                throw new SurgeryException(on.name() + ": cannot map channels through " + on.op());
            }
            for (int j = 0; j < w; j++) {
                if (!allowed[j].get(m[j])) {
                    throw new SurgeryException(on.name() + ": channel " + j + " would be original channel " + m[j]
                            + ", which a later channel split does not accept at that position");
                }
            }
        }
        checkInjective(og.node(root).name(), m);
        return m;
    }

    private static void checkInjective(String name, int[] m) {
        Set<Integer> seen = new HashSet<>();
        for (int c : m) {
            if (!seen.add(c)) {
                throw new SurgeryException(name + ": original channel " + c + " would appear twice");
            }
        }
    }

    /** Producers' choice: identity when the width is unchanged and allowed, else the filters of largest L2 norm. */
    private static int[] choose(
            int root, Graph og, Spaces spaces, int w, BitSet[] allowed, ParameterStore params, Set<String> primary) {
        int orig = og.node(root).output().channels();
        boolean identity = w == orig;
        for (int j = 0; identity && j < w; j++) {
            identity = allowed[j].get(j);
        }
        int[] m = new int[w];
        if (identity) {
            for (int j = 0; j < w; j++) {
                m[j] = j;
            }
            return m;
        }
        double[] importance = new double[orig];
        List<Integer> origins = spaces.origins(root);
        boolean anyPrimary =
                origins.stream().anyMatch(id -> primary.contains(og.node(id).name()));
        for (int id : origins) {
            String name = og.node(id).name();
            if (anyPrimary && !primary.contains(name)) {
                continue;
            }
            float[] wv = params.get(name + ".weight").value();
            int per = wv.length / orig;
            for (int c = 0; c < orig; c++) {
                double s = 0;
                for (int k = 0; k < per; k++) {
                    double v = wv[c * per + k];
                    s += v * v;
                }
                importance[c] += s;
            }
        }
        Integer[] byImportance = new Integer[orig];
        for (int c = 0; c < orig; c++) {
            byImportance[c] = c;
        }
        Arrays.sort(
                byImportance,
                (a, b) -> importance[a] != importance[b]
                        ? Double.compare(importance[b], importance[a])
                        : Integer.compare(a, b));
        // slots with the same allowed set form a group; the most constrained groups choose first
        Map<BitSet, List<Integer>> groups = new LinkedHashMap<>();
        for (int j = 0; j < w; j++) {
            groups.computeIfAbsent(allowed[j], k -> new ArrayList<>()).add(j);
        }
        List<Map.Entry<BitSet, List<Integer>>> order = new ArrayList<>(groups.entrySet());
        order.sort(
                (a, b) -> Integer.compare(a.getKey().cardinality(), b.getKey().cardinality()));
        boolean[] used = new boolean[orig];
        for (Map.Entry<BitSet, List<Integer>> e : order) {
            List<Integer> slots = e.getValue();
            List<Integer> picked = new ArrayList<>();
            for (int c : byImportance) {
                if (picked.size() == slots.size()) {
                    break;
                }
                if (!used[c] && e.getKey().get(c)) {
                    picked.add(c);
                    used[c] = true;
                }
            }
            if (picked.size() < slots.size()) {
                throw new SurgeryException(og.node(root).name() + ": " + slots.size() + " channels must come from "
                        + "original channels " + e.getKey() + " (as later channel splits require), only "
                        + picked.size() + " are free");
            }
            Collections.sort(picked);
            for (int k = 0; k < slots.size(); k++) {
                m[slots.get(k)] = picked.get(k);
            }
        }
        return m;
    }

    private static void copyParameters(
            Graph og, Graph pg, Spaces spaces, Map<Integer, int[]> phi, ParameterStore from, ParameterStore to) {
        Set<String> written = new HashSet<>();
        for (Node pn : pg.nodes()) {
            Node on = og.node(pn.id());
            int[] out = phi.get(spaces.find(pn.id()));
            String name = pn.name();
            if (pn.op() instanceof Op.Conv pc && on.op() instanceof Op.Conv oc) {
                int[] in = phi.get(spaces.find(pn.inputs().get(0)));
                int k2 = pc.kernel() * pc.kernel();
                int pInG = pn.input().channels() / pc.groups();
                int oInG = on.input().channels() / oc.groups();
                int pOutG = pc.out() / pc.groups();
                int oOutG = oc.out() / oc.groups();
                float[] ow = from.get(name + ".weight").value();
                float[] nw = new float[pc.out() * k2 * pInG];
                for (int o = 0; o < pc.out(); o++) {
                    int oo = out[o];
                    int group = o / pOutG;
                    int oGroup = oo / oOutG;
                    for (int i = 0; i < pInG; i++) {
                        int oi = in[group * pInG + i];
                        if (oi / oInG != oGroup) {
                            throw new SurgeryException(name + ": filter " + o + " (original " + oo + ", group " + oGroup
                                    + ") would read original channel " + oi + " of group " + oi / oInG);
                        }
                        int li = oi % oInG;
                        for (int k = 0; k < k2; k++) {
                            nw[(o * k2 + k) * pInG + i] = ow[(oo * k2 + k) * oInG + li];
                        }
                    }
                }
                set(to, name + ".weight", nw, written);
                if (pc.bias()) {
                    set(to, name + ".bias", pick(from.get(name + ".bias").value(), out), written);
                }
            } else if (pn.op() instanceof Op.BatchNorm) {
                for (String suffix : List.of(".gamma", ".beta", ".running_mean", ".running_var")) {
                    set(to, name + suffix, pick(from.get(name + suffix).value(), out), written);
                }
            } else if (pn.op() instanceof Op.Linear pl) {
                int[] in = phi.get(spaces.find(pn.inputs().get(0)));
                int spatial = pn.input().height() * pn.input().width();
                int pc = pn.input().channels();
                int oc = on.input().channels();
                float[] ow = from.get(name + ".weight").value();
                int oIn = spatial * oc;
                int pIn = spatial * pc;
                float[] nw = new float[pl.out() * pIn];
                for (int o = 0; o < pl.out(); o++) {
                    for (int s = 0; s < spatial; s++) {
                        for (int c = 0; c < pc; c++) {
                            nw[o * pIn + s * pc + c] = ow[out[o] * oIn + s * oc + in[c]];
                        }
                    }
                }
                set(to, name + ".weight", nw, written);
                if (pl.bias()) {
                    set(to, name + ".bias", pick(from.get(name + ".bias").value(), out), written);
                }
            }
        }
        for (Param p : to.all()) {
            if (!written.contains(p.name())) {
                throw new SurgeryException("parameter " + p.name() + " was not copied from the original network");
            }
        }
    }

    private static float[] pick(float[] v, int[] idx) {
        float[] out = new float[idx.length];
        for (int i = 0; i < idx.length; i++) {
            out[i] = v[idx[i]];
        }
        return out;
    }

    private static void set(ParameterStore to, String name, float[] v, Set<String> written) {
        to.get(name).set(v);
        written.add(name);
    }

    /** Union-find over nodes whose outputs share channel positions. */
    static final class Spaces {
        private final int[] parent;
        private final Map<Integer, List<Integer>> origins = new TreeMap<>();

        Spaces(Graph g) {
            parent = new int[g.size()];
            for (int i = 0; i < parent.length; i++) {
                parent[i] = i;
            }
            for (Node n : g.nodes()) {
                Op op = n.op();
                boolean passThrough = op instanceof Op.BatchNorm
                        || op instanceof Op.Act
                        || op instanceof Op.Pool
                        || op instanceof Op.GlobalPool
                        || op instanceof Op.Dropout
                        || op instanceof Op.Add
                        || op instanceof Op.Scale
                        || (op instanceof Op.Conv c && c.depthwise(n.input().channels()));
                if (passThrough) {
                    for (int in : n.inputs()) {
                        union(n.id(), in);
                    }
                }
            }
            for (Node n : g.nodes()) {
                Op op = n.op();
                boolean origin = op instanceof Op.Input
                        || op instanceof Op.Linear
                        || op instanceof Op.Concat
                        || op instanceof Op.Slice
                        || op instanceof Op.Shuffle
                        || (op instanceof Op.Conv c && !c.depthwise(n.input().channels()));
                if (origin) {
                    origins.computeIfAbsent(find(n.id()), k -> new ArrayList<>())
                            .add(n.id());
                }
            }
        }

        int find(int i) {
            while (parent[i] != i) {
                parent[i] = parent[parent[i]];
                i = parent[i];
            }
            return i;
        }

        private void union(int a, int b) {
            int ra = find(a);
            int rb = find(b);
            if (ra != rb) {
                parent[Math.max(ra, rb)] = Math.min(ra, rb);
            }
        }

        List<Integer> roots() {
            return new ArrayList<>(origins.keySet());
        }

        List<Integer> origins(int root) {
            return origins.getOrDefault(root, List.of());
        }
    }
}
