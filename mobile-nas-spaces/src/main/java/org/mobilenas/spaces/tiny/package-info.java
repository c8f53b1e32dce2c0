/** TinyNet recipes: the EfficientNet-B0 base, TinyNet A–E presets and a small-input base for {@code TinyScaler}. */
package org.mobilenas.spaces.tiny;
