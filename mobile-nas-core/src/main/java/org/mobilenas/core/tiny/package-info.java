/** TinyNet-style downsizing: scale a base network by resolution, depth and width under a FLOPs or latency budget (giant, inverse giant and fitted tiny formula). */
package org.mobilenas.core.tiny;
