/** The search API shared by the search and adaptation engines: candidate evaluation ({@link org.mobilenas.core.search.Evaluator}). */
package org.mobilenas.core.search;
