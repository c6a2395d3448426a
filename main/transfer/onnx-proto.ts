// ONNX protobuf messages (onnx/onnx.proto, IR version 8) as PbWriter
// builders: tensors, value infos, nodes with attributes, graphs and the
// model. The field numbers are the ones onnx.proto assigns.

import { PbWriter } from './protobuf';

/** The IR version the models are written in (ONNX 1.10 and later read it). */
export const ONNX_IR_VERSION = 8;

/** TensorProto.DataType values. */
export const ELEM = { float: 1, int64: 7, double: 11 } as const;
export type ElemType = (typeof ELEM)[keyof typeof ELEM];

/** A tensor initializer (or attribute value) with raw little-endian data. */
export function tensor(name: string, dims: readonly number[], type: ElemType, values: ArrayLike<number>): PbWriter {
  const word = type === ELEM.float ? 4 : 8;
  const raw = new Uint8Array(values.length * word);
  const view = new DataView(raw.buffer);
  for (let i = 0; i < values.length; i++) {
    if (type === ELEM.float) view.setFloat32(4 * i, values[i], true);
    else if (type === ELEM.double) view.setFloat64(8 * i, values[i], true);
    else view.setBigInt64(8 * i, BigInt(values[i]), true);
  }
  // TensorProto: dims = 1, data_type = 2, name = 8, raw_data = 9
  return new PbWriter().ints(1, dims).int(2, type).string(8, name).bytes(9, raw);
}

/** A graph input or output: a tensor of `type` whose dims are sizes or symbolic names (null: unknown). */
export function valueInfo(name: string, type: ElemType, dims: readonly (number | string | null)[] | null): PbWriter {
  // TypeProto.Tensor: elem_type = 1, shape = 2; TensorShapeProto.dim = 1; Dimension: dim_value = 1, dim_param = 2
  const tensorType = new PbWriter().int(1, type);
  if (dims !== null) {
    const shape = new PbWriter();
    for (const d of dims) {
      const dim = new PbWriter();
      if (typeof d === 'number') dim.int(1, d);
      else if (typeof d === 'string') dim.string(2, d);
      shape.message(1, dim);
    }
    tensorType.message(2, shape);
  }
  // ValueInfoProto: name = 1, type = 2; TypeProto: tensor_type = 1
  return new PbWriter().string(1, name).message(2, new PbWriter().message(1, tensorType));
}

export type Attribute =
  | { name: string; int: number }
  | { name: string; ints: readonly number[] }
  | { name: string; tensor: PbWriter }
  | { name: string; graph: PbWriter };

function attribute(a: Attribute): PbWriter {
  // AttributeProto: name = 1, i = 3, t = 5, g = 6, ints = 8, type = 20 (INT 2, TENSOR 4, GRAPH 5, INTS 7)
  const w = new PbWriter().string(1, a.name);
  if ('int' in a) return w.int(3, a.int).int(20, 2);
  if ('ints' in a) return w.ints(8, a.ints).int(20, 7);
  if ('tensor' in a) return w.message(5, a.tensor).int(20, 4);
  return w.message(6, a.graph).int(20, 5);
}

export function node(op: string, inputs: readonly string[], outputs: readonly string[], attributes: readonly Attribute[] = []): PbWriter {
  // NodeProto: input = 1, output = 2, name = 3, op_type = 4, attribute = 5
  const w = new PbWriter();
  for (const i of inputs) w.string(1, i);
  for (const o of outputs) w.string(2, o);
  w.string(3, `${op}_${outputs[0]}`).string(4, op);
  for (const a of attributes) w.message(5, attribute(a));
  return w;
}

export interface GraphParts {
  name: string;
  nodes: readonly PbWriter[];
  initializers?: readonly PbWriter[];
  inputs: readonly PbWriter[];
  outputs: readonly PbWriter[];
  doc?: string;
}

export function graph(g: GraphParts): PbWriter {
  // GraphProto: node = 1, name = 2, initializer = 5, doc_string = 10, input = 11, output = 12
  const w = new PbWriter();
  for (const n of g.nodes) w.message(1, n);
  w.string(2, g.name);
  for (const t of g.initializers ?? []) w.message(5, t);
  if (g.doc) w.string(10, g.doc);
  for (const i of g.inputs) w.message(11, i);
  for (const o of g.outputs) w.message(12, o);
  return w;
}

export interface ModelParts {
  opset: number;
  producer: string;
  producerVersion: string;
  graph: PbWriter;
  doc: string;
  metadata: Record<string, string>;
}

export function model(m: ModelParts): Uint8Array {
  // ModelProto: ir_version = 1, producer_name = 2, producer_version = 3, doc_string = 6, graph = 7,
  // opset_import = 8 (OperatorSetIdProto: domain = 1, version = 2), metadata_props = 14 (key = 1, value = 2)
  const w = new PbWriter().int(1, ONNX_IR_VERSION).string(2, m.producer).string(3, m.producerVersion).string(6, m.doc).message(7, m.graph);
  w.message(8, new PbWriter().string(1, '').int(2, m.opset));
  for (const [key, value] of Object.entries(m.metadata)) w.message(14, new PbWriter().string(1, key).string(2, value));
  return w.finish();
}
