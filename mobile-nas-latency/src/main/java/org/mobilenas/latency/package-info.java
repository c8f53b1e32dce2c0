/** Latency keys: what determines the latency of one fused layer (a block of a network), and its probe networks. */
package org.mobilenas.latency;
