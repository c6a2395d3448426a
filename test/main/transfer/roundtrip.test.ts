// Export → import through the API handlers, per format: the imported run's
// step-0 weights must be bit-identical to the snapshot exported (float64),
// or to its float32 rounding.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Dtype, ExportFile, RunRecord, WeightFormat } from '../../../common/contract';
import { decodeNpy } from '../../../main/transfer/npy';
import { readZip } from '../../../main/transfer/zip';
import { Trainer } from '../../../native-worker/trainer';
import { bench, bits, smallConfig, trainedRun, weightBits, type Bench } from './fixtures';

let wb: Bench;
let run: RunRecord;
beforeAll(() => {
  wb = bench();
  run = trainedRun(wb, smallConfig({ model: { hidden: 5, hiddenBias: true, outputBias: true } }));
});
afterAll(() => wb.dispose());

const exportOf = (format: WeightFormat, dtype: Dtype, step: number | null = null) =>
  wb.call('export:weights', { id: run.id, step, format, dtype }) as Promise<ExportFile>;

describe('export → import round trip', () => {
  for (const format of ['json', 'npz', 'safetensors'] as const) {
    for (const dtype of ['float64', 'float32'] as const) {
      it(`${format}, ${dtype}: the new run starts from exactly the exported weights`, async () => {
        const file = await exportOf(format, dtype);
        expect(Object.getPrototypeOf(file.data)).toBe(Uint8Array.prototype); // not a Buffer: it must survive JSON wires and IPC alike
        expect(file.data.byteLength).toBe(file.data.buffer.byteLength);
        const config = format === 'npz' ? run.config : null; // json and safetensors carry the config themselves
        const imported = (await wb.call('import:weights', {
          fileName: file.fileName,
          data: file.data,
          config,
          name: null,
          start: false,
        })) as RunRecord;
        expect(imported.id).not.toBe(run.id);
        expect(imported.status).toBe('created');
        expect(imported.config).toEqual(run.config);
        const start = wb.store.latestCheckpoint(imported.id)!;
        expect(start.step).toBe(0);
        expect(Object.keys(start.weights).sort()).toEqual(['U', 'V', 'W', 'b', 'c']);
        expect(weightBits(start)).toEqual(weightBits(wb.store.latestCheckpoint(run.id)!, dtype === 'float32'));
      });
    }
  }

  for (const format of ['npy', 'csv'] as const) {
    it(`${format}: one file per matrix holding exactly the snapshot's values`, async () => {
      const file = await exportOf(format, 'float64', 10);
      const files = readZip(file.data, file.fileName);
      const snap = wb.store.checkpointAt(run.id, 10)!;
      expect([...files.keys()]).toEqual(['U', 'W', 'V', 'b', 'c'].map((n) => `${n}.${format}`));
      for (const [name, m] of Object.entries(snap.weights)) {
        const bytes = files.get(`${name}.${format}`)!;
        if (format === 'npy') {
          const a = decodeNpy(bytes, name);
          expect(a.shape).toEqual(name === 'b' || name === 'c' ? [m.rows] : [m.rows, m.cols]);
          expect(bits(a.data)).toBe(bits(m.data));
        } else {
          const rows = Buffer.from(bytes).toString('utf8').trimEnd().split('\n');
          expect(rows).toHaveLength(m.rows);
          expect(bits(rows.flatMap((r) => r.split(',').map(Number)))).toBe(bits(m.data));
        }
      }
    });
  }

  it('JSON names the matrices with their shapes, the dtype, config, seed, step and engine version', async () => {
    const file = await exportOf('json', 'float64', 20);
    const j = JSON.parse(Buffer.from(file.data).toString('utf8'));
    expect(j).toMatchObject({
      format: 'rnn-workbench-weights',
      step: 20,
      seed: 7,
      dtype: 'float64',
      engineVersion: '0.1.0',
      config: run.config,
    });
    expect(Object.keys(j.matrices)).toEqual(['U', 'W', 'V', 'b', 'c']);
    expect(j.matrices.U.shape).toEqual([5, 2]);
    expect(j.matrices.W.data).toHaveLength(5);
    expect(j.matrices.b.shape).toEqual([5]);
    expect(file.fileName).toBe(`trained-run-run${run.id}-step20.json`);
  });

  it("importing a run's initial weights under its own config reproduces the run bit for bit", async () => {
    const file = await exportOf('safetensors', 'float64', 0);
    const imported = (await wb.call('import:weights', {
      fileName: file.fileName,
      data: file.data,
      config: null,
      name: 'replay',
      start: false,
    })) as RunRecord;
    const replay = new Trainer(imported.config, wb.store.latestCheckpoint(imported.id));
    const original = new Trainer(run.config);
    for (let k = 0; k < 10; k++) expect(replay.runStep().loss).toBe(original.runStep().loss);
    expect(bits(replay.params)).toBe(bits(original.params));
  });

  it('refuses bad export requests with the reason', async () => {
    expect(await wb.fail('export:weights', { id: 999, step: null, format: 'npz', dtype: 'float64' })).toMatchObject({
      code: 'no-such-run',
    });
    const e = await wb.fail('export:weights', { id: run.id, step: 7, format: 'npz', dtype: 'float64' });
    expect(e).toEqual({ code: 'no-snapshot', message: `run ${run.id} has no snapshot at step 7; it has 0, 10, 20, 30` });
    expect(await wb.fail('export:weights', { id: run.id, step: null, format: 'hdf5', dtype: 'float64' })).toMatchObject({
      code: 'invalid-argument',
    });
    expect(await wb.fail('export:metrics', { id: run.id, format: 'xlsx' })).toMatchObject({
      code: 'invalid-argument',
      message: expect.stringMatching(/^export:metrics: format: /),
    });
  });
});

describe('metrics export', () => {
  it('CSV: a header and one row per step, validation loss at the evaluated steps', async () => {
    const file = (await wb.call('export:metrics', { id: run.id, format: 'csv' })) as ExportFile;
    const [header, ...rows] = Buffer.from(file.data).toString('utf8').trimEnd().split('\n');
    const cols = header.split(',');
    expect(cols.slice(0, 3)).toEqual(['step', 'loss', 'lr']);
    expect(cols).toContain('gradNorm.b');
    expect(cols.at(-1)).toBe('validationLoss');
    const steps = wb.store.readSteps(run.id, 0, 100);
    expect(rows).toHaveLength(steps.length);
    const at = (step: number) => rows[steps.findIndex((s) => s.step === step)].split(',');
    expect(Number(at(10)[cols.indexOf('loss')])).toBe(steps.find((s) => s.step === 10)!.loss);
    expect(Number(at(10).at(-1))).toBe(wb.store.evalAt(run.id, 10)!.validationLoss);
    expect(at(11).at(-1)).toBe('');
  });

  it('JSON lines: one StepMetrics per line', async () => {
    const file = (await wb.call('export:metrics', { id: run.id, format: 'jsonl' })) as ExportFile;
    const lines = Buffer.from(file.data)
      .toString('utf8')
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l));
    const steps = wb.store.readSteps(run.id, 0, 100);
    expect(lines).toHaveLength(steps.length);
    expect(lines[0]).toMatchObject({ step: steps[0].step, loss: steps[0].loss, gradNorm: steps[0].gradNorm });
    expect(file.mime).toBe('application/jsonl');
  });
});
