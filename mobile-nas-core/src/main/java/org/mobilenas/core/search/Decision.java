package org.mobilenas.core.search;

import java.util.List;

/**
 * One categorical decision of a {@link SearchSpace}, e.g. {@code block3.kernel} with options {@code [3, 5]}.
 *
 * @param name    stable name, unique within the space
 * @param options human-readable labels of the options, in index order (at least one)
 */
public record Decision(String name, List<String> options) {
    /** Checks the components (a bad one is an error naming it). */
    public Decision {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("decision name is missing");
        }
        if (options == null || options.isEmpty()) {
            throw new IllegalArgumentException("decision '" + name + "': options must be a non-empty list");
        }
        options = List.copyOf(options);
    }

    /** Number of options. */
    public int size() {
        return options.size();
    }
}
