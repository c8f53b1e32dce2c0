/** Exact per-layer and total costs: MACs, parameters, memory access cost and peak activation memory. */
package org.mobilenas.core.cost;
