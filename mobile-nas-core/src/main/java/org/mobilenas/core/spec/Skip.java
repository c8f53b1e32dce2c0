package org.mobilenas.core.spec;

/** Shortcut of a block: none, or an identity residual (needs stride 1 and equal input/output channels). */
public enum Skip { NONE, IDENTITY }
