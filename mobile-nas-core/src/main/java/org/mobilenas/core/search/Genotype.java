package org.mobilenas.core.search;

import java.util.List;

/**
 * A point of a {@link SearchSpace}: one option index per decision, in the space's decision order.
 * Its compact text form is the indices joined by '-' (e.g. {@code 2-0-1-3}).
 */
public record Genotype(List<Integer> choices) {
    /** Checks the components (a bad one is an error naming it). */
    public Genotype {
        if (choices == null) {
            throw new IllegalArgumentException("genotype choices are missing");
        }
        for (int i = 0; i < choices.size(); i++) {
            Integer c = choices.get(i);
            if (c == null || c < 0) {
                throw new IllegalArgumentException("genotype choice " + i + " is " + c + ", expected an index >= 0");
            }
        }
        choices = List.copyOf(choices);
    }

    /** A genotype of {@code choices}, one option index per decision. */
    public static Genotype of(int... choices) {
        Integer[] boxed = new Integer[choices.length];
        for (int i = 0; i < choices.length; i++) {
            boxed[i] = choices[i];
        }
        return new Genotype(List.of(boxed));
    }

    /** Parses the compact form {@code 2-0-1-3}. */
    public static Genotype parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("genotype text is empty, expected indices joined by '-'");
        }
        String[] parts = text.trim().split("-");
        int[] v = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                v[i] = Integer.parseInt(parts[i]);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(
                        "genotype '" + text + "': part " + i + " '" + parts[i] + "' is not an integer");
            }
        }
        return of(v);
    }

    /** Number of decisions. */
    public int size() {
        return choices.size();
    }

    /** The option chosen for decision {@code i}. */
    public int get(int i) {
        return choices.get(i);
    }

    /** The same genotype with decision {@code i} set to {@code option}. */
    public Genotype with(int i, int option) {
        int[] v = toArray();
        v[i] = option;
        return of(v);
    }

    /** The choices as an array (a copy). */
    public int[] toArray() {
        int[] v = new int[choices.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = choices.get(i);
        }
        return v;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        for (int c : choices) {
            if (sb.length() > 0) {
                sb.append('-');
            }
            sb.append(c);
        }
        return sb.toString();
    }
}
