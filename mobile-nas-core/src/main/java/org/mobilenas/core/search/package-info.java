/** The search API: spaces and genotypes, candidate evaluation, the MnasNet reward, controllers (RL, evolution, random) and the journaled, resumable search engine. */
package org.mobilenas.core.search;
