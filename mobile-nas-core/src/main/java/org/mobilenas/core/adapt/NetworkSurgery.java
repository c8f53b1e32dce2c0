package org.mobilenas.core.adapt;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.mobilenas.core.engine.Network;
import org.mobilenas.core.engine.ParameterStore;
import org.mobilenas.core.graph.Graph;
import org.mobilenas.core.graph.Node;
import org.mobilenas.core.graph.Op;
import org.mobilenas.core.spec.BlockSpec;
import org.mobilenas.core.spec.ConvBlock;
import org.mobilenas.core.spec.MBConvBlock;
import org.mobilenas.core.spec.NetworkSpec;
import org.mobilenas.core.spec.SeparableConvBlock;
import org.mobilenas.core.spec.ShuffleV2Block;
import org.mobilenas.core.spec.SpecException;
import org.mobilenas.core.spec.StageSpec;

/**
 * Filter removal on a realized network: the {@link NetworkSpec} and the {@link ParameterStore} change together.
 *
 * <p>Channels are tracked through the lowered graph. Nodes whose outputs share channel positions (batch norm,
 * activations, depthwise convs, pooling, dropout, residual adds and squeeze-excitation multiplies) form one
 * <em>channel space</em>; a space starts at a producer (a non-depthwise conv or a linear layer), at the input, or at
 * a channel split, concatenation or shuffle. Every space of the pruned network maps each of its channels to one
 * channel of the original network: producers keep the filters with the largest L2 norm (identity when their width
 * is unchanged), splits, concatenations and shuffles map indices exactly, and the constraints that splits place on
 * the channels that reach them are propagated back to the producers before they choose. Parameters are then copied
 * slice by slice: conv filters and their input channels, batch-norm vectors, linear columns. The pruned network
 * computes exactly what the original computes when every removed channel is set to zero where consumers read it.
 *
 * <pre>{@code
 * List<PrunableLayer> layers = NetworkSurgery.layers(net.spec());
 * NetworkSurgery.Pruned p = NetworkSurgery.prune(net, layers.get(3), 24, 42);
 * Network smaller = p.network();
 * int[] kept = p.channels("stages[1].blocks[0].expand.conv");   // original indices of the kept filters
 * }</pre>
 */
public final class NetworkSurgery {
    private NetworkSurgery() {}

    /**
     * The network as pruning needs it: every MBConv block with an expansion conv gets its expanded width written
     * out ({@code expandedChannels}), so that removing input channels of a block does not change its hidden width.
     * The lowered graph (names, shapes) is unchanged.
     */
    public static NetworkSpec normalize(NetworkSpec spec) {
        Map<String, BlockSpec> edits = new LinkedHashMap<>();
        int[] in = {spec.inputChannels()};
        spec.forEachBlock((path, block) -> {
            if (block instanceof MBConvBlock m && m.expandedChannels() == 0) {
                int hidden = m.expanded(in[0]);
                if (hidden != in[0]) {
                    edits.put(
                            path,
                            new MBConvBlock(
                                    m.out(),
                                    m.kernel(),
                                    m.stride(),
                                    m.expandRatio(),
                                    hidden,
                                    m.se(),
                                    m.activation(),
                                    m.skip()));
                }
            }
            in[0] = block.outChannels(in[0]);
        });
        return edits.isEmpty() ? spec : replaceBlocks(spec, edits);
    }

    /** Every width of {@code spec} that filter pruning can reduce, in graph order. */
    public static List<PrunableLayer> layers(NetworkSpec spec) {
        NetworkSpec s = normalize(spec);
        Graph g = s.graph();
        Map<String, BlockSpec> blocks = blockMap(s);
        ChannelTransfer.Spaces spaces = new ChannelTransfer.Spaces(g);
        TreeMap<Integer, PrunableLayer> out = new TreeMap<>();
        for (int root : spaces.roots()) {
            List<String> producers = new ArrayList<>();
            List<String> paths = new ArrayList<>();
            boolean ok = true;
            String kind = null;
            int first = Integer.MAX_VALUE;
            for (int id : spaces.origins(root)) {
                Node n = g.node(id);
                if (!(n.op() instanceof Op.Conv c)) {
                    ok = false;
                    break;
                }
                String[] pk = editable(n.name(), blocks);
                if (pk == null) {
                    continue;
                }
                if (c.groups() != 1) {
                    ok = false;
                    break;
                }
                producers.add(n.name());
                paths.add(pk[0]);
                if (id < first) {
                    first = id;
                    kind = pk[1];
                }
            }
            if (ok && !producers.isEmpty()) {
                int width = g.node(first).output().channels();
                String name = g.node(first).name();
                name = name.substring(0, name.length() - ".conv".length());
                out.put(first, new PrunableLayer(name, kind, width, paths, producers));
            }
        }
        shuffleStages(s, g, out);
        return List.copyOf(out.values());
    }

