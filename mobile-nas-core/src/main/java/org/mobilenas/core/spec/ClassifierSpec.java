package org.mobilenas.core.spec;

/** Flatten → dropout → fully connected layer to {@code numClasses} logits. */
public record ClassifierSpec(int numClasses, double dropout, boolean bias) {
    public ClassifierSpec {
        Checks.atLeast("classifier.numClasses", numClasses, 2);
        Checks.fraction("classifier.dropout", dropout);
    }

    public static ClassifierSpec of(int numClasses, double dropout) {
        return new ClassifierSpec(numClasses, dropout, true);
    }
}
