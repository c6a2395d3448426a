// Reading back the ONNX files onnx.ts writes, and only those: the model's
// producer, IR version and opset, its metadata (config, dtype, activation)
// and the initializers U, W, V (b, c) are read field by field, every
// declared size checked against the bytes there before use; then the graph
// this app would write for those weights is built again and must equal the
// file's graph byte for byte. Any other graph (another exporter's, or ours
// edited or re-saved by another tool) is refused, naming the first node
// that differs and what the exporter writes there.

import { ACTIVATIONS, DTYPES, MATRIX_NAMES, orList, type Activation, type Dtype, type MatrixName } from '../../common/values';
import { badFile, TransferError } from './errors';
import { parseJsonText } from './json-text';
import { MAX_ELEMENTS, type NdArray } from './npy';
import { ONNX_GRAPH_NAME, ONNX_OPSET, ONNX_PRODUCER, onnxGraph } from './onnx';
import { ELEM, ONNX_IR_VERSION } from './onnx-proto';
import { bytesFields, intField, intFields, readMessage, stringField, utf8, type PbMessage } from './protobuf-read';

/** What an importable file is, for the messages that refuse another. */
export const ONNX_EXPECTED = `an ONNX model exported by ${ONNX_PRODUCER} (IR version ${ONNX_IR_VERSION}, opset ${ONNX_OPSET}, graph "${ONNX_GRAPH_NAME}": input x [T, batch, m], initializers U, W, V and optionally b, c, a Scan over time, outputs y and s)`;

export interface OnnxWeights {
  arrays: Map<MatrixName, NdArray>;
  /** The run config the file's metadata carries (checked later, as any imported config). */
  config: unknown;
  activation: Activation;
  dtype: Dtype;
}

/** The metadata every export writes (onnx.ts). */
const METADATA_KEYS = ['config', 'step', 'seed', 'dtype', 'activation', 'engine_version', 'app_version'];

/** Does the file start as an ONNX ModelProto does (field 1, ir_version, a varint)? */
export const looksLikeOnnx = (data: Uint8Array): boolean => data.length >= 2 && data[0] === 0x08;

export function decodeOnnx(bytes: Uint8Array, what: string): OnnxWeights {
  const refuse = (found: string) => new TransferError('unsupported', `${what}: ${found}; this app imports ${ONNX_EXPECTED}`);
  const model = readMessage(bytes, `${what}: model`);
  const producer = stringField(model, 2, `${what}: model.producer_name`);
  if (producer !== ONNX_PRODUCER) throw refuse(`made by ${producer ? `"${producer}"` : 'an unnamed producer'}`);
  const ir = intField(model, 1, `${what}: model.ir_version`);
  if (ir !== ONNX_IR_VERSION) throw refuse(`IR version ${ir}`);
  const opsets = bytesFields(model, 8, `${what}: model.opset_import`).map((b, i) => {
    const where = `${what}: model.opset_import[${i}]`;
    const o = readMessage(b, where);
    return `${stringField(o, 1, where) || 'ai.onnx'} ${intField(o, 2, where)}`;
  });
  if (opsets.length !== 1 || opsets[0] !== `ai.onnx ${ONNX_OPSET}`) throw refuse(`opsets ${opsets.join(', ') || 'none'}`);
  const meta = metadata(model, what);
  const dtype = meta.dtype as Dtype;
  if (!DTYPES.includes(dtype)) throw badFile(`${what}: metadata dtype "${meta.dtype ?? ''}"; expected ${orList(DTYPES)}`);
  const activation = meta.activation as Activation;
  if (!ACTIVATIONS.includes(activation))
    throw badFile(`${what}: metadata activation "${meta.activation ?? ''}"; expected ${orList(ACTIVATIONS)}`);
  const missing = METADATA_KEYS.filter((k) => meta[k] === undefined);
  if (missing.length) throw badFile(`${what}: the metadata lacks ${missing.join(', ')} (an export writes ${METADATA_KEYS.join(', ')})`);
  const config = parseJsonText(meta.config!, `${what}: metadata config`);
  const said = (config as { model?: { activation?: unknown } } | null)?.model?.activation ?? 'tanh';
  if (said !== activation) throw badFile(`${what}: the metadata's activation is ${activation} but its config says ${String(said)}`);

  const graphs = bytesFields(model, 7, `${what}: model.graph`);
  if (graphs.length !== 1) throw refuse(`${graphs.length} graphs`);
  const graph = readMessage(graphs[0], `${what}: graph`);
  const name = stringField(graph, 2, `${what}: graph.name`);
  if (name !== ONNX_GRAPH_NAME) throw refuse(`a graph named "${name}"`);
  const arrays = initializers(graph, dtype, what);
  for (const required of ['U', 'W', 'V'] as const) if (!arrays.has(required)) throw refuse(`no initializer ${required}`);
  let expected: Uint8Array;
  try {
    expected = onnxGraph(arrays, activation, dtype).finish();
  } catch (e) {
    throw refuse(`initializers that do not form a model (${(e as Error).message})`);
  }
  if (!equalBytes(graphs[0], expected)) throw refuse(firstDifference(graph, readMessage(expected, 'expected graph'), what));
  return { arrays, config, activation, dtype };
}