    /** Block path and kind when {@code node} is a conv whose output width is a field of its block. */
    private static String[] editable(String node, Map<String, BlockSpec> blocks) {
        String[][] suffixes = {
            {".pw.conv", "separable"}, {".expand.conv", "expand"}, {".project.conv", "project"}, {".conv", "conv"}
        };
        for (String[] s : suffixes) {
            if (node.endsWith(s[0])) {
                String path = node.substring(0, node.length() - s[0].length());
                BlockSpec b = blocks.get(path);
                boolean fits = switch (s[1]) {
                    case "separable" -> b instanceof SeparableConvBlock;
                    case "expand", "project" -> b instanceof MBConvBlock;
                    default -> b instanceof ConvBlock;
                };
                if (fits) {
                    return new String[] {path, s[1]};
                }
            }
        }
        return null;
    }

    /** A stride-2 ShuffleNet V2 unit and the stride-1 units after it share one width. */
    private static void shuffleStages(NetworkSpec s, Graph g, TreeMap<Integer, PrunableLayer> out) {
        List<List<String>> lists = new ArrayList<>();
        List<List<BlockSpec>> blockLists = new ArrayList<>();
        lists.add(paths("stem", s.stem().size()));
        blockLists.add(s.stem());
        for (int i = 0; i < s.stages().size(); i++) {
            lists.add(
                    paths("stages[" + i + "].blocks", s.stages().get(i).blocks().size()));
            blockLists.add(s.stages().get(i).blocks());
        }
        lists.add(paths("head", s.head().size()));
        blockLists.add(s.head());
        for (int l = 0; l < lists.size(); l++) {
            List<BlockSpec> bl = blockLists.get(l);
            for (int i = 0; i < bl.size(); i++) {
                if (bl.get(i) instanceof ShuffleV2Block first && first.stride() == 2) {
                    List<String> paths = new ArrayList<>();
                    List<String> producers = new ArrayList<>();
                    int k = i;
                    do {
                        String p = lists.get(l).get(k);
                        paths.add(p);
                        if (k == i) {
                            producers.add(p + ".left.pw.conv");
                        }
                        producers.add(p + ".right.pw2.conv");
                        k++;
                    } while (k < bl.size() && bl.get(k) instanceof ShuffleV2Block u && u.stride() == 1);
                    int id = g.node(producers.get(0)).id();
                    out.put(id, new PrunableLayer(paths.get(0), "shuffle_v2_stage", first.out(), paths, producers));
                }
            }
        }
    }

