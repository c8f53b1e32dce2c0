/** Runnable examples; each returns a result record that its test asserts on. */
package org.mobilenas.examples;
