/** JMH benchmarks of the realization engine (hot kernels with GFLOP/s, GEMM, training step and inference side by side with DL4J) and a training-step profiler. */
package org.mobilenas.benchmarks;
