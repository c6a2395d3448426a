// The model of MATH.md as an ONNX graph (opset 17):
//
//   x: [T, batch, m]  ──MatMul Uᵀ (+ b)──▶ xu: [T, batch, d]
//   Scan over t, state s (s^0 = 0):  s^t = f(xu^t + s^{t−1} Wᵀ)      ──▶ s: [T, batch, d]
//   s ──MatMul Vᵀ (+ c)──▶ y: [T, batch, n]
//
// with f = Tanh, Relu, Sigmoid or Identity. Why a Scan of plain
// MatMul/Add/activation nodes rather than the ONNX `RNN` operator: one graph
// serves every activation (RNN has no identity) and both dtypes
// (onnxruntime's CPU RNN kernel is registered for float only, not double),
// and it computes in the same order as the engine's forward pass (input
// projection first, then the recurrence), so float64 outputs agree with the
// engine to rounding. The initializers are named U, W, V, b, c and keep the
// engine's orientation, so the weights can be read back out of the file; the
// graph outputs are y and the hidden states s. Metadata: the run's config
// (JSON), step, seed, dtype and versions. onnx-read.ts reads these files back.

import type { Activation, Dtype, MatrixName } from '../../common/contract';
import type { NdArray } from './npy';
import { ELEM, graph, model, node, tensor, valueInfo, type ElemType } from './onnx-proto';
import type { PbWriter } from './protobuf';
import type { WeightsMeta } from './tensors';

export const ONNX_OPSET = 17;
export const ONNX_PRODUCER = 'rnn-workbench';
export const ONNX_GRAPH_NAME = 'elman_rnn';

const OPS: Record<Activation, string> = { tanh: 'Tanh', relu: 'Relu', sigmoid: 'Sigmoid', identity: 'Identity' };

export function encodeOnnx(arrays: ReadonlyMap<MatrixName, NdArray>, meta: WeightsMeta, dtype: Dtype): Uint8Array {
  return model({
    opset: ONNX_OPSET,
    producer: ONNX_PRODUCER,
    producerVersion: meta.appVersion,
    graph: onnxGraph(arrays, meta.config.model.activation, dtype),
    doc: `${meta.runName} at step ${meta.step}`,
    metadata: {
      config: JSON.stringify(meta.config),
      step: String(meta.step),
      seed: String(meta.config.seed),
      dtype,
      activation: meta.config.model.activation,
      engine_version: meta.engineVersion,
      app_version: meta.appVersion,
    },
  });
}

/** The graph of the model with these weights (onnx-read.ts rebuilds it to check an imported file against). */
export function onnxGraph(arrays: ReadonlyMap<MatrixName, NdArray>, activation: Activation, dtype: Dtype): PbWriter {
  const elem: ElemType = dtype === 'float32' ? ELEM.float : ELEM.double;
  const U = arrays.get('U'),
    V = arrays.get('V');
  if (!U || !V || !arrays.has('W')) throw new RangeError('onnx: the weights need U, W and V');
  const b = arrays.has('b'),
    c = arrays.has('c');
  const [d, m] = U.shape;
  const n = V.shape[0];
  const init = [...arrays].map(([name, a]) => tensor(name, a.shape, elem, a.data));
  init.push(
    tensor('batch_axis_start', [1], ELEM.int64, [1]),
    tensor('batch_axis_end', [1], ELEM.int64, [2]),
    tensor('hidden_size', [1], ELEM.int64, [d]),
  );

  const nodes = [
    node('Transpose', ['U'], ['Ut'], [{ name: 'perm', ints: [1, 0] }]),
    node('Transpose', ['W'], ['Wt'], [{ name: 'perm', ints: [1, 0] }]),
    node('Transpose', ['V'], ['Vt'], [{ name: 'perm', ints: [1, 0] }]),
    node('MatMul', ['x', 'Ut'], [b ? 'xu_nobias' : 'xu']),
    ...(b ? [node('Add', ['xu_nobias', 'b'], ['xu'])] : []),
    // s^0 = 0, one row per sequence of the batch: zeros of shape [batch, d].
    node('Shape', ['x'], ['x_shape']),
    node('Slice', ['x_shape', 'batch_axis_start', 'batch_axis_end'], ['batch_size']),
    node('Concat', ['batch_size', 'hidden_size'], ['s0_shape'], [{ name: 'axis', int: 0 }]),
    node('ConstantOfShape', ['s0_shape'], ['s0'], [{ name: 'value', tensor: tensor('zero', [1], elem, [0]) }]),
    node(
      'Scan',
      ['s0', 'xu'],
      ['s_last', 's'],
      [
        { name: 'body', graph: stepGraph(OPS[activation], elem, d) },
        { name: 'num_scan_inputs', int: 1 },
      ],
    ),
    node('MatMul', ['s', 'Vt'], [c ? 'y_nobias' : 'y']),
    ...(c ? [node('Add', ['y_nobias', 'c'], ['y'])] : []),
  ];

  return graph({
    name: ONNX_GRAPH_NAME,
    nodes,
    initializers: init,
    inputs: [valueInfo('x', elem, ['T', 'batch', m])],
    outputs: [valueInfo('y', elem, ['T', 'batch', n]), valueInfo('s', elem, ['T', 'batch', d])],
    doc: 'Elman RNN (MATH.md): s^t = f(U x^t + W s^{t-1} + b), y^t = V s^t + c, s^0 = 0. Input x is [T, batch, m].',
  });
}

/** One time step of the Scan: (s^{t−1}, xu^t) → (s^t, s^t); Wt comes from the outer graph. */
function stepGraph(activation: string, elem: ElemType, d: number) {
  return graph({
    name: 'elman_step',
    nodes: [
      node('MatMul', ['s_prev', 'Wt'], ['ws']),
      node('Add', ['xu_t', 'ws'], ['z']),
      node(activation, ['z'], ['s_next']),
      node('Identity', ['s_next'], ['s_t']),
    ],
    inputs: [valueInfo('s_prev', elem, ['batch', d]), valueInfo('xu_t', elem, ['batch', d])],
    outputs: [valueInfo('s_next', elem, ['batch', d]), valueInfo('s_t', elem, ['batch', d])],
  });
}
