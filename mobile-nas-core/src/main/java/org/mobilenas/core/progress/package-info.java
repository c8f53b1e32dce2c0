/**
 * Progress of long jobs, shown the same way by every method: a terminal bar, plain log lines, or nothing.
 */
package org.mobilenas.core.progress;
