package org.mobilenas.core.spec;

/**
 * A network specification is invalid. The message names the place (for example
 * {@code stages[3].blocks[2]}) and the field with the value that was found and what was expected.
 */
public class SpecException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final String place;

    /** An invalid spec, with {@code message} saying what was expected. */
    public SpecException(String message) {
        this(null, message);
    }

    /** An invalid spec at {@code place} (e.g. {@code stage 2, block 1}), with {@code message} saying what was expected. */
    public SpecException(String place, String message) {
        super(place == null ? message : place + ": " + message);
        this.place = place;
    }

    /** Where in the network the problem is, or {@code null} when it concerns a single record. */
    public String place() {
        return place;
    }

    /** Same problem, located at {@code place}. */
    public SpecException at(String newPlace) {
        String msg = place == null ? getMessage() : getMessage();
        return new SpecException(newPlace, msg);
    }
}