    private static List<String> paths(String prefix, int n) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(prefix + "[" + i + "]");
        }
        return out;
    }

    /**
     * {@code spec} with the width of {@code layer} set to {@code width} (spec only; see {@link #prune} for the
     * parameters). Throws {@link SpecException} when the edited network is not valid.
     */
    public static NetworkSpec withWidth(NetworkSpec spec, PrunableLayer layer, int width) {
        if (width < 1) {
            throw new IllegalArgumentException("width " + width + " of " + layer.name() + " must be >= 1");
        }
        NetworkSpec s = normalize(spec);
        Map<String, BlockSpec> blocks = blockMap(s);
        Map<String, BlockSpec> edits = new LinkedHashMap<>();
        Set<String> producers = new HashSet<>(layer.producers());
        for (String path : layer.blocks()) {
            BlockSpec b = blocks.get(path);
            if (b == null) {
                throw new IllegalArgumentException(
                        "layer " + layer.name() + ": no block at " + path + " in " + spec.name());
            }
            BlockSpec e;
            if (b instanceof ConvBlock c) {
                e = new ConvBlock(width, c.kernel(), c.stride(), c.groups(), c.activation(), c.batchNorm(), c.bias());
            } else if (b instanceof SeparableConvBlock c) {
                e = new SeparableConvBlock(width, c.kernel(), c.stride(), c.activation(), c.pointwiseActivation());
            } else if (b instanceof MBConvBlock m) {
                e = producers.contains(path + ".expand.conv")
                        ? new MBConvBlock(
                                m.out(),
                                m.kernel(),
                                m.stride(),
                                m.expandRatio(),
                                width,
                                m.se(),
                                m.activation(),
                                m.skip())
                        : new MBConvBlock(
                                width,
                                m.kernel(),
                                m.stride(),
                                m.expandRatio(),
                                m.expandedChannels(),
                                m.se(),
                                m.activation(),
                                m.skip());
            } else if (b instanceof ShuffleV2Block u) {
                e = new ShuffleV2Block(width, u.stride(), u.kernel());
            } else {
                throw new IllegalArgumentException(
                        "layer " + layer.name() + ": block " + path + " (" + b.kind() + ") has no prunable width");
            }
            edits.put(path, e);
        }
        return replaceBlocks(s, edits);
    }

    private static Map<String, BlockSpec> blockMap(NetworkSpec s) {
        Map<String, BlockSpec> m = new LinkedHashMap<>();
        s.forEachBlock(m::put);
        return m;
    }

    private static NetworkSpec replaceBlocks(NetworkSpec s, Map<String, BlockSpec> edits) {
        List<BlockSpec> stem = replace("stem", s.stem(), edits);
        List<StageSpec> stages = new ArrayList<>();
        for (int i = 0; i < s.stages().size(); i++) {
            StageSpec st = s.stages().get(i);
            stages.add(new StageSpec(st.name(), replace("stages[" + i + "].blocks", st.blocks(), edits)));
        }
        List<BlockSpec> head = replace("head", s.head(), edits);
        return new NetworkSpec(s.name(), s.resolution(), s.inputChannels(), stem, stages, head, s.classifier());
    }

    private static List<BlockSpec> replace(String prefix, List<BlockSpec> list, Map<String, BlockSpec> edits) {
        List<BlockSpec> out = new ArrayList<>(list);
        for (int i = 0; i < out.size(); i++) {
            BlockSpec e = edits.get(prefix + "[" + i + "]");
            if (e != null) {
                out.set(i, e);
            }
        }
        return out;
    }

    /**
     * The result of a surgery: the new network and, for every node of its graph, the original channel index of
     * each of its output channels.
     */
    public record Pruned(Network network, Map<String, int[]> channelMap) {
        /** Checks the components (a bad one is an error naming it). */
        public Pruned {
            channelMap = Collections.unmodifiableMap(new LinkedHashMap<>(channelMap));
        }

        /** Original channel indices of the output channels of node {@code node} (a copy). */
        public int[] channels(String node) {
            int[] c = channelMap.get(node);
            if (c == null) {
                throw new IllegalArgumentException(
                        "no node named '" + node + "' in " + network.spec().name());
            }
            return c.clone();
        }
    }

    /** Removes filters of {@code layer} down to {@code width}, keeping those with the largest L2 norm. */
    public static Pruned prune(Network network, PrunableLayer layer, int width, long seed) {
        if (width > layer.channels()) {
            throw new IllegalArgumentException("width " + width + " of " + layer.name() + " must be <= its current "
                    + layer.channels() + " channels");
        }
        NetworkSpec edited;
        try {
            edited = withWidth(network.spec(), layer, width);
        } catch (SpecException e) {
            throw new SurgeryException(layer.name() + " at width " + width + ": " + e.getMessage());
        }
        return transfer(network, edited, new HashSet<>(layer.producers()), seed);
    }

    /**
     * Builds {@code edited} (which must lower to the same nodes as {@code network}'s spec, with fewer or equal
     * channels) and copies the kept parameter slices into it. Producers listed in {@code primary} rank their
     * filters by their own L2 norm; in other spaces every producer's filters count.
     */
    public static Pruned transfer(Network network, NetworkSpec edited, Set<String> primary, long seed) {
        return ChannelTransfer.transfer(network, edited, primary, seed);
    }
}
