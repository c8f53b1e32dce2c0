/** Reference mobile networks (MobileNet V1–V3, ShuffleNet V1/V2, MnasNet A1/B1, EfficientNet B0–B7, TinyNet A–E) as specs, by name. */
package org.mobilenas.spaces.catalog;
