/** The architecture IR: immutable, validated records describing mobile CNNs, and their scaling rules. */
package org.mobilenas.core.spec;
