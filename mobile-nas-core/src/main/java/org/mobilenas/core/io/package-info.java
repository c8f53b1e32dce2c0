/** File helpers shared by every saved artefact: atomic writes and bounded binary reads. */
package org.mobilenas.core.io;
