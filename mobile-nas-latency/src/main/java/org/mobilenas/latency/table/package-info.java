/** Latency lookup tables: building them by measuring, persisting them as versioned JSON, predicting from them. */
package org.mobilenas.latency.table;
