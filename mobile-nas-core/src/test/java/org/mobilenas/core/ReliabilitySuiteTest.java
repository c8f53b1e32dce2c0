package org.mobilenas.core;

import static org.mobilenas.core.testing.Reliability.c;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.mobilenas.core.cost.Costs;
import org.mobilenas.core.data.Idx;
import org.mobilenas.core.data.ImageDataset;
import org.mobilenas.core.data.SyntheticImages;
import org.mobilenas.core.engine.Network;
import org.mobilenas.core.engine.ParameterIO;
import org.mobilenas.core.json.SpecJson;
import org.mobilenas.core.latency.LatencyModel;
import org.mobilenas.core.ofa.AccuracyPredictor;
import org.mobilenas.core.ofa.ElasticSpace;
import org.mobilenas.core.search.Evaluator;
import org.mobilenas.core.search.RandomSearch;
import org.mobilenas.core.search.RewardFunction;
import org.mobilenas.core.search.Search;
import org.mobilenas.core.spec.Activation;
import org.mobilenas.core.spec.ClassifierSpec;
import org.mobilenas.core.spec.ConvBlock;
import org.mobilenas.core.spec.GlobalPoolBlock;
import org.mobilenas.core.spec.MBConvBlock;
import org.mobilenas.core.spec.NetworkSpec;
import org.mobilenas.core.testing.Reliability;
import org.mobilenas.core.testing.Reliability.Case;
import org.mobilenas.core.tiny.TinyScaler;
import org.mobilenas.core.train.LrSchedule;
import org.mobilenas.core.train.Trainer;

/**
 * The core reliability suite ({@link Reliability}): bad inputs and faults, one row each, for every reader and
 * public entry point of the core that takes outside data; each must end in a clear error naming the field or file.
 * The counts are printed at the end.
 */
class ReliabilitySuiteTest {

    private static final Reliability HARNESS = new Reliability(Duration.ofSeconds(60));
    private static final Path TMP;

