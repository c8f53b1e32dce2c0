/** Trainable networks realized from specs: tensors, named parameters, the graph interpreter and persistence. */
package org.mobilenas.core.engine;
