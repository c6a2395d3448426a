// Weights as JSON: the matrices by name with their shapes (a matrix as a
// list of rows, a bias as a flat list), the dtype, the full run config,
// seed, step and versions. Numbers are written in the shortest form that
// parses back to the same float64, and -0 as "-0", so a JSON export
// round-trips bit for bit.

import { z } from 'zod';
import { DTYPES } from '../../common/values';
import type { Dtype, MatrixName } from '../../common/contract';
import { badFile, TransferError } from './errors';
import { parseJsonText } from './json-text';
import { MAX_ELEMENTS, type NdArray } from './npy';
import type { WeightsMeta } from './tensors';

export const JSON_FORMAT = 'rnn-workbench-weights';
/** Larger JSON is refused before parsing: 2^28 values at ~25 characters each. */
export const MAX_JSON_BYTES = 1 << 30;

const num = (v: number): string => (Object.is(v, -0) ? '-0' : String(v));

export function encodeWeightsJson(arrays: ReadonlyMap<MatrixName, NdArray>, meta: WeightsMeta, dtype: Dtype): Uint8Array {
  const head = JSON.stringify(
    {
      format: JSON_FORMAT,
      formatVersion: 1,
      engineVersion: meta.engineVersion,
      appVersion: meta.appVersion,
      run: meta.runName,
      step: meta.step,
      seed: meta.config.seed,
      dtype,
      config: meta.config,
    },
    null,
    2,
  );
  const matrices = [...arrays].map(([name, a]) => {
    let data: string;
    if (a.shape.length === 1) data = `[${Array.from(a.data, num).join(', ')}]`;
    else {
      const cols = a.shape[1];
      const rows = Array.from(
        { length: a.shape[0] },
        (_, i) => `        [${Array.from(a.data.subarray(i * cols, (i + 1) * cols), num).join(', ')}]`,
      );
      data = rows.length ? `[\n${rows.join(',\n')}\n      ]` : '[]';
    }
    return `    "${name}": {\n      "shape": [${a.shape.join(', ')}],\n      "data": ${data}\n    }`;
  });
  return Buffer.from(`${head.slice(0, -2)},\n  "matrices": {\n${matrices.join(',\n')}\n  }\n}\n`, 'utf8');
}

const fileSchema = z.looseObject({
  format: z.literal(JSON_FORMAT).optional(),
  formatVersion: z.literal(1).optional(),
  dtype: z.enum(DTYPES).optional(),
  config: z.unknown().optional(),
  matrices: z.record(
    z.string(),
    z.looseObject({
      shape: z.array(z.number().int().min(0).max(MAX_ELEMENTS)).max(2),
      data: z.array(z.unknown()),
    }),
  ),
});

export interface WeightsJson {
  arrays: Map<string, NdArray>;
  config: unknown;
}

export function decodeWeightsJson(bytes: Uint8Array, what: string): WeightsJson {
  if (bytes.length > MAX_JSON_BYTES)
    throw new TransferError('too-large', `${what}: ${bytes.length} bytes of JSON, over the limit of ${MAX_JSON_BYTES}`);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw badFile(`${what}: not UTF-8 text`);
  }
  const raw = parseJsonText(text, what);
  const parsed = fileSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw badFile(`${what}: ${issue.path.join('.') || 'the file'}: ${issue.message}`);
  }
  const dtype: Dtype = parsed.data.dtype ?? 'float64';
  const arrays = new Map<string, NdArray>();
  for (const [name, m] of Object.entries(parsed.data.matrices)) {
    arrays.set(name, { shape: m.shape, data: readValues(m.shape, m.data, `${what}: matrices.${name}`), dtype });
  }
  return { arrays, config: parsed.data.config ?? null };
}

/** The values row-major: a 2-D shape takes a list of rows (or one flat list), a 1-D shape a flat list. */
function readValues(shape: number[], data: unknown[], where: string): Float64Array {
  const size = shape.reduce((a, b) => a * b, 1);
  if (size > MAX_ELEMENTS) throw new TransferError('too-large', `${where}: ${size} values, over the limit of ${MAX_ELEMENTS}`);
  const nested = shape.length === 2 && data.length > 0 && Array.isArray(data[0]);
  const flat: unknown[] = nested ? [] : data;
  if (nested) {
    if (data.length !== shape[0])
      throw new TransferError('shape-mismatch', `${where}: shape [${shape.join(', ')}] but ${data.length} rows`);
    data.forEach((row, i) => {
      if (!Array.isArray(row) || row.length !== shape[1]) {
        throw new TransferError(
          'shape-mismatch',
          `${where}: row ${i} has ${Array.isArray(row) ? row.length : 'no'} values; shape [${shape.join(', ')}] needs ${shape[1]}`,
        );
      }
      for (const v of row) flat.push(v);
    });
  }
  if (flat.length !== size)
    throw new TransferError('shape-mismatch', `${where}: shape [${shape.join(', ')}] needs ${size} values, data has ${flat.length}`);
  const out = new Float64Array(size);
  for (let i = 0; i < size; i++) {
    const v = flat[i];
    if (typeof v !== 'number') throw badFile(`${where}: value ${i} is ${JSON.stringify(v)}, not a number`);
    out[i] = v;
  }
  return out;
}
