/** Versioned JSON for network specifications, costs and reports, with precise error locations. */
package org.mobilenas.core.json;
