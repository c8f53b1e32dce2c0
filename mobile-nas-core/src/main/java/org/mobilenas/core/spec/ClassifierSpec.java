package org.mobilenas.core.spec;

/** Flatten → dropout → fully connected layer to {@code numClasses} logits. */
public record ClassifierSpec(int numClasses, double dropout, boolean bias) {
    /** The largest number of classes. */
    public static final int MAX_CLASSES = 100_000;

    /** Checks the components (a bad one is an error naming it). */
    public ClassifierSpec {
        if (numClasses < 2 || numClasses > MAX_CLASSES) {
            throw new SpecException("classifier.numClasses " + numClasses + ": expected 2.." + MAX_CLASSES);
        }
        Checks.fraction("classifier.dropout", dropout);
    }

    /** A classifier of {@code numClasses} outputs after dropout {@code dropout}. */
    public static ClassifierSpec of(int numClasses, double dropout) {
        return new ClassifierSpec(numClasses, dropout, true);
    }
}
