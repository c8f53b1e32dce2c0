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
    void onIteration(AdaptationReport.Iteration iteration, Network network);
}
