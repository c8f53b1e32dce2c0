package org.mobilenas.core.spec;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import org.mobilenas.core.graph.Graph;
import org.mobilenas.core.graph.Op;

/**
 * An immutable description of a mobile CNN: input, stem, stages of blocks, head and classifier.
 * Construction checks every field and infers every shape; a problem is reported as a {@link SpecException}
 * naming the place ({@code stages[3].blocks[2]}) and what was expected.
 *
 * <pre>{@code
 * NetworkSpec spec = NetworkSpec.builder("tiny", 32, 3)
 *     .stem(ConvBlock.of(16, 3, 2, Activation.RELU))
 *     .stage("s1", MBConvBlock.of(24, 3, 2, 6, Activation.RELU6))
 *     .head(GlobalPoolBlock.avg())
 *     .classifier(10, 0.2)
 *     .build();
 * Graph g = spec.graph();
 * }</pre>
 */
public record NetworkSpec(
        String name,
        int resolution,
        int inputChannels,
        List<BlockSpec> stem,
        List<StageSpec> stages,
        List<BlockSpec> head,
        ClassifierSpec classifier) {

    /** Checks the components (a bad one is a {@link SpecException} naming it). */
    public NetworkSpec {
        Checks.notNull("name", name);
        if (resolution <= 0 || resolution > Shape.MAX_SIZE) {
            throw new SpecException("resolution " + resolution + ": expected 1.." + Shape.MAX_SIZE);
        }
        Checks.channels("inputChannels", inputChannels);
        stem = copy("stem", stem);
        head = copy("head", head);
        Checks.notNull("stages", stages);
        for (int i = 0; i < stages.size(); i++) {
            if (stages.get(i) == null) {
                throw new SpecException("stages[" + i + "]", "stage is missing");
            }
        }
        stages = List.copyOf(stages);
        Checks.notNull("classifier", classifier);
        if (stem.isEmpty() && stages.isEmpty() && head.isEmpty()) {
            throw new SpecException("network '" + name + "' has no blocks");
        }
        lowerTo(new Graph.Builder(), stem, stages, head, classifier, resolution, inputChannels);
    }

    private static List<BlockSpec> copy(String field, List<BlockSpec> list) {
        Checks.notNull(field, list);
        for (int i = 0; i < list.size(); i++) {
            if (list.get(i) == null) {
                throw new SpecException(field + "[" + i + "]", "block is missing");
            }
        }
        return List.copyOf(list);
    }

    /** The network lowered to primitive operations with inferred shapes. */
    public Graph graph() {
        Graph.Builder b = new Graph.Builder();
        lowerTo(b, stem, stages, head, classifier, resolution, inputChannels);
        return b.build();
    }

    private static void lowerTo(
            Graph.Builder b,
            List<BlockSpec> stem,
            List<StageSpec> stages,
            List<BlockSpec> head,
            ClassifierSpec classifier,
            int resolution,
            int inputChannels) {
        int x = b.input(new Shape(resolution, resolution, inputChannels));
        for (int i = 0; i < stem.size(); i++) {
            x = lowerBlock(b, "stem[" + i + "]", stem.get(i), x);
        }
        for (int s = 0; s < stages.size(); s++) {
            List<BlockSpec> blocks = stages.get(s).blocks();
            for (int k = 0; k < blocks.size(); k++) {
                x = lowerBlock(b, "stages[" + s + "].blocks[" + k + "]", blocks.get(k), x);
            }
        }
        for (int i = 0; i < head.size(); i++) {
            x = lowerBlock(b, "head[" + i + "]", head.get(i), x);
        }
        if (classifier.dropout() > 0) {
            x = b.add("classifier.dropout", new Op.Dropout(classifier.dropout()), x);
        }
        b.add("classifier.fc", new Op.Linear(classifier.numClasses(), classifier.bias()), x);
    }

    private static int lowerBlock(Graph.Builder b, String path, BlockSpec block, int x) {
        try {
            return block.lower(b, path, x);
        } catch (SpecException e) {
            if (e.place() != null && e.place().startsWith(path)) {
                throw e;
            }
            throw new SpecException(path, block.kind() + " on input " + b.shape(x) + ": " + e.getMessage());
        }
    }

    /** Visits every block with its path, in order (stem, stages, head). */
    public void forEachBlock(BiConsumer<String, BlockSpec> visitor) {
        for (int i = 0; i < stem.size(); i++) {
            visitor.accept("stem[" + i + "]", stem.get(i));
        }
        for (int s = 0; s < stages.size(); s++) {
            List<BlockSpec> blocks = stages.get(s).blocks();
            for (int k = 0; k < blocks.size(); k++) {
                visitor.accept("stages[" + s + "].blocks[" + k + "]", blocks.get(k));
            }
        }
        for (int i = 0; i < head.size(); i++) {
            visitor.accept("head[" + i + "]", head.get(i));
        }
    }

    /** Number of classes of the classifier. */
    public int numClasses() {
        return classifier.numClasses();
    }

    /** This network under another name. */
    public NetworkSpec withName(String newName) {
        return new NetworkSpec(newName, resolution, inputChannels, stem, stages, head, classifier);
    }

    /** This network at input resolution {@code r}. */
    public NetworkSpec withResolution(int r) {
        return new NetworkSpec(name, r, inputChannels, stem, stages, head, classifier);
    }

    /** This network taking {@code c} input channels. */
    public NetworkSpec withInputChannels(int c) {
        return new NetworkSpec(name, resolution, c, stem, stages, head, classifier);
    }

    /** This network with classifier {@code c}. */
    public NetworkSpec withClassifier(ClassifierSpec c) {
        return new NetworkSpec(name, resolution, inputChannels, stem, stages, head, c);
    }

    /** This network with stages {@code s}. */
    public NetworkSpec withStages(List<StageSpec> s) {
        return new NetworkSpec(name, resolution, inputChannels, stem, s, head, classifier);
    }

    /** This network with stem blocks {@code s}. */
    public NetworkSpec withStem(List<BlockSpec> s) {
        return new NetworkSpec(name, resolution, inputChannels, s, stages, head, classifier);
    }

    /** This network with head blocks {@code h}. */
    public NetworkSpec withHead(List<BlockSpec> h) {
        return new NetworkSpec(name, resolution, inputChannels, stem, stages, h, classifier);
    }

    /** A builder of a network called {@code name} taking {@code inputChannels} × {@code resolution}² images. */
    public static Builder builder(String name, int resolution, int inputChannels) {
        return new Builder(name, resolution, inputChannels);
    }

    /** Fluent construction of a {@link NetworkSpec}. */
    public static final class Builder {
        private final String name;
        private final int resolution;
        private final int inputChannels;
        private final List<BlockSpec> stem = new ArrayList<>();
        private final List<StageSpec> stages = new ArrayList<>();
        private final List<BlockSpec> head = new ArrayList<>();
        private ClassifierSpec classifier;

        private Builder(String name, int resolution, int inputChannels) {
            this.name = name;
            this.resolution = resolution;
            this.inputChannels = inputChannels;
        }

        /** Appends blocks to the stem. */
        public Builder stem(BlockSpec... blocks) {
            stem.addAll(List.of(blocks));
            return this;
        }

        /** Appends a stage named {@code stageName} of {@code blocks}. */
        public Builder stage(String stageName, BlockSpec... blocks) {
            stages.add(StageSpec.of(stageName, blocks));
            return this;
        }

        /** Appends {@code stage}. */
        public Builder stage(StageSpec stage) {
            stages.add(stage);
            return this;
        }

        /** A stage of {@code repeats} blocks: {@code first}, then stride-1 repeats of it. */
        public Builder repeat(String stageName, BlockSpec first, int repeats) {
            stages.add(StageSpec.repeat(stageName, first, repeats));
            return this;
        }

        /** Appends blocks to the head (after the last stage, before the classifier). */
        public Builder head(BlockSpec... blocks) {
            head.addAll(List.of(blocks));
            return this;
        }

        /** The classifier: {@code numClasses} outputs after dropout {@code dropout}. */
        public Builder classifier(int numClasses, double dropout) {
            this.classifier = ClassifierSpec.of(numClasses, dropout);
            return this;
        }

        /** The classifier. */
        public Builder classifier(ClassifierSpec c) {
            this.classifier = c;
            return this;
        }

        /** Builds and validates the spec; a problem is a {@link SpecException} naming the block. */
        public NetworkSpec build() {
            return new NetworkSpec(name, resolution, inputChannels, stem, stages, head, classifier);
        }
    }
}
