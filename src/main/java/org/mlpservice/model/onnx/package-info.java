/**
 * A trained version as an ONNX model of its whole prediction ({@link org.mlpservice.model.onnx.OnnxExporter}),
 * written with Tribuo's ONNX graph builder; uses the engine's state and the dataset's schema, nothing else
 * of the service.
 */
package org.mlpservice.model.onnx;
