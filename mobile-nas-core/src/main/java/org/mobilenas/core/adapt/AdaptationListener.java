package org.mobilenas.core.adapt;

import org.mobilenas.core.engine.Network;

/**
 * Called after every finished (and checkpointed) iteration of an adaptation.
 *
 * <pre>{@code
 * adapter = NetAdapter.builder(net)...listener((it, n) -> System.out.println(it.layer())).build();
 * }</pre>
 */
@FunctionalInterface
public interface AdaptationListener {
    /** Called after every iteration with its record and the network it chose. */
    void onIteration(AdaptationReport.Iteration iteration, Network network);
}
