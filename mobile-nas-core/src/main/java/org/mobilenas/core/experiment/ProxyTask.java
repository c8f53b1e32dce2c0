package org.mobilenas.core.experiment;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.mobilenas.core.data.Augmentation;
import org.mobilenas.core.data.Cifar10;
import org.mobilenas.core.data.FashionMnist;
import org.mobilenas.core.data.ImageDataset;
import org.mobilenas.core.data.ImageFolder;
import org.mobilenas.core.data.SyntheticImages;
import org.mobilenas.core.train.LrSchedule;
import org.mobilenas.core.train.Optimizer;
import org.mobilenas.core.train.Trainer;

/**
 * A named proxy task that every example and experiment shares instead of picking its own numbers: which data
 * (the full Fashion-MNIST training set split into train / held-out, stratified and seeded; the test set kept for
 * the final report), the input geometry, and the training schedule (SGD with Nesterov momentum, cosine learning
 * rate with warm-up, weight decay, label smoothing, light augmentation).
 *
 * <pre>{@code
 * ProxyTask task = ProxyTask.fashionMnist();                // 50k train / 10k held-out / 10k test, 28 px
 * ProxyData data = task.load();
 * Trainer trainer = task.trainer(1);                         // the preset's full schedule, seed 1
 * ProxyTask shorter = task.withEpochs(3);                   // the same task with a shorter schedule
 * ProxyTask mine = task.withData(Path.of("photos"));       // the same schedule on a folder of images
 * }</pre>
 *
 * @param name           short name recorded in reports
 * @param source         where the images come from
 * @param dataDir        the data's directory (Fashion-MNIST: {@code null} searches the usual places; CIFAR-10 and
 *                       image folders: required)
 * @param trainImages    images of the train split used for training (0: all of it)
 * @param heldOutImages  images of the training set held out for choices (searches, adaptation, early reports)
 * @param resolution     input size in pixels (28: native; 32: zero-padded; otherwise bilinear resize)
 * @param channels       input channels (1, or 3 by replicating the grey channel)
 * @param epochs         epochs of the full schedule
 * @param batchSize      training batch size
 * @param learningRate   peak learning rate of the cosine schedule
 * @param warmupEpochs   linear warm-up epochs
 * @param weightDecay    L2 weight decay on convolution and linear weights
 * @param labelSmoothing label smoothing
 * @param augmentation   training-time augmentation
 * @param splitSeed      seed of the train / held-out split and of the train subset
 */
