package org.mobilenas.latency.table;

/** What to do when a latency table was measured on another device than the one it is used for. */
public enum DeviceCheck {
    /** Throw an {@link IllegalStateException} naming both devices and their differences. */
    REFUSE,
    /** Report the differences as a warning and go on. */
    WARN,
    /** Do not compare. */
    IGNORE
}
