/** File helpers shared by every saved artefact: atomic writes. */
package org.mobilenas.core.io;
