// A whole run exported as one archive and imported into another database
// (another machine's workbench): same config, metrics, evals, gradient
// checks and snapshots, bit for bit; a malformed archive changes nothing.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExportFile, RunRecord } from '../../../common/contract';
import { TransferError } from '../../../main/transfer/errors';
import { encodeNpy } from '../../../main/transfer/npy';
import { readZip, writeZip } from '../../../main/transfer/zip';
import { importArchive } from '../../../main/transfer/archive-import';
import { bench, bits, fingerprint, smallConfig, trainedRun, weightBits, type Bench } from './fixtures';

let here: Bench;
let there: Bench;
let run: RunRecord;
let archive: ExportFile;
beforeAll(async () => {
  here = bench();
  there = bench();
  run = trainedRun(
    here,
    smallConfig({ method: { kind: 'rtrl-online' }, training: { steps: 25, evalEvery: 5, snapshotEvery: 10, batchSize: 1 } }),
    'online run',
  );
  here.store.saveGradCheck(run.id, {
    rtrlVsBptt: { U: 1e-12, W: Number.NaN },
    rtrlVsFiniteDiff: { U: 2e-9 },
    bpttVsFiniteDiff: { U: Infinity },
    checked: { U: 10 },
    worst: Number.NaN,
    step: 20,
  });
  archive = (await here.call('export:archive', { id: run.id })) as ExportFile;
});
afterAll(async () => {
  await here.dispose();
  await there.dispose();
});

const entries = () => [...readZip(archive.data, archive.fileName)].map(([name, data]) => ({ name, data }));
const replaced = (name: string, data: Uint8Array | null) =>
  writeZip(entries().flatMap((e) => (e.name !== name ? [e] : data === null ? [] : [{ name, data }])));
const text = (s: string) => Buffer.from(s, 'utf8');
const manifest = () => JSON.parse(Buffer.from(readZip(archive.data, 'a').get('manifest.json')!).toString('utf8'));

async function refused(data: Uint8Array, fileName = 'run.rnnrun') {
  const before = fingerprint(there);
  const e = await there.fail('import:archive', { fileName, data });
  expect(fingerprint(there)).toEqual(before);
  return e;
}