function metadata(model: PbMessage, what: string): Record<string, string> {
  const out: Record<string, string> = {};
  bytesFields(model, 14, `${what}: model.metadata_props`).forEach((b, i) => {
    const where = `${what}: model.metadata_props[${i}]`;
    const p = readMessage(b, where);
    const key = stringField(p, 1, `${where}.key`);
    if (key in out) throw badFile(`${where}: the key "${key}" appears twice`);
    out[key] = stringField(p, 2, `${where}.value`);
  });
  return out;
}

/** The weight initializers, in the file's order (the rebuilt graph keeps it); the int64 helpers are left to the comparison. */
function initializers(graph: PbMessage, dtype: Dtype, what: string): Map<MatrixName, NdArray> {
  const arrays = new Map<MatrixName, NdArray>();
  const elem = dtype === 'float32' ? ELEM.float : ELEM.double;
  const word = dtype === 'float32' ? 4 : 8;
  for (const [i, b] of bytesFields(graph, 5, `${what}: graph.initializer`).entries()) {
    const t = readMessage(b, `${what}: graph.initializer[${i}]`);
    const name = stringField(t, 8, `${what}: graph.initializer[${i}].name`);
    if (!MATRIX_NAMES.includes(name as MatrixName)) continue;
    const where = `${what}: initializer ${name}`;
    if (arrays.has(name as MatrixName)) throw badFile(`${where} appears twice`);
    const type = intField(t, 2, `${where}.data_type`);
    if (type !== elem) throw badFile(`${where}: data type ${type}, expected ${elem} (${dtype}, as the metadata says)`);
    const dims = intFields(t, 1, `${where}.dims`);
    const bias = name === 'b' || name === 'c';
    if (dims.length !== (bias ? 1 : 2)) throw badFile(`${where}: ${dims.length} dims; ${name} is ${bias ? 'a vector' : 'a matrix'}`);
    const size = dims.reduce((a, x) => a * x, 1);
    if (size > MAX_ELEMENTS) throw new TransferError('too-large', `${where}: ${size} values, over the limit of ${MAX_ELEMENTS}`);
    const raws = bytesFields(t, 9, `${where}.raw_data`);
    if (raws.length !== 1) throw badFile(`${where}: the values must be one raw_data field, found ${raws.length}`);
    const raw = raws[0];
    if (raw.length !== size * word)
      throw badFile(`${where}: dims [${dims.join(', ')}] of ${dtype} need ${size * word} bytes, raw_data holds ${raw.length}`);
    const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
    const data = new Float64Array(size);
    for (let k = 0; k < size; k++) data[k] = word === 4 ? view.getFloat32(4 * k, true) : view.getFloat64(8 * k, true);
    arrays.set(name as MatrixName, { shape: dims, data, dtype });
  }
  return arrays;
}

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/** The first node that differs from the exporter's, as "graph node 4 is Add(x, b) → xu where the exporter writes MatMul(x, Ut) → xu". */
function firstDifference(found: PbMessage, expected: PbMessage, what: string): string {
  const a = bytesFields(found, 1, `${what}: graph.node`);
  const b = bytesFields(expected, 1, 'expected graph.node');
  const sign = (bytes: Uint8Array, where: string) => {
    const n = readMessage(bytes, where);
    const strings = (f: number) => bytesFields(n, f, where).map((x) => utf8(x, where));
    return `${stringField(n, 4, where)}(${strings(1).join(', ')}) → ${strings(2).join(', ')}`;
  };
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    if (equalBytes(a[i], b[i])) continue;
    const x = sign(a[i], `${what}: graph.node[${i}]`);
    const y = sign(b[i], 'expected');
    return x === y
      ? `graph node ${i}, ${x}, differs from the exporter's in its name or attributes`
      : `graph node ${i} is ${x} where the exporter writes ${y}`;
  }
  if (a.length !== b.length) return `the graph has ${a.length} nodes where the exporter writes ${b.length}`;
  return 'the graph differs from the one the exporter writes for these weights (edited, or re-saved by another tool?)';
}
