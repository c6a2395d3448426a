// Property tests over the importers: random bytes, and valid exports cut,
// flipped, overwritten or spliced at random. Whatever comes in, an import
// either succeeds (a mutation can leave a valid file) or fails with one of
// the transfer error codes (never an unexpected exception, never a crash),
// and a failed import leaves every table and counter of the database as it
// was. The decoders alone face the same inputs, throwing only TransferError.

import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExportFile, RunRecord } from '../../../common/contract';
import { invoke } from '../../../main/api/handlers';
import { TransferError } from '../../../main/transfer/errors';
import { readWeightsFile } from '../../../main/transfer/import-weights';
import { decodeNpy } from '../../../main/transfer/npy';
import { decodeOnnx } from '../../../main/transfer/onnx-read';
import { decodeSafetensors } from '../../../main/transfer/safetensors';
import { readZip } from '../../../main/transfer/zip';
import { bench, fingerprint, smallConfig, trainedRun, type Bench } from './fixtures';

const CODES = ['bad-file', 'unsupported', 'too-large', 'shape-mismatch', 'non-finite', 'invalid-config', 'invalid-argument'];

let wb: Bench;
let run: RunRecord;
const valid: Record<string, Uint8Array> = {};
beforeAll(async () => {
  wb = bench();
  run = trainedRun(wb, smallConfig({ model: { hidden: 3, hiddenBias: true }, training: { steps: 6, evalEvery: 3, snapshotEvery: 3 } }));
  for (const format of ['json', 'npz', 'safetensors', 'onnx']) {
    valid[format] = ((await wb.call('export:weights', { id: run.id, step: null, format, dtype: 'float64' })) as ExportFile).data;
  }
  valid.archive = ((await wb.call('export:archive', { id: run.id })) as ExportFile).data;
});
afterAll(() => wb.dispose());

type Mutation =
  | { kind: 'truncate'; at: number }
  | { kind: 'flip'; at: number; bit: number }
  | { kind: 'overwrite'; at: number; bytes: Uint8Array }
  | { kind: 'insert'; at: number; bytes: Uint8Array };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), bit: fc.integer({ min: 0, max: 7 }) }),
  fc.record({ kind: fc.constant('overwrite' as const), at: fc.nat(), bytes: fc.uint8Array({ minLength: 1, maxLength: 16 }) }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), bytes: fc.uint8Array({ minLength: 1, maxLength: 16 }) }),
);

function mutate(data: Uint8Array, mutations: readonly Mutation[]): Uint8Array {
  let b = Buffer.from(data);
  for (const m of mutations) {
    const at = b.length === 0 ? 0 : m.at % b.length;
    if (m.kind === 'truncate') b = b.subarray(0, at);
    else if (m.kind === 'flip') b[at] ^= 1 << m.bit;
    else if (m.kind === 'overwrite') b.set(m.bytes.subarray(0, b.length - at), at);
    else b = Buffer.concat([b.subarray(0, at), m.bytes, b.subarray(at)]);
  }
  return new Uint8Array(b);
}

/** One import: succeeds, or fails with a transfer code and the database untouched. */
async function importChecked(
  channel: 'import:weights' | 'import:archive',
  fileName: string,
  data: Uint8Array,
  config: unknown,
): Promise<void> {
  const before = fingerprint(wb);
  const args = channel === 'import:weights' ? { fileName, data, config, name: null, start: false } : { fileName, data };
  const r = await invoke(wb.handlers, channel, args);
  if (r.ok) return;
  expect(CODES, `${r.error.code}: ${r.error.message}`).toContain(r.error.code);
  expect(r.error.message.length).toBeGreaterThan(10);
  expect(fingerprint(wb)).toEqual(before);
}

const onlyTransferErrors = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    if (!(e instanceof TransferError)) throw e;
  }
};

describe('importers under random and mutated input', () => {
  it('random bytes, with and without a config: a clear refusal, no change', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 600 }), fc.boolean(), async (data, withConfig) => {
        await importChecked('import:weights', 'random.bin', data, withConfig ? run.config : null);
        await importChecked('import:archive', 'random.rnnrun', data, null);
      }),
      { numRuns: 150 },
    );
  });

  for (const format of ['json', 'npz', 'safetensors', 'onnx'] as const) {
    it(`${format} exports, mutated: succeed or refuse cleanly`, async () => {
      await fc.assert(
        fc.asyncProperty(fc.array(mutation, { minLength: 1, maxLength: 3 }), async (ms) => {
          await importChecked('import:weights', `w.${format}`, mutate(valid[format], ms), format === 'npz' ? run.config : null);
        }),
        { numRuns: 150 },
      );
    });
  }

  it('run archives, mutated: succeed or refuse cleanly', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(mutation, { minLength: 1, maxLength: 3 }), async (ms) => {
        await importChecked('import:archive', 'run.rnnrun', mutate(valid.archive, ms), null);
      }),
      { numRuns: 150 },
    );
  });

  it('the decoders alone throw nothing but TransferError', () => {
    const inputs = fc.oneof(
      fc.uint8Array({ maxLength: 400 }),
      fc
        .tuple(fc.constantFrom('json', 'npz', 'safetensors', 'onnx', 'archive'), fc.array(mutation, { minLength: 1, maxLength: 4 }))
        .map(([f, ms]) => mutate(valid[f], ms)),
    );
    fc.assert(
      fc.property(inputs, (data) => {
        onlyTransferErrors(() => readWeightsFile('x', data));
        onlyTransferErrors(() => decodeNpy(data, 'x'));
        onlyTransferErrors(() => decodeSafetensors(data, 'x'));
        onlyTransferErrors(() => readZip(data, 'x'));
        onlyTransferErrors(() => decodeOnnx(data, 'x'));
      }),
      { numRuns: 1000 },
    );
  });
});
