// The export and import calls of the API (TransferCalls in the contract):
// their argument schemas, which invoke() checks before any handler runs,
// and the handlers, which createHandlers spreads into the app's set.

import { z } from 'zod';
import { DTYPES, METRICS_FORMATS, WEIGHT_FORMATS } from '../../common/values';
import type { TransferCalls } from '../../common/contract';
import type { ArgsSchema, Services } from '../api/handlers';
import { ApiError } from '../runs/errors';
import { importArchive } from './archive-import';
import { archiveExport } from './archive';
import { collectExport, metricsExport, weightsExport } from './export';
import { importWeights, inspectWeightsFile } from './import-weights';
import { predictRun } from './predict';

/** Files larger than this are refused at the API edge (a Uint8Array cannot pass 2 GiB anyway). */
export const MAX_IMPORT_BYTES = 2 ** 31 - 1;

const id = z.number().int().positive();
const fileName = z.string().max(1000);
const bytes = z
  .instanceof(Uint8Array, { message: "must be the file's bytes (a Uint8Array)" })
  .refine((b) => b.byteLength <= MAX_IMPORT_BYTES, { message: `files over ${MAX_IMPORT_BYTES} bytes cannot be imported` });

const weightsArgs = { id, step: z.number().int().min(0).nullable(), format: z.enum(WEIGHT_FORMATS), dtype: z.enum(DTYPES) };
const metricsArgs = { id, format: z.enum(METRICS_FORMATS) };

/** An ExportRequest: also how serve mode's GET /export reads its query. */
export const exportRequestSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('weights'), ...weightsArgs }),
  z.strictObject({ kind: z.literal('metrics'), ...metricsArgs }),
  z.strictObject({ kind: z.literal('archive'), id }),
]);

export const transferSchemas = {
  'export:weights': z.strictObject(weightsArgs),
  'export:metrics': z.strictObject(metricsArgs),
  'export:archive': z.strictObject({ id }),
  'export:save': exportRequestSchema,
  'import:weights': z.strictObject({
    fileName,
    data: bytes,
    config: z.unknown(),
    name: z.string().max(200).nullable(),
    start: z.boolean(),
  }),
  'import:archive': z.strictObject({ fileName, data: bytes }),
  'import:inspect': z.strictObject({ fileName, data: bytes }),
  'predict:csv': z.strictObject({ id, step: z.number().int().min(0).nullable(), fileName, csv: z.string() }),
} satisfies { [K in keyof TransferCalls]: ArgsSchema<K> };

export type TransferHandlers = {
  [K in keyof TransferCalls]: (args: TransferCalls[K]['args']) => TransferCalls[K]['result'] | Promise<TransferCalls[K]['result']>;
};

export function createTransferHandlers(s: Services): TransferHandlers {
  const { store, manager, appVersion } = s;
  return {
    'export:weights': (a) => collectExport(weightsExport({ store, appVersion }, a)),
    'export:metrics': (a) => collectExport(metricsExport({ store, appVersion }, a)),
    'export:archive': (a) => collectExport(archiveExport({ store, appVersion }, a)),
    'export:save': () => {
      throw new ApiError(
        'unsupported',
        "export:save asks for a path with the desktop app's save dialog; in serve mode, download from GET /export",
      );
    },
    'import:weights': (a) => importWeights({ store, manager }, { ...a, config: a.config ?? null }),
    'import:archive': (a) => importArchive({ store, manager, appVersion }, a),
    'import:inspect': (a) => inspectWeightsFile(a.fileName, a.data),
    'predict:csv': (a) => predictRun(store, a),
  };
}
