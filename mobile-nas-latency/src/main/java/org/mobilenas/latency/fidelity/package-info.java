/** Fidelity reports: predicted against measured end-to-end latency, with error and rank-correlation metrics. */
package org.mobilenas.latency.fidelity;
