/** Forward and backward compute kernels over NHWC float arrays (GEMM, convolutions, normalisation, element-wise ops). */
package org.mobilenas.core.engine.kernels;
