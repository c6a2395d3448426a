// The export and import calls of the API (TransferCalls in the contract):
// their argument schemas, which invoke() checks before any handler runs,
// and the handlers, which createHandlers spreads into the app's set.

import { z } from 'zod';
import type { TransferCalls, WeightFormat } from '../contract';
import type { Services } from '../api/handlers';
import { importArchive } from './archive-import';
import { exportArchive } from './archive';
import { exportMetrics, exportWeights } from './export';
import { importWeights } from './import-weights';

/** Files larger than this are refused at the API edge (a Uint8Array cannot pass 2 GiB anyway). */
export const MAX_IMPORT_BYTES = 2 ** 31 - 1;

const id = z.number().int().positive();
const formats = ['json', 'npz', 'npy', 'safetensors', 'onnx', 'csv'] as const satisfies readonly WeightFormat[];
const fileName = z.string().max(1000);
const bytes = z.instanceof(Uint8Array, { message: 'must be the file\'s bytes (a Uint8Array)' })
  .refine((b) => b.byteLength <= MAX_IMPORT_BYTES, { message: `files over ${MAX_IMPORT_BYTES} bytes cannot be imported` });

export const transferSchemas = {
  'export:weights': z.strictObject({ id, step: z.number().int().min(0).nullable(), format: z.enum(formats), dtype: z.enum(['float64', 'float32']) }),
  'export:metrics': z.strictObject({ id, format: z.enum(['csv', 'jsonl']) }),
  'export:archive': z.strictObject({ id }),
  'import:weights': z.strictObject({ fileName, data: bytes, config: z.unknown(), name: z.string().max(200).nullable(), start: z.boolean() }),
  'import:archive': z.strictObject({ fileName, data: bytes }),
} satisfies { [K in keyof TransferCalls]: z.ZodType };

export type TransferHandlers = {
  [K in keyof TransferCalls]: (args: TransferCalls[K]['args']) => TransferCalls[K]['result'] | Promise<TransferCalls[K]['result']>;
};

export function createTransferHandlers(s: Services): TransferHandlers {
  const { store, manager, appVersion } = s;
  return {
    'export:weights': (a) => exportWeights({ store, appVersion }, a),
    'export:metrics': (a) => exportMetrics({ store, appVersion }, a),
    'export:archive': (a) => exportArchive({ store, appVersion }, a),
    'import:weights': (a) => importWeights({ store, manager }, { ...a, config: a.config ?? null }),
    'import:archive': (a) => importArchive({ store, manager, appVersion }, a),
  };
}
