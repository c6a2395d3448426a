// Malformed weight files: each gets an error naming the file and what is
// wrong, and the database is left exactly as it was.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExportFile, MatrixName, RunRecord } from '../../../common/contract';
import type { NdArray } from '../../../main/transfer/npy';
import { encodeNpz } from '../../../main/transfer/npz';
import { bench, fingerprint, smallConfig, trainedRun, type Bench } from './fixtures';

let wb: Bench;
let run: RunRecord;
let json: ExportFile;
let npz: ExportFile;
let st: ExportFile;
beforeAll(async () => {
  wb = bench();
  run = trainedRun(wb, smallConfig());
  const exp = (format: string) => wb.call('export:weights', { id: run.id, step: null, format, dtype: 'float64' }) as Promise<ExportFile>;
  [json, npz, st] = await Promise.all([exp('json'), exp('npz'), exp('safetensors')]);
});
afterAll(() => wb.dispose());

/** Imports bytes that must be refused; returns the error after checking that nothing in the database moved. */
async function refused(fileName: string, data: Uint8Array, config: unknown = null) {
  const before = fingerprint(wb);
  const e = await wb.fail('import:weights', { fileName, data, config, name: null, start: false });
  expect(fingerprint(wb)).toEqual(before);
  return e;
}

const text = (s: string) => Buffer.from(s, 'utf8');
const jsonText = () => Buffer.from(json.data).toString('utf8');
const npzOf = (entries: [MatrixName, NdArray][]) => encodeNpz(new Map(entries));
const mat = (rows: number, cols: number, fill = 0.5): NdArray => ({
  shape: [rows, cols],
  data: new Float64Array(rows * cols).fill(fill),
  dtype: 'float64',
});

