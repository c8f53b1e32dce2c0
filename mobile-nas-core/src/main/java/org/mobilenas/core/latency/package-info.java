/** The latency model interface shared by every method that trades accuracy against device latency. */
package org.mobilenas.core.latency;
