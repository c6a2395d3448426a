// Interop with independent readers and writers in Python: numpy.load reads
// the .npz and .npy exports, numpy.loadtxt the CSV, a from-the-spec
// safetensors reader (json + numpy.frombuffer) the safetensors export, all
// giving the engine's weights bit for bit; and .npz files numpy writes
// (savez, savez_compressed, float32, Fortran order) import exactly.

import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Checkpoint, ExportFile, RunRecord } from '../../../common/contract';
import { readZip } from '../../../main/transfer/zip';
import { bench, bits, smallConfig, trainedRun, type Bench } from './fixtures';

/** The first Python with numpy: the one on PATH, else Debian's (where apt's python3-numpy goes). */
const pythonWithNumpy = ['python3', '/usr/bin/python3'].find(
  (py) => spawnSync(py, ['-c', 'import numpy'], { stdio: 'ignore' }).status === 0,
);
const hasNumpy = pythonWithNumpy !== undefined;

/** Runs a Python script with the given arguments and parses the JSON it prints. */
function python(
  script: string,
  ...args: string[]
): Record<string, { shape: number[]; dtype: string; hex: string }> & Record<string, unknown> {
  const r = spawnSync(pythonWithNumpy!, ['-c', script, ...args], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${pythonWithNumpy} failed: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

// Prints {name: {shape, dtype, hex of the C-order little-endian float64 bytes}} for arrays it loads.
const DESCRIBE = `
import json, sys, numpy as np
def describe(a):
    a = np.asarray(a)
    return {'shape': list(a.shape), 'dtype': a.dtype.str, 'hex': np.ascontiguousarray(a, dtype='<f8').tobytes().hex()}
`;

let wb: Bench;
let run: RunRecord;
let snap: Checkpoint;
const exp = (format: string, dtype = 'float64') =>
  wb.call('export:weights', { id: run.id, step: null, format, dtype }) as Promise<ExportFile>;
const save = (f: ExportFile) => {
  const path = join(wb.dir, f.fileName);
  writeFileSync(path, f.data);
  return path;
};

describe.skipIf(!hasNumpy)(
  'numpy and other independent readers (skipped when python3-numpy is not installed: apt-get install python3-numpy)',
  () => {
    beforeAll(() => {
      wb = bench();
      run = trainedRun(wb, smallConfig({ model: { hidden: 6, hiddenBias: true, outputBias: true } }));
      snap = wb.store.latestCheckpoint(run.id)!;
    });
    afterAll(() => wb.dispose());

    it('numpy.load reads the .npz: the keys U W V b c, shapes, float64 values bit for bit', async () => {
      const out = python(
        `${DESCRIBE}
f = np.load(sys.argv[1])
print(json.dumps({k: describe(f[k]) for k in f.files}))`,
        save(await exp('npz')),
      );
      expect(Object.keys(out)).toEqual(['U', 'W', 'V', 'b', 'c']);
      for (const [name, m] of Object.entries(snap.weights)) {
        expect(out[name].shape).toEqual(name === 'b' || name === 'c' ? [m.rows] : [m.rows, m.cols]);
        expect(out[name].dtype).toBe('<f8');
        expect(out[name].hex).toBe(bits(m.data));
      }
    });

    it('numpy.load reads the float32 .npz as float32, equal to the weights rounded to float32', async () => {
      const out = python(
        `${DESCRIBE}
f = np.load(sys.argv[1])
print(json.dumps({k: describe(f[k]) for k in f.files}))`,
        save(await exp('npz', 'float32')),
      );
      for (const [name, m] of Object.entries(snap.weights)) {
        expect(out[name].dtype).toBe('<f4');
        expect(out[name].hex).toBe(bits(Array.from(m.data, Math.fround)));
      }
    });

    it('numpy.load reads each .npy, and numpy.loadtxt each CSV, exactly', async () => {
      for (const format of ['npy', 'csv']) {
        const f = await exp(format);
        const dir = join(wb.dir, format);
        mkdirSync(dir, { recursive: true });
        for (const [name, data] of readZip(f.data, f.fileName)) writeFileSync(join(dir, name), data);
        const out = python(
          `${DESCRIBE}
import os
load = (lambda p: np.load(p)) if sys.argv[2] == 'npy' else (lambda p: np.loadtxt(p, delimiter=',', ndmin=2))
print(json.dumps({n.split('.')[0]: describe(load(os.path.join(sys.argv[1], n))) for n in sorted(os.listdir(sys.argv[1]))}))`,
          dir,
          format,
        );
        for (const [name, m] of Object.entries(snap.weights)) expect(out[name].hex, `${format} ${name}`).toBe(bits(m.data));
      }
    });

    it('a safetensors reader written from the spec reads the tensors and the config in the metadata', async () => {
      const out = python(
        `${DESCRIBE}
import struct
raw = open(sys.argv[1], 'rb').read()
(n,) = struct.unpack('<Q', raw[:8])
header = json.loads(raw[8:8 + n])
data = raw[8 + n:]
meta = header.pop('__metadata__')
kinds = {'F64': '<f8', 'F32': '<f4'}
res = {k: describe(np.frombuffer(data[v['data_offsets'][0]:v['data_offsets'][1]], dtype=kinds[v['dtype']]).reshape(v['shape'])) for k, v in header.items()}
res['meta'] = {'seed': json.loads(meta['config'])['seed'], 'step': meta['step'], 'hidden': json.loads(meta['config'])['model']['hidden']}
print(json.dumps(res))`,
        save(await exp('safetensors')),
      );
      for (const [name, m] of Object.entries(snap.weights)) expect(out[name].hex).toBe(bits(m.data));
      expect(out.meta).toEqual({ seed: 7, step: String(snap.step), hidden: 6 });
    });

    it('imports .npz files numpy writes: savez, savez_compressed, float32, Fortran order', async () => {
      const dir = join(wb.dir, 'from-numpy');
      mkdirSync(dir, { recursive: true });
      const made = python(
        `${DESCRIBE}
import os
rng = np.random.default_rng(3)
w = {'U': rng.normal(size=(6, 2)), 'W': np.asfortranarray(rng.normal(size=(6, 6))), 'V': rng.normal(size=(2, 6)), 'b': rng.normal(size=6), 'c': rng.normal(size=(2, 1))}
np.savez(os.path.join(sys.argv[1], 'plain.npz'), **w)
np.savez_compressed(os.path.join(sys.argv[1], 'small.npz'), **{k: v.astype('<f4') for k, v in w.items()})
print(json.dumps({k: describe(v) for k, v in w.items()}))`,
        dir,
      );
      for (const [file, round32] of [
        ['plain.npz', false],
        ['small.npz', true],
      ] as const) {
        const data = readFileSync(join(dir, file));
        const imported = (await wb.call('import:weights', {
          fileName: file,
          data,
          config: run.config,
          name: null,
          start: false,
        })) as RunRecord;
        const start = wb.store.latestCheckpoint(imported.id)!;
        for (const name of ['U', 'W', 'V', 'b', 'c'] as const) {
          const want = new Float64Array(Uint8Array.from(Buffer.from(made[name].hex, 'hex')).buffer);
          expect(bits(start.weights[name]!.data), `${file} ${name}`).toBe(bits(round32 ? Array.from(want, Math.fround) : want));
        }
      }
    });
  },
);
