/** Runnable examples; each returns a result object that its test checks. */
package org.mobilenas.examples;