describe('run archive', () => {
  it('recreates the run on another workbench, everything bit for bit', async () => {
    expect(archive.fileName).toBe(`online-run-run${run.id}.rnnrun`);
    const copy = (await there.call('import:archive', { fileName: archive.fileName, data: archive.data })) as RunRecord;
    expect(copy).toMatchObject({
      name: 'online run',
      status: 'completed',
      tags: ['t1'],
      seed: 7,
      lastStep: run.lastStep,
      bestValidationLoss: run.bestValidationLoss,
      engineVersion: '0.1.0',
      appVersion: 'test',
    });
    expect(copy.notes).toMatch(/^a note\n\nImported from online-run-run\d+\.rnnrun/);
    expect(copy.config).toEqual(run.config);
    const [a, b] = [here.store, there.store];
    expect(b.readSteps(copy.id, 0, 1000)).toEqual(a.readSteps(run.id, 0, 1000));
    expect(b.listEvalSteps(copy.id)).toEqual(a.listEvalSteps(run.id));
    for (const step of a.listEvalSteps(run.id)) expect(b.evalAt(copy.id, step)).toEqual(a.evalAt(run.id, step));
    expect(b.listSnapshots(copy.id).map((s) => s.step)).toEqual([0, 10, 20, 25]);
    for (const { step } of a.listSnapshots(run.id)) {
      const [x, y] = [a.checkpointAt(run.id, step)!, b.checkpointAt(copy.id, step)!];
      expect(weightBits(y)).toEqual(weightBits(x));
      expect(y.optimizer.buffers.map(bits)).toEqual(x.optimizer.buffers.map(bits));
      expect([y.optimizer.t, y.baseLr, y.rng]).toEqual([x.optimizer.t, x.baseLr, x.rng]);
      expect(bits(y.carry!)).toBe(bits(x.carry!)); // online RTRL's carried state
    }
    const [g] = b.listGradChecks(copy.id);
    expect(g).toMatchObject({ rtrlVsBptt: { U: 1e-12, W: Number.NaN }, bpttVsFiniteDiff: { U: Infinity }, step: 20 });
    expect(g.worst).toBeNaN();
  });

  it('a run exported while training comes in stopped, saying so', async () => {
    here.store.updateRun(run.id, { status: 'running' });
    const live = (await here.call('export:archive', { id: run.id })) as ExportFile;
    here.store.updateRun(run.id, { status: 'completed' });
    const copy = (await there.call('import:archive', { fileName: 'live.rnnrun', data: live.data })) as RunRecord;
    expect(copy.status).toBe('stopped');
    expect(copy.endMessage).toBe('running when it was exported; imported as stopped');
  });

  it('refuses an archive that is not one, naming what is missing or wrong', async () => {
    expect(await refused(text('not a zip'))).toMatchObject({
      code: 'bad-file',
      message: 'run.rnnrun: not a zip archive (it does not start with "PK\\x03\\x04")',
    });
    expect(await refused(archive.data.subarray(0, archive.data.length - 100))).toMatchObject({ code: 'bad-file' });
    expect(await refused(replaced('manifest.json', null))).toEqual({
      code: 'bad-file',
      message: 'run.rnnrun: not a run archive (it has no manifest.json)',
    });
    const m = manifest();
    expect(await refused(replaced('manifest.json', text(JSON.stringify({ ...m, formatVersion: 2 }))))).toMatchObject({
      code: 'unsupported',
      message: expect.stringMatching(/format version 2; this app reads version 1/),
    });
    expect(await refused(replaced('manifest.json', text(JSON.stringify({ ...m, run: { ...m.run, status: 'flying' } }))))).toMatchObject({
      code: 'bad-file',
      message: expect.stringMatching(/^run\.rnnrun: manifest\.json: run\.status: /),
    });
    expect(
      await refused(
        replaced('manifest.json', text(JSON.stringify({ ...m, config: { ...m.config, model: { ...m.config.model, hidden: 0 } } }))),
      ),
    ).toMatchObject({ code: 'invalid-config' });
  });

  it('refuses damaged metrics and snapshots, naming the file, line and field', async () => {
    const steps = Buffer.from(readZip(archive.data, 'a').get('steps.jsonl')!).toString('utf8').split('\n');
    steps[3] = steps[3].replace(/"loss":[^,]+/, '"loss":"lots"');
    expect(await refused(replaced('steps.jsonl', text(steps.join('\n'))))).toMatchObject({
      code: 'bad-file',
      message: expect.stringMatching(/^run\.rnnrun: steps\.jsonl line 4: loss: /),
    });
    const swapped = Buffer.from(readZip(archive.data, 'a').get('steps.jsonl')!).toString('utf8').split('\n');
    [swapped[1], swapped[2]] = [swapped[2], swapped[1]];
    expect(await refused(replaced('steps.jsonl', text(swapped.join('\n'))))).toMatchObject({
      message: 'run.rnnrun: steps.jsonl line 3: step 2 does not follow step 3',
    });
    expect(await refused(replaced('snapshots/10/W.npy', null))).toEqual({
      code: 'bad-file',
      message: 'run.rnnrun: snapshots/10/: U.npy, W.npy and V.npy are all required',
    });
    const evals = Buffer.from(readZip(archive.data, 'a').get('evals.jsonl')!).toString('utf8').split('\n');
    evals[0] = evals[0].replace('"T":', '"T":1000,"_T":');
    expect(await refused(replaced('evals.jsonl', text(evals.join('\n'))))).toMatchObject({
      code: 'bad-file',
      message: expect.stringMatching(/^run\.rnnrun: evals\.jsonl line 1: probe: /),
    });
    const probe = Buffer.from(readZip(archive.data, 'a').get('evals.jsonl')!).toString('utf8').split('\n');
    probe[1] = probe[1].replace('"T":12', '"T":13');
    expect(await refused(replaced('evals.jsonl', text(probe.join('\n'))))).toEqual({
      code: 'bad-file',
      message: 'run.rnnrun: evals.jsonl line 2: probe.hidden has 60 values, expected T×d = 65',
    });
  });

  it("refuses fields the store would keep but nothing could use: a snapshot's baseLr, the creation time, a probe of another model", async () => {
    for (const baseLr of [-5, 0, 1e300]) {
      const meta = JSON.parse(Buffer.from(readZip(archive.data, 'a').get('snapshots/10/meta.json')!).toString('utf8'));
      expect(await refused(replaced('snapshots/10/meta.json', text(JSON.stringify({ ...meta, baseLr }))))).toMatchObject({
        code: 'bad-file',
        message: expect.stringMatching(/^run\.rnnrun: snapshots\/10\/meta\.json: baseLr: /),
      });
    }
    const m = manifest();
    expect(
      await refused(replaced('manifest.json', text(JSON.stringify({ ...m, run: { ...m.run, createdAt: Number.MAX_SAFE_INTEGER } })))),
    ).toEqual({
      code: 'bad-file',
      message: 'run.rnnrun: manifest.json: run.createdAt: must be a time a date can hold (ms since 1970, at most 8.64e15)',
    });
    const evals = Buffer.from(readZip(archive.data, 'a').get('evals.jsonl')!).toString('utf8').split('\n');
    const e = JSON.parse(evals[0]);
    evals[0] = JSON.stringify({ ...e, probe: { ...e.probe, d: 1, hidden: e.probe.hidden.slice(0, e.probe.T) } });
    expect(await refused(replaced('evals.jsonl', text(evals.join('\n'))))).toEqual({
      code: 'bad-file',
      message: "run.rnnrun: evals.jsonl line 1: probe of d = 1, n = 2; the config's model has d = 5, n = 2",
    });
  });

  it('refuses snapshots that do not fit the model, and non-finite weights, moments or carry', async () => {
    const other = bench();
    try {
      const small = trainedRun(other, smallConfig({ model: { hidden: 3 }, training: { steps: 10, snapshotEvery: 10, evalEvery: 10 } }));
      const w = readZip(
        ((await other.call('export:weights', { id: small.id, step: 10, format: 'npy', dtype: 'float64' })) as ExportFile).data,
        'w',
      ).get('W.npy')!;
      expect(await refused(replaced('snapshots/10/W.npy', w))).toEqual({
        code: 'shape-mismatch',
        message: 'run.rnnrun: snapshots/10/: weights: W is 3×3 (9 values); the model needs 5×5',
      });
    } finally {
      await other.dispose();
    }
    const u = Buffer.from(readZip(archive.data, 'a').get('snapshots/20/U.npy')!);
    u.writeDoubleLE(Number.NaN, u.length - 8);
    expect(await refused(replaced('snapshots/20/U.npy', u))).toEqual({
      code: 'non-finite',
      message: 'run.rnnrun: snapshots/20/U.npy: value 9 is NaN; a snapshot must be finite',
    });
    const carry = Buffer.from(readZip(archive.data, 'a').get('snapshots/10/carry.npy')!);
    carry.writeDoubleLE(Number.POSITIVE_INFINITY, carry.length - 8);
    expect(await refused(replaced('snapshots/10/carry.npy', carry))).toMatchObject({
      code: 'non-finite',
      message: expect.stringMatching(/^run\.rnnrun: snapshots\/10\/carry\.npy: value \d+ is Infinity; a snapshot must be finite$/),
    });
    const moments = Buffer.from(readZip(archive.data, 'a').get('snapshots/20/optimizer-1.npy')!);
    moments.writeDoubleLE(Number.NaN, moments.length - 16);
    expect(await refused(replaced('snapshots/20/optimizer-1.npy', moments))).toMatchObject({
      code: 'non-finite',
      message: expect.stringMatching(/snapshots\/20\/optimizer-1\.npy: value \d+ is NaN/),
    });
  });

  it('carries the spectral estimate state of a larger W, and imports an archive without it', async () => {
    const other = bench();
    try {
      const big = trainedRun(other, smallConfig({ model: { hidden: 24 }, training: { steps: 10, snapshotEvery: 10, evalEvery: 10 } }));
      const file = (await other.call('export:archive', { id: big.id })) as ExportFile;
      const cp = other.store.checkpointAt(big.id, 10)!;
      expect(cp.spectral?.start).toHaveLength(24);
      const copy = (await there.call('import:archive', { fileName: 'big.rnnrun', data: file.data })) as RunRecord;
      const got = there.store.checkpointAt(copy.id, 10)!;
      expect([bits(got.spectral!.rng), bits(got.spectral!.start!)]).toEqual([bits(cp.spectral!.rng), bits(cp.spectral!.start!)]);

      const files = readZip(file.data, 'big');
      const older = [...files].flatMap(([name, data]) => {
        if (name.includes('/spectral-')) return [];
        if (!name.endsWith('meta.json')) return [{ name, data }];
        const { spectral: _dropped, ...meta } = JSON.parse(Buffer.from(data).toString('utf8'));
        return [{ name, data: text(JSON.stringify(meta)) }];
      });
      const old = (await there.call('import:archive', { fileName: 'older.rnnrun', data: writeZip(older) })) as RunRecord;
      expect(there.store.checkpointAt(old.id, 10)!.spectral).toBeNull();
      const short = encodeNpy([5], new Float64Array(5), 'float64');
      const withShort = writeZip(
        [...files].map(([name, data]) => ({ name, data: name === 'snapshots/10/spectral-start.npy' ? short : data })),
      );
      expect(await refused(withShort)).toEqual({
        code: 'shape-mismatch',
        message: "run.rnnrun: snapshots/10/spectral-start.npy: 5 values, the model's W is 24×24",
      });
    } finally {
      await other.dispose();
    }
  });

  it('refuses a zip bomb by the limits, before inflating it', () => {
    const before = fingerprint(there);
    const limits = { maxEntries: 1000, maxEntryBytes: 1 << 20, maxTotalBytes: 1 << 20 };
    const bomb = writeZip([...entries(), { name: 'padding.bin', data: new Uint8Array(4 << 20), deflate: true }]);
    expect(bomb.length - writeZip(entries()).length).toBeLessThan(10_000); // 4 MiB of zeros in a few KiB
    expect(() =>
      importArchive({ store: there.store, manager: there.manager, appVersion: 'test' }, { fileName: 'bomb.rnnrun', data: bomb }, limits),
    ).toThrow(new TransferError('too-large', 'bomb.rnnrun: entry padding.bin declares 4194304 bytes, over the limit of 1048576'));
    expect(fingerprint(there)).toEqual(before);
  });
});