    static {
        try {
            TMP = Files.createTempDirectory("mobilenas-reliability");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ------------------------------------------------------------------ fixtures

    private static NetworkSpec small() {
        return NetworkSpec.builder("n", 16, 1)
                .stem(ConvBlock.of(8, 3, 2, Activation.RELU))
                .stage("s", MBConvBlock.of(8, 3, 1, 3, Activation.RELU6))
                .head(GlobalPoolBlock.avg())
                .classifier(ClassifierSpec.of(3, 0))
                .build();
    }

    private static String specJson() {
        return SpecJson.toJson(small());
    }

    private static Path write(String name, byte[] bytes) throws IOException {
        Path f = TMP.resolve(name);
        Files.write(f, bytes);
        return f;
    }

    private static Path write(String name, String text) throws IOException {
        return write(name, text.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] networkBytes() {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        Network.realize(small(), 1).save(b);
        return b.toByteArray();
    }

    private static Path networkFileWith(String name, java.util.function.UnaryOperator<byte[]> edit) throws IOException {
        return write(name, edit.apply(networkBytes()));
    }

    private static byte[] idxHeader(int type, int... dims) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        DataOutputStream d = new DataOutputStream(b);
        d.writeByte(0);
        d.writeByte(0);
        d.writeByte(type);
        d.writeByte(dims.length);
        for (int x : dims) {
            d.writeInt(x);
        }
        return b.toByteArray();
    }

    private static ImageDataset images(long seed) {
        return SyntheticImages.builder()
                .classes(3)
                .size(16)
                .channels(1)
                .samples(48)
                .seed(seed)
                .build();
    }

    private static Search search(Path journal, LatencyModel latency, long seed) {
        org.mobilenas.core.search.SearchSpace space = new org.mobilenas.core.search.SearchSpace() {
            @Override
            public String name() {
                return "one-knob";
            }

            @Override
            public List<org.mobilenas.core.search.Decision> decisions() {
                return List.of(new org.mobilenas.core.search.Decision("width", List.of("8", "16")));
            }

            @Override
            public NetworkSpec decode(org.mobilenas.core.search.Genotype g) {
                int w = g.get(0) == 0 ? 8 : 16;
                return NetworkSpec.builder("w" + w, 16, 1)
                        .stem(ConvBlock.of(w, 3, 2, Activation.RELU))
                        .head(GlobalPoolBlock.avg())
                        .classifier(ClassifierSpec.of(3, 0))
                        .build();
            }
        };
        return Search.builder(space)
                .controller(new RandomSearch())
                .reward(RewardFunction.soft(1))
                .latency(latency)
                .evaluator(Evaluator.of(s -> 0.5))
                .batchSize(2)
                .journal(journal)
                .seed(seed)
                .build();
    }

    private static final LatencyModel MACS =
            LatencyModel.of("macs", s -> Costs.of(s).macs() / 1e6);
    private static final LatencyModel TEN_X =
            LatencyModel.of("macs-x10", s -> Costs.of(s).macs() / 1e5);

    // ------------------------------------------------------------------ the rows

    static List<Case> cases() {
        List<Case> cs = new ArrayList<>();
        String json = specJson();
        // network specs as JSON
        cs.add(c(
                "spec-json",
                "out 1e9",
                () -> SpecJson.fromJson(json.replaceFirst("\"out\" : 8", "\"out\" : 1000000000")),
                "out",
                "expected"));
        cs.add(c(
                "spec-json",
                "out 0",
                () -> SpecJson.fromJson(json.replaceFirst("\"out\" : 8", "\"out\" : 0")),
                "out",
                "expected"));
        cs.add(c(
                "spec-json",
                "out -5",
                () -> SpecJson.fromJson(json.replaceFirst("\"out\" : 8", "\"out\" : -5")),
                "out",
                "expected"));
        cs.add(c(
                "spec-json",
                "out 16.7 (no float to int)",
                () -> SpecJson.fromJson(json.replaceFirst("\"out\" : 8", "\"out\" : 16.7")),
                "out",
                "16.7"));
        cs.add(c(
                "spec-json",
                "out as a string",
                () -> SpecJson.fromJson(json.replaceFirst("\"out\" : 8", "\"out\" : \"8\"")),
                "out"));
        cs.add(c(
                "spec-json",
                "resolution 2^31-1",
                () -> SpecJson.fromJson(json.replaceFirst("\"resolution\" : 16", "\"resolution\" : 2147483647")),
                "resolution",
                "expected"));
        cs.add(c(
                "spec-json",
                "resolution 0",
                () -> SpecJson.fromJson(json.replaceFirst("\"resolution\" : 16", "\"resolution\" : 0")),
                "resolution",
                "expected"));
        cs.add(c(
                "spec-json",
                "expandRatio 1e12",
                () -> SpecJson.fromJson(json.replaceFirst("\"expandRatio\" : 3.0", "\"expandRatio\" : 1e12")),
                "expandRatio",
                "expected"));
        cs.add(c(
                "spec-json",
                "expandRatio NaN text",
                () -> SpecJson.fromJson(json.replaceFirst("\"expandRatio\" : 3.0", "\"expandRatio\" : \"NaN\"")),
                "expandRatio"));
        cs.add(c(
                "spec-json",
                "numClasses 1e9",
                () -> SpecJson.fromJson(json.replaceFirst("\"numClasses\" : 3", "\"numClasses\" : 1000000000")),
                "numClasses",
                "expected"));
        cs.add(c(
                "spec-json",
                "numClasses 1",
                () -> SpecJson.fromJson(json.replaceFirst("\"numClasses\" : 3", "\"numClasses\" : 1")),
                "numClasses",
                "expected"));
        cs.add(c(
                "spec-json",
                "activation as a number",
                () -> SpecJson.fromJson(json.replaceFirst("\"activation\" : \"RELU\"", "\"activation\" : 3")),
                "activation"));
        cs.add(c(
                "spec-json",
                "unknown activation",
                () -> SpecJson.fromJson(json.replaceFirst("\"activation\" : \"RELU\"", "\"activation\" : \"GELU9\"")),
                "GELU9"));
        cs.add(c(
                "spec-json",
                "kernel 4",
                () -> SpecJson.fromJson(json.replaceFirst("\"kernel\" : 3", "\"kernel\" : 4")),
                "kernel",
                "4"));
        cs.add(c(
                "spec-json",
                "stride 3",
                () -> SpecJson.fromJson(json.replaceFirst("\"stride\" : 2", "\"stride\" : 3")),
                "stride",
                "3"));
        cs.add(c(
                "spec-json",
                "version 1.5",
                () -> SpecJson.fromJson(json.replaceFirst("\"version\" : 1", "\"version\" : 1.5")),
                "version"));
        cs.add(c(
                "spec-json",
                "version 99",
                () -> SpecJson.fromJson(json.replaceFirst("\"version\" : 1", "\"version\" : 99")),
                "version",
                "99"));
        cs.add(c(
                "spec-json",
                "format of another artefact",
                () -> SpecJson.fromJson(json.replaceFirst("mobile-nas/network", "mobile-nas/search-journal")),
                "format"));
        cs.add(c(
                "spec-json",
                "unknown field",
                () -> SpecJson.fromJson(json.replaceFirst("\"resolution\"", "\"resolutoin\" : 3, \"resolution\"")),
                "resolutoin"));
        cs.add(c(
                "spec-json",
                "duplicate key",
                () -> SpecJson.fromJson(
                        json.replaceFirst("\"resolution\" : 16", "\"resolution\" : 16, \"resolution\" : 32")),
                "resolution"));
        cs.add(c("spec-json", "trailing garbage", () -> SpecJson.fromJson(json + " {}"), "trailing"));
        cs.add(c("spec-json", "truncated", () -> SpecJson.fromJson(json.substring(0, json.length() / 2)), "line"));
        cs.add(c("spec-json", "empty text", () -> SpecJson.fromJson(""), "empty"));
        cs.add(c("spec-json", "not JSON", () -> SpecJson.fromJson("mobilenet_v2"), "line"));
        cs.add(c("spec-file", "missing file", () -> SpecJson.read(TMP.resolve("nope.json")), "nope.json"));
        cs.add(c("spec-file", "a directory", () -> SpecJson.read(TMP), TMP.toString()));
        cs.add(c(
                "spec-file",
                "bytes that are not UTF-8",
                () -> SpecJson.read(write("latin.json", new byte[] {'{', (byte) 0xff, (byte) 0xfe, '}'})),
                "latin.json"));
        // specs built in code
        cs.add(c(
                "spec-api",
                "ConvBlock out 1e9",
                () -> ConvBlock.of(1_000_000_000, 3, 1, Activation.RELU),
                "conv.out",
                "expected"));
        cs.add(c(
                "spec-api",
                "MBConv expand 1e12",
                () -> MBConvBlock.of(8, 3, 1, 1e12, Activation.RELU6),
                "expandRatio",
                "expected"));
        cs.add(c("spec-api", "classifier classes 1e9", () -> ClassifierSpec.of(1_000_000_000, 0), "numClasses"));
        cs.add(c("spec-api", "dropout 1.5", () -> ClassifierSpec.of(10, 1.5), "dropout"));
        cs.add(c(
                "spec-api",
                "resolution 2^31-1",
                () -> NetworkSpec.builder("n", Integer.MAX_VALUE, 3)
                        .stem(ConvBlock.of(8, 3, 2, Activation.RELU))
                        .head(GlobalPoolBlock.avg())
                        .classifier(ClassifierSpec.of(10, 0))
                        .build(),
                "resolution"));
        cs.add(c(
                "spec-api",
                "tensor beyond 2^31 elements",
                () -> NetworkSpec.builder("big", 8192, 3)
                        .stem(ConvBlock.of(64, 3, 1, Activation.RELU))
                        .head(GlobalPoolBlock.avg())
                        .classifier(ClassifierSpec.of(10, 0))
                        .build(),
                "elements"));
        // parameter files
        cs.add(c(
                "parameters",
                "one bit flipped",
                () -> Network.load(networkFileWith("flip.bin", b -> {
                    b[b.length / 2] ^= 0x10;
                    return b;
                })),
                "flip.bin"));
        cs.add(c(
                "parameters",
                "truncated",
                () -> Network.load(networkFileWith("cut.bin", b -> java.util.Arrays.copyOf(b, b.length - 7))),
                "cut.bin"));
        cs.add(c("parameters", "empty file", () -> Network.load(write("empty.bin", new byte[0])), "empty.bin"));
        cs.add(c("parameters", "another file type", () -> Network.load(write("png.bin", "\u0089PNG....")), "png.bin"));
        cs.add(c("parameters", "missing file", () -> Network.load(TMP.resolve("absent.bin")), "absent.bin"));
        cs.add(c("parameters", "a directory", () -> Network.load(TMP), TMP.toString()));
        cs.add(c(
                "parameters",
                "header declaring 536 M floats",
                () -> {
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
                    return ParameterIO.read(new ByteArrayInputStream(b.toByteArray()));
                },
                "truncated"));
        cs.add(c(
                "parameters",
                "negative array length",
                () -> {
                    ByteArrayOutputStream b = new ByteArrayOutputStream();
                    DataOutputStream d = new DataOutputStream(b);
                    d.writeInt(ParameterIO.MAGIC);
                    d.writeInt(ParameterIO.VERSION);
                    d.writeInt(1);
                    d.writeUTF("w");
                    d.writeUTF("WEIGHT");
                    d.writeInt(1);
                    d.writeInt(-4);
                    return ParameterIO.read(new ByteArrayInputStream(b.toByteArray()));
                },
                "-4"));
        cs.add(c(
                "parameters",
                "NaN weight",
                () -> {
                    Network n = Network.realize(small(), 1);
                    n.parameters().all().iterator().next().value()[0] = Float.NaN;
                    ByteArrayOutputStream b = new ByteArrayOutputStream();
                    n.save(b);
                    return Network.load(new ByteArrayInputStream(b.toByteArray()));
                },
                "NaN"));
        // IDX image files
        cs.add(c(
                "idx",
                "dimensions whose product overflows",
                () -> Idx.read(write("overflow.idx", idxHeader(0x08, 65536, 65536, 2))),
                "overflow.idx"));
        cs.add(c("idx", "negative dimension", () -> Idx.read(write("neg.idx", idxHeader(0x08, -3, 28))), "neg.idx"));
        cs.add(c("idx", "unknown element type", () -> Idx.read(write("type.idx", idxHeader(0x42, 2, 2))), "type.idx"));
        cs.add(c(
                "idx", "truncated data", () -> Idx.read(write("short.idx", idxHeader(0x08, 10, 28, 28))), "short.idx"));
        cs.add(c("idx", "a directory", () -> Idx.read(TMP), TMP.toString()));
        cs.add(c(
                "idx",
                "labels out of range",
                () -> {
                    Path imgs = TMP.resolve("imgs.idx");
                    Path labels = TMP.resolve("labels.idx");
                    ByteArrayOutputStream b = new ByteArrayOutputStream();
                    b.write(idxHeader(0x08, 2, 2, 2));
                    b.write(new byte[8]);
                    Files.write(imgs, b.toByteArray());
                    ByteArrayOutputStream l = new ByteArrayOutputStream();
                    l.write(idxHeader(0x08, 2));
                    l.write(new byte[] {1, 9});
                    Files.write(labels, l.toByteArray());
                    return Idx.readDataset(imgs, labels, 3);
                },
                "9"));
        // datasets
        cs.add(c(
                "dataset",
                "images of the wrong length",
                () -> new ImageDataset(new float[10], new int[] {0, 1}, 2, 2, 1, 2),
                "images",
                "expected"));
        cs.add(c(
                "dataset",
                "label beyond the classes",
                () -> new ImageDataset(new float[8], new int[] {0, 5}, 2, 2, 1, 2),
                "labels[1]"));
        cs.add(c(
                "dataset",
                "one class",
                () -> new ImageDataset(new float[8], new int[] {0, 0}, 2, 2, 1, 1),
                "numClasses"));
        // training and checkpoints
        cs.add(c(
                "trainer",
                "checkpoint directory that is a file",
                () -> {
                    Path f = write("not-a-dir", "x");
                    return Trainer.builder()
                            .batchSize(16)
                            .checkpointDir(f)
                            .build()
                            .fit(Network.realize(small(), 1), images(1));
                },
                "not-a-dir"));
        cs.add(c(
                "trainer",
                "images of another size",
                () -> Trainer.builder()
                        .build()
                        .fit(
                                Network.realize(small(), 1),
                                SyntheticImages.builder()
                                        .classes(3)
                                        .size(24)
                                        .channels(1)
                                        .samples(16)
                                        .seed(1)
                                        .build()),
                "24"));
        cs.add(c("trainer", "epochs 0", () -> Trainer.builder().epochs(0), "epochs"));
        cs.add(c("trainer", "negative learning rate", () -> LrSchedule.constant(-1), "-1"));
        cs.add(c(
                "checkpoint",
                "resume with other images of the same shape",
                () -> {
                    Path dir = TMP.resolve("ckpt-data");
                    Trainer t = Trainer.builder()
                            .epochs(2)
                            .batchSize(16)
                            .checkpointDir(dir)
                            .seed(1)
                            .build();
                    Trainer once = Trainer.builder()
                            .epochs(1)
                            .batchSize(16)
                            .checkpointDir(dir)
                            .seed(1)
                            .build();
                    once.fit(Network.realize(small(), 1), images(1));
                    return t.fit(Network.realize(small(), 1), images(2));
                },
                "checkpoint"));
        cs.add(c(
                "checkpoint",
                "resume into another network of the same shapes",
                () -> {
                    Path dir = TMP.resolve("ckpt-net");
                    Trainer.builder()
                            .epochs(1)
                            .batchSize(16)
                            .checkpointDir(dir)
                            .seed(1)
                            .build()
                            .fit(Network.realize(small(), 1), images(1));
                    NetworkSpec other = NetworkSpec.builder("n", 16, 1)
                            .stem(ConvBlock.of(8, 3, 2, Activation.HSWISH))
                            .stage("s", MBConvBlock.of(8, 3, 1, 3, Activation.RELU6))
                            .head(GlobalPoolBlock.avg())
                            .classifier(ClassifierSpec.of(3, 0))
                            .build();
                    return Trainer.builder()
                            .epochs(2)
                            .batchSize(16)
                            .checkpointDir(dir)
                            .seed(1)
                            .build()
                            .fit(Network.realize(other, 1), images(1));
                },
                "checkpoint"));
        cs.add(c(
                "checkpoint",
                "one bit flipped",
                () -> {
                    Path dir = TMP.resolve("ckpt-flip");
                    Trainer.builder()
                            .epochs(1)
                            .batchSize(16)
                            .checkpointDir(dir)
                            .seed(1)
                            .build()
                            .fit(Network.realize(small(), 1), images(1));
                    try (Stream<Path> files = Files.list(dir)) {
                        for (Path f : files.filter(Files::isRegularFile).toList()) {
                            byte[] b = Files.readAllBytes(f);
                            b[b.length / 2] ^= 0x08;
                            Files.write(f, b);
                        }
                    }
                    return Trainer.builder()
                            .epochs(2)
                            .batchSize(16)
                            .checkpointDir(dir)
                            .seed(1)
                            .build()
                            .fit(Network.realize(small(), 1), images(1));
                },
                "ckpt-flip"));
        cs.add(c(
                "checkpoint",
                "array length 2^29 in a short file",
                () -> org.mobilenas.core.io.BinaryIO.readFloats(
                        new java.io.DataInputStream(new ByteArrayInputStream(new byte[64])),
                        1L << 29,
                        "checkpoint array"),
                "checkpoint array"));
        cs.add(c(
                "checkpoint",
                "negative array length",
                () -> org.mobilenas.core.io.BinaryIO.readFloats(
                        new java.io.DataInputStream(new ByteArrayInputStream(new byte[64])), -7, "checkpoint array"),
                "-7"));
        // search journals
        cs.add(c(
                "search-journal",
                "resumed under another latency model",
                () -> {
                    Path j = TMP.resolve("lat.jsonl");
                    search(j, MACS, 1).run(1);
                    return search(j, TEN_X, 1).run(2);
                },
                "latency",
                "macs"));
        cs.add(c(
                "search-journal",
                "resumed with another seed",
                () -> {
                    Path j = TMP.resolve("seed.jsonl");
                    search(j, MACS, 1).run(1);
                    return search(j, MACS, 2).run(2);
                },
                "seed"));
        cs.add(c(
                "search-journal",
                "a line edited to accuracy 0.99999",
                () -> {
                    Path j = TMP.resolve("edit.jsonl");
                    search(j, MACS, 1).run(1);
                    String text = Files.readString(j).replaceFirst("\"accuracy\" ?: ?0\\.5", "\"accuracy\":0.99999");
                    Files.writeString(j, text);
                    return search(j, MACS, 1).run(2);
                },
                "edit.jsonl"));
        cs.add(c(
                "search-journal",
                "a garbage line",
                () -> {
                    Path j = TMP.resolve("garbage.jsonl");
                    search(j, MACS, 1).run(1);
                    Files.writeString(j, Files.readString(j) + "{not json}\n{\"also\": 1}\n");
                    return search(j, MACS, 1).run(2);
                },
                "garbage.jsonl"));
        // method entry points
        cs.add(c(
                "tiny",
                "giant formula with phi 60",
                () -> TinyScaler.builder(small()).build().giant(60),
                "phi"));
        cs.add(c(
                "tiny",
                "inverse giant formula at 1e-6 of the cost",
                () -> TinyScaler.builder(small()).build().inverseGiant(1e-6),
                "1.0E-6"));
        cs.add(c(
                "tiny",
                "fit above the base's cost",
                () -> TinyScaler.builder(small()).build().fit(List.of(2.0), 4, Evaluator.of(s -> 0.5), 1),
                "budget",
                "2.0"));
        cs.add(c(
                "ofa",
                "predict before fit",
                () -> AccuracyPredictor.builder(tinyElastic())
                        .build()
                        .predict(tinyElastic().sample(new java.util.SplittableRandom(1))),
                "fit"));
        cs.add(c(
                "evaluator",
                "accuracy outside [0, 1] becomes a named failure",
                () -> {
                    var o = Evaluator.of(s -> 1.5).evaluate(small());
                    throw new IllegalArgumentException(o.failure());
                },
                "1.5",
                "[0, 1]"));
        return cs;
    }

    private static ElasticSpace tinyElastic() {
        return new ElasticSpace(
                "tiny",
                1,
                3,
                List.of(16),
                8,
                2,
                8,
                List.of(new org.mobilenas.core.ofa.ElasticStage("s1", 8, 2, Activation.RELU, false)),
                List.of(1, 2),
                List.of(3, 5),
                List.of(2, 3),
                16,
                16,
                0.0);
    }

    @TestFactory
    Stream<DynamicTest> everyBadInputEndsInAClearError() {
        return HARNESS.rows(cases());
    }

    @AfterAll
    static void counts() {
        System.out.println(HARNESS.counts("core reliability suite"));
    }
}
