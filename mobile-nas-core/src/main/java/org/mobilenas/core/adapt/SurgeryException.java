package org.mobilenas.core.adapt;

/**
 * A requested filter removal cannot be carried out exactly: the edited spec lowers to a different graph, or the
 * kept channels cannot be placed so that channel splits, concatenations, shuffles, residual adds and grouped
 * convolutions still see the same channels as in the original network. The message names the node and the reason.
 */
public class SurgeryException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    /** An edit that cannot be applied to the network, {@code message} saying why. */
    public SurgeryException(String message) {
        super(message);
    }
}
