/** Networks lowered to primitive operations with inferred shapes: the common ground of costs, latency and realization. */
package org.mobilenas.core.graph;
