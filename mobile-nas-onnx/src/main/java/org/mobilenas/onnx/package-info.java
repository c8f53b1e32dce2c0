/**
 * Deployment through ONNX: {@link org.mobilenas.onnx.OnnxExport} writes any network (a searched candidate, an
 * extracted Once-for-All subnet, a NetAdapt result, any realized {@code Network}) as an ONNX model, and
 * {@link org.mobilenas.onnx.OnnxRuntimeMeasurer} measures latency in ONNX Runtime behind the latency measurer SPI,
 * so lookup tables can be built for the runtime an app ships.
 */
package org.mobilenas.onnx;