public record ProxyTask(
        String name,
        Source source,
        Path dataDir,
        int trainImages,
        int heldOutImages,
        int resolution,
        int channels,
        int epochs,
        int batchSize,
        double learningRate,
        double warmupEpochs,
        double weightDecay,
        double labelSmoothing,
        Augmentation augmentation,
        long splitSeed) {

    /** Where a task's images come from. */
    public enum Source {
        /** Fashion-MNIST's IDX files (Debian package {@code dataset-fashion-mnist}, or a given directory). */
        FASHION_MNIST,
        /** CIFAR-10's binary batch files in {@code dataDir} (see {@link Cifar10}): 50,000 train, 10,000 test. */
        CIFAR10,
        /**
         * A folder of images, one subfolder per class (see {@link ImageFolder}): either {@code dataDir/train} and
         * {@code dataDir/test} with the same class subfolders, or the class subfolders directly in {@code dataDir},
         * a sixth of which (stratified, seeded) becomes the test set.
         */
        IMAGE_FOLDER,
        /** Generated class-dependent shapes with noise, for tests and machines without the real data. */
        SYNTHETIC
    }

    /** The directory layouts {@link #withData} recognises, for error messages. */
    public static final String DATA_LAYOUTS = "Fashion-MNIST's IDX files (train-images-idx3-ubyte[.gz], ...), "
            + "CIFAR-10's binary batches (data_batch_1.bin .. data_batch_5.bin, test_batch.bin), or a folder of "
            + "images with one subfolder per class (optionally split into train/ and test/)";

    /** Size of CIFAR-10's training set. */
    public static final int CIFAR10_TRAIN = 50_000;

    /** Size of Fashion-MNIST's training set. */
    public static final int FASHION_MNIST_TRAIN = 60_000;

    /** Checks the components (a bad one is an error naming it). */
    public ProxyTask {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("proxyTask.name is missing: expected a short name");
        }
        if (source == null) {
            throw new IllegalArgumentException(
                    "proxyTask.source is missing: expected FASHION_MNIST, CIFAR10, " + "IMAGE_FOLDER or SYNTHETIC");
        }
        if ((source == Source.CIFAR10 || source == Source.IMAGE_FOLDER) && dataDir == null) {
            throw new IllegalArgumentException("proxyTask.dataDir is missing: expected the " + source + " directory");
        }
        if (trainImages < 0) {
            throw new IllegalArgumentException("proxyTask.trainImages " + trainImages + ": expected >= 0 (0: all)");
        }
        if (heldOutImages < 1) {
            throw new IllegalArgumentException("proxyTask.heldOutImages " + heldOutImages + ": expected >= 1");
        }
        if (source == Source.FASHION_MNIST && heldOutImages >= FASHION_MNIST_TRAIN) {
            throw new IllegalArgumentException("proxyTask.heldOutImages " + heldOutImages + ": expected < "
                    + FASHION_MNIST_TRAIN + " (the Fashion-MNIST training set)");
        }
        if (source == Source.CIFAR10 && heldOutImages >= CIFAR10_TRAIN) {
            throw new IllegalArgumentException("proxyTask.heldOutImages " + heldOutImages + ": expected < "
                    + CIFAR10_TRAIN + " (the CIFAR-10 training set)");
        }
        if (resolution < 8 || resolution > 512) {
            throw new IllegalArgumentException("proxyTask.resolution " + resolution + ": expected 8..512");
        }
        if (channels != 1 && channels != 3) {
            throw new IllegalArgumentException("proxyTask.channels " + channels + ": expected 1 or 3");
        }
        if (epochs < 1 || epochs > 10_000) {
            throw new IllegalArgumentException("proxyTask.epochs " + epochs + ": expected 1..10000");
        }
        if (batchSize < 2 || batchSize > 65_536) {
            throw new IllegalArgumentException("proxyTask.batchSize " + batchSize + ": expected 2..65536");
        }
        if (!(learningRate > 0) || !Double.isFinite(learningRate)) {
            throw new IllegalArgumentException(
                    "proxyTask.learningRate " + learningRate + ": expected a finite value > 0");
        }
        if (!(warmupEpochs >= 0) || warmupEpochs >= epochs) {
            throw new IllegalArgumentException(
                    "proxyTask.warmupEpochs " + warmupEpochs + ": expected in [0, epochs " + epochs + ")");
        }
        if (!(weightDecay >= 0) || !Double.isFinite(weightDecay)) {
            throw new IllegalArgumentException(
                    "proxyTask.weightDecay " + weightDecay + ": expected a finite value >= 0");
        }
        if (!(labelSmoothing >= 0 && labelSmoothing < 1)) {
            throw new IllegalArgumentException("proxyTask.labelSmoothing " + labelSmoothing + ": expected in [0, 1)");
        }
        if (augmentation == null) {
            throw new IllegalArgumentException(
                    "proxyTask.augmentation is missing: expected Augmentation.none() for none");
        }
    }

    /**
     * The Fashion-MNIST proxy task: the 60k training images split 50k train / 10k held-out (stratified, seed 42),
     * the 10k test images for the final report, 28 px grey images, 12 epochs of SGD (Nesterov momentum 0.9, batch
     * 128, peak learning rate 0.1, cosine decay after one warm-up epoch), weight decay 5e-5, label smoothing 0.1,
     * random crop with 2 px padding and horizontal flips.
     */
    public static ProxyTask fashionMnist() {
        return new ProxyTask(
                "fashion-mnist",
                Source.FASHION_MNIST,
                null,
                0,
                10_000,
                28,
                1,
                12,
                128,
                0.1,
                1,
                5e-5,
                0.1,
                Augmentation.standard(2),
                42);
    }

    /**
     * A task of 512 noisy synthetic 16 px images in 4 classes (128 held-out, 128 test) and 4 epochs: seconds per
     * network, for tests and smoke runs; a small network reaches 0.7–0.9 on it, so its numbers still move.
     */
    public static ProxyTask quick() {
        return new ProxyTask(
                "quick-synthetic",
                Source.SYNTHETIC,
                null,
                512,
                128,
                16,
                1,
                4,
                32,
                0.1,
                0,
                0,
                0,
                Augmentation.standard(1),
                7);
    }

    /** This task with another number of epochs (the warm-up is shortened to fit when needed). */
    public ProxyTask withEpochs(int n) {
        double warm = Math.min(warmupEpochs, Math.max(0, n - 1));
        return with(f -> {
            f.epochs = n;
            f.warmupEpochs = warm;
        });
    }

    /** This task with peak learning rate {@code lr} and {@code warmup} epochs of warm-up (e.g. for a fine-tune). */
    public ProxyTask withLearningRate(double lr, double warmup) {
        return with(f -> {
            f.learningRate = lr;
            f.warmupEpochs = warmup;
        });
    }

    /** This task with training batch size {@code n} (e.g. more steps for a short proxy training). */
    public ProxyTask withBatchSize(int n) {
        return with(f -> f.batchSize = n);
    }

    /** This task training on the first {@code n} images of a seeded subset of the train split (0: all). */
    public ProxyTask withTrainImages(int n) {
        return with(f -> f.trainImages = n);
    }

    /** This task reading Fashion-MNIST from {@code dir}. */
    public ProxyTask withDataDir(Path dir) {
        return with(f -> f.dataDir = dir);
    }

    /**
     * This task's schedule and geometry on the data in {@code dir}, whose layout is recognised: Fashion-MNIST's IDX
     * files, CIFAR-10's binary batches (held-out: 5,000 of the 50,000 training images unless this task holds out
     * fewer), or a folder of images with one subfolder per class (held-out: a sixth of the training images when
     * this task's held-out count would take more). CIFAR-10 and image folders are read in colour (3 channels) at this
     * task's resolution; the task is renamed after the data ({@code cifar10}, {@code images-<folder name>}).
     *
     * @throws IllegalArgumentException naming {@code dir} and the layouts expected when none is recognised
     */
    public ProxyTask withData(Path dir) {
        if (dir == null) {
            throw new IllegalArgumentException("proxyTask data directory is missing: expected " + DATA_LAYOUTS);
        }
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException(
                    "proxyTask data " + dir + " is not a directory: expected " + DATA_LAYOUTS);
        }
        if (Files.exists(dir.resolve("data_batch_1.bin"))) {
            return with(f -> {
                f.name = "cifar10";
                f.source = Source.CIFAR10;
                f.dataDir = dir;
                f.heldOutImages = Math.min(heldOutImages, 5_000);
                f.channels = 3;
            });
        }
        if (Files.exists(dir.resolve("train-images-idx3-ubyte"))
                || Files.exists(dir.resolve("train-images-idx3-ubyte.gz"))) {
            return with(f -> {
                f.name = source == Source.FASHION_MNIST ? name : "fashion-mnist";
                f.source = Source.FASHION_MNIST;
                f.dataDir = dir;
                f.heldOutImages = Math.min(heldOutImages, 10_000);
            });
        }
        boolean split = Files.isDirectory(dir.resolve("train"));
        int images = ImageFolder.countImages(split ? dir.resolve("train") : dir);
        if (images < 12) {
            throw new IllegalArgumentException("proxyTask data " + dir + " holds no data this task can read (" + images
                    + " images in class subfolders, at least 12 needed): expected " + DATA_LAYOUTS);
        }
        int trainPart = split ? images : images - images / 6;
        int held = Math.max(1, Math.min(heldOutImages, trainPart / 6));
        return with(f -> {
            f.name = "images-" + dir.toAbsolutePath().normalize().getFileName();
            f.source = Source.IMAGE_FOLDER;
            f.dataDir = dir;
            f.heldOutImages = held;
            f.channels = 3;
        });
    }

    /** This task with another input resolution. */
    public ProxyTask withResolution(int px) {
        return with(f -> f.resolution = px);
    }

    /** This task with another input channel count (1 or 3). */
    public ProxyTask withChannels(int c) {
        return with(f -> f.channels = c);
    }

    /** This task with the components {@code edit} changes (validated again). */
    private ProxyTask with(java.util.function.Consumer<Fields> edit) {
        Fields f = new Fields(this);
        edit.accept(f);
        return new ProxyTask(
                f.name,
                f.source,
                f.dataDir,
                f.trainImages,
                f.heldOutImages,
                f.resolution,
                f.channels,
                f.epochs,
                f.batchSize,
                f.learningRate,
                f.warmupEpochs,
                f.weightDecay,
                f.labelSmoothing,
                f.augmentation,
                f.splitSeed);
    }

    /** A mutable copy of a task's components, edited by the {@code with...} methods. */
    private static final class Fields {
        String name;
        Source source;
        Path dataDir;
        int trainImages;
        int heldOutImages;
        int resolution;
        int channels;
        int epochs;
        int batchSize;
        double learningRate;
        double warmupEpochs;
        double weightDecay;
        double labelSmoothing;
        Augmentation augmentation;
        long splitSeed;

        Fields(ProxyTask t) {
            name = t.name;
            source = t.source;
            dataDir = t.dataDir;
            trainImages = t.trainImages;
            heldOutImages = t.heldOutImages;
            resolution = t.resolution;
            channels = t.channels;
            epochs = t.epochs;
            batchSize = t.batchSize;
            learningRate = t.learningRate;
            warmupEpochs = t.warmupEpochs;
            weightDecay = t.weightDecay;
            labelSmoothing = t.labelSmoothing;
            augmentation = t.augmentation;
            splitSeed = t.splitSeed;
        }
    }

    /** The trainer of this task's schedule, with {@code seed} for shuffling, dropout and augmentation. */
    public Trainer trainer(long seed) {
        return trainerBuilder(seed).build();
    }

    /** A trainer builder preset with this task's schedule, for callers that add a checkpoint or listeners. */
    public Trainer.Builder trainerBuilder(long seed) {
        LrSchedule schedule = LrSchedule.cosine(learningRate);
        if (warmupEpochs > 0) {
            schedule = schedule.withWarmup(warmupEpochs);
        }
        return Trainer.builder()
                .optimizer(Optimizer.sgd(0.9, true))
                .schedule(schedule)
                .epochs(epochs)
                .batchSize(batchSize)
                .evalBatchSize(Math.max(batchSize, 256))
                .weightDecay(weightDecay)
                .labelSmoothing(labelSmoothing)
                .augmentation(augmentation)
                .seed(seed);
    }

    /** The task's settings as text, recorded in reports and part of every job's identity. */
    public Map<String, String> settings() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("name", name);
        m.put("source", source.name().toLowerCase(Locale.ROOT));
        m.put("trainImages", trainImages == 0 ? "all" : Integer.toString(trainImages));
        m.put("heldOutImages", Integer.toString(heldOutImages));
        m.put("resolution", Integer.toString(resolution));
        m.put("channels", Integer.toString(channels));
        m.put("epochs", Integer.toString(epochs));
        m.put("batchSize", Integer.toString(batchSize));
        m.put("learningRate", Double.toString(learningRate));
        m.put("warmupEpochs", Double.toString(warmupEpochs));
        m.put("weightDecay", Double.toString(weightDecay));
        m.put("labelSmoothing", Double.toString(labelSmoothing));
        m.put("augmentation", augmentation.toString());
        m.put("splitSeed", Long.toString(splitSeed));
        return m;
    }

    /**
     * Loads the task's data: train, held-out and test sets at the task's geometry, all normalised with the train
     * part's channel statistics.
     *
     * @throws org.mobilenas.core.data.DatasetNotFoundException when Fashion-MNIST is not installed
     * @throws IllegalArgumentException                          when the data's files are missing or unreadable
     */
    public ProxyData load() {
        ImageDataset all;
        ImageDataset test;
        if (source == Source.FASHION_MNIST) {
            FashionMnist fm = dataDir == null ? FashionMnist.load() : FashionMnist.load(dataDir);
            all = fm.train();
            test = fm.test();
        } else if (source == Source.CIFAR10) {
            Cifar10 cifar = Cifar10.load(dataDir);
            all = cifar.train();
            test = cifar.test();
        } else if (source == Source.IMAGE_FOLDER) {
            Path train = dataDir.resolve("train");
            if (Files.isDirectory(train)) {
                Path testDir = dataDir.resolve("test");
                if (!Files.isDirectory(testDir)) {
                    throw new IllegalArgumentException("proxyTask data " + dataDir + " has train/ but no test/: "
                            + "expected both (with the same class subfolders), or the class subfolders directly");
                }
                ImageFolder a = ImageFolder.load(train, resolution, channels);
                ImageFolder b = ImageFolder.load(testDir, resolution, channels);
                if (!a.classes().equals(b.classes())) {
                    throw new IllegalArgumentException("proxyTask data " + dataDir + ": test classes " + b.classes()
                            + " differ from train classes " + a.classes() + "; expected the same subfolders");
                }
                all = a.dataset();
                test = b.dataset();
            } else {
                ImageDataset.Split s = ImageFolder.load(dataDir, resolution, channels)
                        .dataset()
                        .split(1.0 / 6, splitSeed + 29, true);
                all = s.train();
                test = s.validation();
            }
        } else {
            int n = (trainImages == 0 ? 1024 : trainImages) + heldOutImages;
            ImageDataset gen = SyntheticImages.builder()
                    .classes(4)
                    .size(resolution)
                    .channels(1)
                    .samples(n + heldOutImages)
                    .noise(1.0)
                    .seed(splitSeed)
                    .build();
            ImageDataset.Split s = gen.split((double) heldOutImages / gen.size(), splitSeed + 17);
            all = s.train();
            test = s.validation();
        }
        if (heldOutImages >= all.size()) {
            throw new IllegalArgumentException("proxyTask.heldOutImages " + heldOutImages + ": expected fewer than the "
                    + all.size() + " training images");
        }
        ImageDataset.Split split = all.split((double) heldOutImages / all.size(), splitSeed, true);
        ImageDataset train = split.train();
        if (trainImages > 0 && trainImages < train.size()) {
            train = train.subset(trainImages, splitSeed + 1);
        }
        train = geometry(train);
        ImageDataset heldOut = geometry(split.validation());
        test = geometry(test);
        ImageDataset.ChannelStats stats = train.channelStats();
        return new ProxyData(this, train.normalize(stats), heldOut.normalize(stats), test.normalize(stats));
    }

    private ImageDataset geometry(ImageDataset d) {
        ImageDataset out = d;
        if (out.height() != resolution || out.width() != resolution) {
            out = resolution == 32 && out.height() == 28 && out.width() == 28
                    ? out.padTo(32, 32)
                    : out.resize(resolution, resolution);
        }
        if (channels != out.channels()) {
            out = channels == 1 ? out.grey() : out.replicateChannels(channels);
        }
        return out;
    }
}
