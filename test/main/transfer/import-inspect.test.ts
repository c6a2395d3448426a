// import:inspect, the import dialog's first look at a weights file: its
// tensors, the model they imply (m, d, n, biases) and the config it carries;
// tensors that do not form one model are refused naming the tensor.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExportFile, RunRecord, WeightsFileInfo } from '../../../common/contract';
import { encodeNpz } from '../../../main/transfer/npz';
import { bench, smallConfig, trainedRun, type Bench } from './fixtures';

let wb: Bench;
let run: RunRecord;
beforeAll(() => {
  wb = bench();
  run = trainedRun(wb, smallConfig({ model: { hidden: 5, hiddenBias: true } }));
});
afterAll(() => wb.dispose());

const npz = (arrays: Record<string, number[]>) =>
  encodeNpz(
    new Map(
      Object.entries(arrays).map(([name, shape]) => [
        name as 'U',
        { shape, data: new Float64Array(shape.reduce((a, b) => a * b, 1)), dtype: 'float64' as const },
      ]),
    ),
  );

describe('import:inspect', () => {
  it('an .npz export: its tensors and the model they imply, no config', async () => {
    const file = (await wb.call('export:weights', { id: run.id, step: null, format: 'npz', dtype: 'float32' })) as ExportFile;
    const info = (await wb.call('import:inspect', { fileName: file.fileName, data: file.data })) as WeightsFileInfo;
    expect(info).toEqual({
      format: 'npz',
      tensors: [
        { name: 'U', shape: [5, 2], dtype: 'float32' },
        { name: 'W', shape: [5, 5], dtype: 'float32' },
        { name: 'V', shape: [2, 5], dtype: 'float32' },
        { name: 'b', shape: [5], dtype: 'float32' },
      ],
      model: { m: 2, d: 5, n: 2, hiddenBias: true, outputBias: false },
      config: null,
    });
  });

  it('an ONNX export carries its config', async () => {
    const file = (await wb.call('export:weights', { id: run.id, step: null, format: 'onnx', dtype: 'float64' })) as ExportFile;
    const info = (await wb.call('import:inspect', { fileName: file.fileName, data: file.data })) as WeightsFileInfo;
    expect(info.format).toBe('onnx');
    expect(info.config).toEqual(run.config);
  });

  it('tensors that do not form one model: the tensor named', async () => {
    const fail = (arrays: Record<string, number[]>) => wb.fail('import:inspect', { fileName: 'w.npz', data: npz(arrays) });
    expect(await fail({ U: [4, 1], W: [4, 3], V: [1, 4] })).toEqual({
      code: 'shape-mismatch',
      message: 'w.npz: W is 4×3, but U (4×1) gives d = 4, so W must be 4×4',
    });
    expect((await fail({ U: [4, 1], W: [4, 4], V: [1, 3] })).message).toBe(
      'w.npz: V is 1×3, but U (4×1) gives d = 4, so V must have 4 columns',
    );
    expect((await fail({ U: [4, 1], W: [4, 4], V: [1, 4], b: [3] })).message).toBe(
      'w.npz: b has 3 values, but U (4×1) gives d = 4, so b must have 4',
    );
    expect((await fail({ U: [4, 1], V: [1, 4] })).message).toBe('w.npz: matrix W is missing');
  });
});
