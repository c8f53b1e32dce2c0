/** Forward and backward compute kernels over NHWC float arrays (GEMM on the Vector API, pure Java or ND4J; convolutions, normalisation, element-wise ops). */
package org.mobilenas.core.engine.kernels;
