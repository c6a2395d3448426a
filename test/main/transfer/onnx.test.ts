// The exported ONNX graph run by a real reader (onnxruntime's CPU provider)
// on validation sequences must give the engine's outputs y^t and states s^t:
// to 1e-9 in float64, 1e-5 in float32, for every activation, with and
// without biases.

import ort from 'onnxruntime-node';
import { afterAll, describe, expect, it } from 'vitest';
import type { Activation, Dtype, ExportFile, RunConfig } from '../../../common/contract';
import { encodeOnnx } from '../../../main/transfer/onnx';
import { weightsToArrays } from '../../../main/transfer/tensors';
import { newBatch, putSequence } from '../../../native-worker/engine/batch';
import { ForwardPass } from '../../../native-worker/engine/forward';
import { Trainer } from '../../../native-worker/trainer';
import { bench, smallConfig, trainedRun } from './fixtures';

const TOLERANCE: Record<Dtype, number> = { float64: 1e-9, float32: 1e-5 };

/** The engine's forward pass over the task's validation sequences (B of them, side by side). */
function engineForward(trainer: Trainer) {
  const { config, task, layout, params } = trainer;
  const vals = task.validation;
  const batch = newBatch(task.T, vals.length, task.m, task.n, task.masked);
  vals.forEach((s, b) => putSequence(batch, b, s));
  const fwd = new ForwardPass(layout, config.model.activation, config.dtype, task.T, vals.length);
  fwd.run(params, batch);
  const { d } = layout.shape;
  return { x: batch.x, T: task.T, B: vals.length, m: task.m, y: fwd.Y, s: fwd.S.subarray(vals.length * d) };
}

async function runOnnx(model: Uint8Array, dtype: Dtype, x: Float64Array, dims: number[]) {
  const session = await ort.InferenceSession.create(model);
  const input =
    dtype === 'float64' ? new ort.Tensor('float64', Float64Array.from(x), dims) : new ort.Tensor('float32', Float32Array.from(x), dims);
  const out = await session.run({ x: input });
  await session.release();
  return { y: out.y, s: out.s };
}

function maxDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]));
  return worst;
}

async function check(config: RunConfig): Promise<void> {
  const trainer = new Trainer(config);
  for (let k = 0; k < 5; k++) trainer.runStep(); // trained weights (and biases away from 0)
  const meta = { config, step: trainer.step, runName: 'probe', engineVersion: '0.1.0', appVersion: 'test' };
  const model = encodeOnnx(weightsToArrays(trainer.checkpoint().weights, config.dtype), meta, config.dtype);
  const e = engineForward(trainer);
  const out = await runOnnx(model, config.dtype, e.x, [e.T, e.B, e.m]);
  expect(out.y.dims).toEqual([e.T, e.B, trainer.task.n]);
  expect(out.s.dims).toEqual([e.T, e.B, config.model.hidden]);
  expect(out.y.type).toBe(config.dtype);
  expect(maxDiff(out.y.data as Float64Array, e.y)).toBeLessThanOrEqual(TOLERANCE[config.dtype]);
  expect(maxDiff(out.s.data as Float64Array, e.s)).toBeLessThanOrEqual(TOLERANCE[config.dtype]);
}

describe('ONNX export, run by onnxruntime', () => {
  for (const activation of ['tanh', 'relu', 'sigmoid', 'identity'] as Activation[]) {
    for (const dtype of ['float64', 'float32'] as Dtype[]) {
      it(`${activation}, ${dtype}, with biases b and c: y and s match the engine`, async () => {
        await check(
          smallConfig({ dtype, model: { hidden: 7, activation, hiddenBias: true, outputBias: true, init: 'orthogonal', gain: 1.1 } }),
        );
      });
    }
  }

  it('the model of MATH.md without biases, on a one-hot task with m ≠ n', async () => {
    await check(smallConfig({ task: { kind: 'copy', symbols: 3, length: 4, delay: 3, validationSequences: 3 }, model: { hidden: 9 } }));
  });

  const wb = bench();
  afterAll(() => wb.dispose());
  it('export:weights gives a model of the stored snapshot that onnxruntime runs', async () => {
    const run = trainedRun(wb, smallConfig());
    const file = (await wb.call('export:weights', { id: run.id, step: 20, format: 'onnx', dtype: 'float64' })) as ExportFile;
    expect(file.fileName).toMatch(/-step20\.onnx$/);
    const trainer = new Trainer(run.config, wb.store.checkpointAt(run.id, 20));
    const e = engineForward(trainer);
    const out = await runOnnx(file.data, 'float64', e.x, [e.T, e.B, e.m]);
    expect(maxDiff(out.y.data as Float64Array, e.y)).toBeLessThanOrEqual(1e-9);
    // One sequence alone gives the same outputs as in the batch: the zero initial state follows the batch size.
    const one = await runOnnx(
      file.data,
      'float64',
      e.x.filter((_, i) => Math.floor(i / e.m) % e.B === 0),
      [e.T, 1, e.m],
    );
    const n = trainer.task.n;
    const firstOfBatch = Array.from(e.y).filter((_, i) => Math.floor(i / n) % e.B === 0);
    expect(maxDiff(one.y.data as Float64Array, firstOfBatch)).toBeLessThanOrEqual(1e-9);
  });
});
