/** JMH benchmarks of the realization engine (GEMM, training step, inference). */
package org.mobilenas.benchmarks;