describe('import:weights refuses malformed files and changes nothing', () => {
  it('truncated files, in every format', async () => {
    expect(await refused('w.json', json.data.subarray(0, json.data.length / 2))).toMatchObject({
      code: 'bad-file',
      message: expect.stringMatching(/^w\.json: not valid JSON/),
    });
    expect(await refused('w.npz', npz.data.subarray(0, npz.data.length - 40), run.config)).toMatchObject({
      code: 'bad-file',
      message: expect.stringMatching(/^w\.npz: truncated zip archive/),
    });
    expect(await refused('w.safetensors', st.data.subarray(0, st.data.length - 8))).toMatchObject({
      code: 'bad-file',
      message: expect.stringMatching(/^w\.safetensors: tensor "V": data_offsets .* \(truncated\?\)/),
    });
    expect(await refused('w.safetensors', st.data.subarray(0, 6))).toMatchObject({
      code: 'bad-file',
      message: 'w.safetensors: truncated safetensors file (6 bytes)',
    });
  });

  it('wrong magic: a file of no format we read', async () => {
    expect(await refused('w.npz', text('GIF89a....'))).toMatchObject({
      code: 'bad-file',
      message: expect.stringMatching(/w\.npz: not a weights file this app reads \(JSON, \.npz, safetensors or ONNX\)/),
    });
    expect(await refused('w.npz', new Uint8Array(0))).toMatchObject({ message: 'w.npz: the file is empty' });
  });

  it('JSON nested 200,000 deep, refused before anything walks it', async () => {
    const deep = '['.repeat(200_000) + ']'.repeat(200_000);
    expect(await refused('deep.json', text(`{"matrices": {"U": {"shape": [1, 1], "data": ${deep}}}}`), run.config)).toEqual({
      code: 'bad-file',
      message: 'deep.json: JSON nested more than 64 levels deep (at character 106)',
    });
  });

  it("an .npz entry declaring more than the model's largest matrix, refused before it is inflated", async () => {
    const z = Buffer.from(npz.data);
    const dirAt = z.readUInt32LE(z.length - 6);
    z.writeUInt32LE(1 << 30, dirAt + 20); // the first entry (U.npy, stored) now declares 1 GiB
    z.writeUInt32LE(1 << 30, dirAt + 24);
    const e = await refused('big.npz', z, run.config);
    expect(e).toEqual({
      code: 'too-large',
      message: `big.npz: entry U.npy declares 1073741824 bytes, over the limit of ${8 * 25 + 12 + 65_536}`,
    });
    expect(await refused('big.npz', z)).toEqual({
      code: 'invalid-argument',
      message: "big.npz: a npz file carries no run config; give one (the model's shape must match the file)",
    });
  });

  it('wrong shapes against the config, naming the matrix and the model', async () => {
    const bigger = { ...run.config, model: { ...run.config.model, hidden: 6 } };
    const e = await refused('w.json', json.data, bigger);
    expect(e.code).toBe('shape-mismatch');
    expect(e.message).toMatch(
      /^w\.json: weights: U is 5×2 \(10 values\); the model needs 6×2 \(the config's model: m=2, d=6, n=2, no biases\)/,
    );
    const bad = npzOf([
      ['U', mat(5, 2)],
      ['W', mat(5, 5)],
      ['V', mat(2, 5)],
      ['b', mat(5, 1)],
    ]);
    expect(await refused('b.npz', bad, run.config)).toMatchObject({
      code: 'shape-mismatch',
      message: expect.stringMatching(/the model has no matrix "b"/),
    });
    expect(
      await refused(
        'm.npz',
        npzOf([
          ['U', mat(5, 2)],
          ['V', mat(2, 5)],
        ]),
        run.config,
      ),
    ).toMatchObject({ message: 'm.npz: matrix W is missing' });
    const extra = encodeNpz(
      new Map([
        ['U', mat(5, 2)],
        ['W', mat(5, 5)],
        ['V', mat(2, 5)],
        ['X' as MatrixName, mat(1, 1)],
      ]),
    );
    expect(await refused('x.npz', extra, run.config)).toMatchObject({
      message: 'x.npz: holds an array named "X"; weights are named U, W, V, b and c',
    });
  });

  it('NaN and infinite values, naming the entry', async () => {
    const nan = mat(5, 5);
    nan.data[7] = Number.NaN;
    expect(
      await refused(
        'n.npz',
        npzOf([
          ['U', mat(5, 2)],
          ['W', nan],
          ['V', mat(2, 5)],
        ]),
        run.config,
      ),
    ).toEqual({ code: 'non-finite', message: 'n.npz: W[1,2] is NaN; weights must be finite numbers' });
    const withNull = jsonText().replace(/"data": \[\n {8}\[[^,\]]+/, '"data": [\n        [null');
    expect(await refused('n.json', text(withNull))).toMatchObject({
      code: 'bad-file',
      message: 'n.json: matrices.U: value 0 is null, not a number',
    });
    const huge = jsonText().replace(/"data": \[\n {8}\[[^,\]]+/, '"data": [\n        [1e999');
    expect(await refused('i.json', text(huge))).toMatchObject({
      code: 'non-finite',
      message: 'i.json: U[0,0] is Infinity; weights must be finite numbers',
    });
  });

  it('values that overflow a float32 model', async () => {
    const big = jsonText().replace(/"data": \[\n {8}\[[^,\]]+/, '"data": [\n        [1e300');
    const f32 = { ...run.config, dtype: 'float32' };
    expect(await refused('o.json', text(big), f32)).toMatchObject({
      code: 'non-finite',
      message: 'o.json: U[0,0] = 1e+300 overflows float32',
    });
  });

  it('dtypes we do not support', async () => {
    const header = JSON.stringify({ U: { dtype: 'I64', shape: [5, 2], data_offsets: [0, 80] } });
    const len = Buffer.alloc(8);
    len.writeBigUInt64LE(BigInt(header.length));
    const e = await refused('i.safetensors', Buffer.concat([len, text(header), Buffer.alloc(80)]));
    expect(e).toEqual({
      code: 'unsupported',
      message: 'i.safetensors: tensor "U": dtype I64 is not supported; weights must be F64 or F32',
    });
    expect(await refused('one.npy', npz.data.subarray(30 + 5, 30 + 5 + 64))).toMatchObject({
      code: 'unsupported',
      message: expect.stringMatching(/a single \.npy array holds one matrix/),
    });
  });

  it('a huge header', async () => {
    const len = Buffer.alloc(8);
    len.writeBigUInt64LE(1n << 50n);
    expect(await refused('h.safetensors', Buffer.concat([len, text('{"U":')]))).toMatchObject({ code: 'too-large' });
  });

  it('a file with no config and none given', async () => {
    expect(await refused('w.npz', npz.data)).toEqual({
      code: 'invalid-argument',
      message: "w.npz: a npz file carries no run config; give one (the model's shape must match the file)",
    });
  });

  it('a bad config, named by field', async () => {
    expect(await refused('w.json', json.data, { model: { hidden: -3 } })).toMatchObject({
      code: 'invalid-config',
      message: expect.stringMatching(/model\.hidden/),
    });
  });

  it('arguments that are not a file', async () => {
    expect(await wb.fail('import:weights', { fileName: 'w.json', data: 'eyJ9', config: null, name: null, start: false })).toEqual({
      code: 'invalid-argument',
      message: "import:weights: data: must be the file's bytes (a Uint8Array)",
    });
  });
});
