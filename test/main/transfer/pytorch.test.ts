// The PyTorch export loaded by PyTorch itself (Debian's python3-torch): the
// module the file's metadata states is built from that very text, takes the
// tensors with load_state_dict(strict=True), and run in float64 on the
// engine's validation sequences gives the engine's outputs y^t and states
// s^t to 1e-12, for tanh and relu, with and without biases. Skipped, with
// the reason, where torch cannot be imported.

import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Activation, ExportFile } from '../../../common/contract';
import { decodeSafetensors } from '../../../main/transfer/safetensors';
import { newBatch, putSequence } from '../../../native-worker/engine/batch';
import { ForwardPass } from '../../../native-worker/engine/forward';
import { Trainer } from '../../../native-worker/trainer';
import { bench, smallConfig, trainedRun, type Bench } from './fixtures';

const python = ['python3', '/usr/bin/python3'].find((py) => spawnSync(py, ['-c', 'import torch'], { stdio: 'ignore' }).status === 0);

// argv[1]: JSON [[the export, the input's raw float64 bytes, T, batch, m], …] (torch loads once for all).
// Prints, per case, y and s as hex of their float64 bytes.
const RUN = `
import json, struct, sys, numpy as np, torch
def run(path, xpath, T, B, m):
  raw = open(path, 'rb').read()
  n = struct.unpack('<Q', raw[:8])[0]
  header = json.loads(raw[8:8 + n])
  meta = header.pop('__metadata__')
  data = raw[8 + n:]
  codes = {'F64': '<f8', 'F32': '<f4'}
  tensors = {k: np.frombuffer(data[v['data_offsets'][0]:v['data_offsets'][1]], dtype=codes[v['dtype']]).reshape(v['shape']).astype('<f8') for k, v in header.items()}
  ns = {'torch': torch, 'tensors': tensors}
  exec(meta['module'], ns)
  exec(meta['load'], ns)
  net = ns['net']
  x = torch.from_numpy(np.fromfile(xpath, dtype='<f8').reshape(T, B, m))
  with torch.no_grad():
    y, s = net(x)
  return {'y': y.numpy().astype('<f8').tobytes().hex(), 's': s.numpy().astype('<f8').tobytes().hex()}
print(json.dumps([run(*case) for case in json.loads(sys.argv[1])]))
`;

const fromHex = (hex: string) => new Float64Array(new Uint8Array(Buffer.from(hex, 'hex')).buffer);

interface Case {
  activation: Activation;
  biases: boolean;
  /** The engine's outputs and states, [T, batch, n] and [T, batch, d]. */
  y: Float64Array;
  s: Float64Array;
  args: [string, string, number, number, number];
}

let wb: Bench;
const cases: Case[] = [];
const torchOut: { y: string; s: string }[] = [];
beforeAll(async () => {
  wb = bench();
  if (python === undefined) return;
  for (const activation of ['tanh', 'relu'] as const) for (const biases of [false, true]) cases.push(await prepare(activation, biases));
  const r = spawnSync(python, ['-c', RUN, JSON.stringify(cases.map((c) => c.args))], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${python} failed: ${r.stderr}`);
  torchOut.push(...(JSON.parse(r.stdout) as { y: string; s: string }[]));
});
afterAll(() => wb.dispose());

describe.skipIf(python === undefined)(
  'PyTorch export, run by torch.nn.RNN (skipped when torch cannot be imported: apt-get install python3-torch)',
  () => {
    for (const [i, [activation, biases]] of (
      [
        ['tanh', false],
        ['tanh', true],
        ['relu', false],
        ['relu', true],
      ] as const
    ).entries()) {
      it(`${activation}, ${biases ? 'with' : 'without'} biases: load_state_dict(strict=True), outputs equal the engine's to 1e-12`, () => {
        const c = cases[i];
        expect([c.activation, c.biases]).toEqual([activation, biases]);
        const worst = (a: Float64Array, b: Float64Array) => {
          expect(a.length).toBe(b.length);
          return a.reduce((w, v, k) => Math.max(w, Math.abs(v - b[k])), 0);
        };
        expect(worst(fromHex(torchOut[i].y), c.y)).toBeLessThanOrEqual(1e-12);
        expect(worst(fromHex(torchOut[i].s), c.s)).toBeLessThanOrEqual(1e-12);
      });
    }
  },
);

/** Trains a run, exports it for PyTorch and runs the engine's forward pass on its validation sequences. */
async function prepare(activation: Activation, biases: boolean): Promise<Case> {
  const config = smallConfig({ model: { hidden: 6, activation, hiddenBias: biases, outputBias: biases } });
  const run = trainedRun(wb, config);
  const file = (await wb.call('export:weights', { id: run.id, step: null, format: 'pytorch', dtype: 'float64' })) as ExportFile;
  expect(file.fileName).toMatch(/-pytorch\.safetensors$/);
  expect([...decodeSafetensors(file.data, 'f').arrays.keys()]).toEqual([
    'rnn.weight_ih_l0',
    'rnn.weight_hh_l0',
    'rnn.bias_ih_l0',
    'rnn.bias_hh_l0',
    'readout.weight',
    'readout.bias',
  ]);
  const trainer = new Trainer(run.config, wb.store.latestCheckpoint(run.id));
  const { task, layout, params } = trainer;
  const vals = task.validation;
  const batch = newBatch(task.T, vals.length, task.m, task.n, task.masked);
  vals.forEach((s, b) => putSequence(batch, b, s));
  const fwd = new ForwardPass(layout, activation, 'float64', task.T, vals.length);
  fwd.run(params, batch);
  const path = join(wb.dir, file.fileName);
  const xpath = join(wb.dir, `${file.fileName}.x.f64`);
  writeFileSync(path, file.data);
  writeFileSync(xpath, new Uint8Array(Float64Array.from(batch.x).buffer));
  return {
    activation,
    biases,
    y: Float64Array.from(fwd.Y),
    s: Float64Array.from(fwd.S.subarray(vals.length * layout.shape.d)),
    args: [path, xpath, task.T, vals.length, task.m],
  };
}

describe('PyTorch export refusals', () => {
  it('refuses an activation torch.nn.RNN does not have, saying which it has', async () => {
    const run = trainedRun(wb, smallConfig({ model: { hidden: 3, activation: 'sigmoid' } }));
    expect(await wb.fail('export:weights', { id: run.id, step: null, format: 'pytorch', dtype: 'float64' })).toEqual({
      code: 'unsupported',
      message: "the run's activation is sigmoid; torch.nn.RNN computes with tanh or relu only (export as onnx, safetensors or npz instead)",
    });
  });
});
