/** Analytic latency models: per-kind compute and memory terms fitted by least squares to measurements. */
package org.mobilenas.latency.analytic;
