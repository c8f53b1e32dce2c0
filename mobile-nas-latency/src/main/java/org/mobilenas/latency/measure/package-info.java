/** On-device latency measurement through a {@link java.util.ServiceLoader} SPI: this JVM by default, any device by plug-in. */
package org.mobilenas.latency.measure;
