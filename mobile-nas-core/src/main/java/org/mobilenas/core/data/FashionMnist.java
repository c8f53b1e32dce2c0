package org.mobilenas.core.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Fashion-MNIST (Zalando): 60,000 training and 10,000 test grayscale 28x28 images of 10 clothing classes,
 * read from the four IDX files ({@code train-images-idx3-ubyte[.gz]}, {@code train-labels-idx1-ubyte[.gz]},
 * {@code t10k-images-idx3-ubyte[.gz]}, {@code t10k-labels-idx1-ubyte[.gz]}). Pixels are scaled to [0, 1].
 *
 * <p>Where it looks, in order: the directory passed to {@link #load(Path)}; otherwise the system property
 * {@value #DIR_PROPERTY}, the environment variable {@value #DIR_ENV}, and {@code /usr/share/datasets/fashion-mnist}
 * (where the Debian package {@code dataset-fashion-mnist} installs it).
 *
 * <pre>{@code
 * FashionMnist data = FashionMnist.load();
 * ImageDataset train = data.train();      // 60000 x 28x28x1, 10 classes
 * String name = FashionMnist.CLASS_NAMES.get(train.label(0));
 * }</pre>
 *
 * @param train the 60,000 training images
 * @param test  the 10,000 test images
 */
public record FashionMnist(ImageDataset train, ImageDataset test) {
    /** System property naming a directory with the four IDX files. */
    public static final String DIR_PROPERTY = "mobilenas.fashionmnist.dir";
    /** Environment variable naming a directory with the four IDX files. */
    public static final String DIR_ENV = "MOBILENAS_FASHIONMNIST_DIR";
    /** Where the Debian package {@code dataset-fashion-mnist} installs the files. */
    public static final Path SYSTEM_DIR = Path.of("/usr/share/datasets/fashion-mnist");
    /** Class names by label. */
    public static final List<String> CLASS_NAMES = List.of(
            "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");
    /** Number of classes. */
    public static final int CLASSES = 10;

    private static final String[] FILES = {
        "train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"
    };

    /** Checks the components (a bad one is an error naming it). */
    public FashionMnist {
        if (train == null || test == null) {
            throw new IllegalArgumentException("train and test must not be null");
        }
    }

    /** Loads from the first place that has all four files, or fails saying how to get them. */
    public static FashionMnist load() {
        Optional<Path> dir = locate();
        if (dir.isEmpty()) {
            throw new DatasetNotFoundException(missingMessage(candidates()));
        }
        return load(dir.get());
    }

    /** Loads from {@code dir}, which must hold the four IDX files (gzip or plain). */
    public static FashionMnist load(Path dir) {
        if (!hasFiles(dir)) {
            throw new DatasetNotFoundException(missingMessage(List.of(dir)));
        }
        ImageDataset train = Idx.readDataset(file(dir, FILES[0]), file(dir, FILES[1]), CLASSES);
        ImageDataset test = Idx.readDataset(file(dir, FILES[2]), file(dir, FILES[3]), CLASSES);
        return new FashionMnist(train, test);
    }

    /** The first candidate directory holding all four files. */
    public static Optional<Path> locate() {
        for (Path p : candidates()) {
            if (hasFiles(p)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    /** Whether {@link #load()} would find the data. */
    public static boolean isAvailable() {
        return locate().isPresent();
    }

    /** The directories {@link #load()} searches, in order. */
    public static List<Path> candidates() {
        List<Path> out = new ArrayList<>();
        String prop = System.getProperty(DIR_PROPERTY);
        if (prop != null && !prop.isBlank()) {
            out.add(Path.of(prop));
        }
        String env = System.getenv(DIR_ENV);
        if (env != null && !env.isBlank()) {
            out.add(Path.of(env));
        }
        out.add(SYSTEM_DIR);
        return out;
    }

    private static boolean hasFiles(Path dir) {
        for (String f : FILES) {
            if (find(dir, f) == null) {
                return false;
            }
        }
        return true;
    }

    private static Path find(Path dir, String base) {
        for (String name : new String[] {base + ".gz", base}) {
            Path p = dir.resolve(name);
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        return null;
    }

    private static Path file(Path dir, String base) {
        return find(dir, base);
    }

    static String missingMessage(List<Path> searched) {
        return "Fashion-MNIST not found; looked in " + searched + ". To get it: on Debian/Ubuntu run "
                + "'sudo apt-get install dataset-fashion-mnist' (installs to " + SYSTEM_DIR + "), or download the four "
                + "files train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz, t10k-images-idx3-ubyte.gz, "
                + "t10k-labels-idx1-ubyte.gz (from https://github.com/zalandoresearch/fashion-mnist, gzip or "
                + "uncompressed) into one directory and pass it to FashionMnist.load(dir), or set -D" + DIR_PROPERTY
                + "=<dir> or the environment variable " + DIR_ENV + "=<dir>.";
    }
}
