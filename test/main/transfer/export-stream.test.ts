// Exports of long runs stream: in constant memory (a child process with a
// 256 MB heap exports a run that needed far more when exports were built
// in memory), over the chunks of steps that exist (a run whose last step is
// 2^53 − 1 exports at once), and into a file that replaces the old one only
// when complete (a file-size limit hit halfway leaves the old file).

import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExportFile, RunRecord } from '../../../common/contract';
import { Store } from '../../../main/store/store';
import { fileSource, readDirectory, readEntry } from '../../../main/transfer/zip';
import { Trainer } from '../../../native-worker/trainer';
import { config, makeEval, makeSteps } from '../store/fixtures';
import { bench, type Bench } from './fixtures';

const STEPS = 400_000;
const runner = join(__dirname, '../../../bench/cli-run.ts');
let dir: string;
let db: string;
let longRun: number;

/** A CLI command in a child process under a 256 MB heap (bench/cli-run.ts), optionally under a file-size limit (KiB). */
function inChild(args: string[], fileLimitKb?: number) {
  const node = [process.execPath, '--max-old-space-size=256', '--import', 'tsx', runner, ...args].map((a) => `'${a}'`).join(' ');
  const r = spawnSync('bash', ['-c', fileLimitKb === undefined ? `exec ${node}` : `ulimit -f ${fileLimitKb}; exec ${node}`], {
    encoding: 'utf8',
  });
  return {
    status: r.status,
    stderr: r.stderr,
    output: r.status === 0 ? (JSON.parse(r.stdout.trim()) as { output: Record<string, unknown> }).output : null,
  };
}

const exportInChild = (run: number, format: string, out: string, fileLimitKb?: number) =>
  inChild(['export', String(run), '--format', format, '--out', out, '--db', db], fileLimitKb);

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'export-stream-'));
  db = join(dir, 'long.db');
  const store = Store.open(db);
  longRun = store.createRun({ name: 'long', config, appVersion: 'test' }).id;
  // An eval and a snapshot of the config's model (so the archive imports), repeated at later steps.
  const trainer = new Trainer(config);
  const [evaluation, snapshot] = [trainer.evaluate(), trainer.checkpoint()];
  for (let first = 1; first <= STEPS; first += 2_000) {
    const evals = first % 10_000 === 1 ? [{ ...evaluation, step: first }] : [];
    const checkpoints = first % 50_000 === 1 ? [{ ...snapshot, step: first }] : [];
    store.appendProgress(longRun, { steps: makeSteps(first, 2_000), evals, checkpoints });
  }
  store.close();
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe(`a ${STEPS}-step run exported by a process with a 256 MB heap`, () => {
  it('as metrics JSON lines: every step, one line each', () => {
    const out = join(dir, 'long.jsonl');
    const r = exportInChild(longRun, 'metrics-jsonl', out);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const text = readFileSync(out, 'utf8');
    const lines = text.trimEnd().split('\n');
    expect(lines.length).toBe(STEPS);
    expect(JSON.parse(lines[STEPS - 1])).toMatchObject({ step: STEPS });
    expect(r.output!.bytes).toBe(statSync(out).size);
  }, 120_000);

  it('as an archive whose steps.jsonl holds every step', () => {
    const out = join(dir, 'long.rnnrun');
    const r = exportInChild(longRun, 'archive', out);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const source = fileSource(out);
    try {
      const zip = readDirectory(source, 'long.rnnrun');
      expect([...zip.entries.keys()].filter((n) => n.endsWith('meta.json'))).toHaveLength(8);
      const steps = Buffer.from(readEntry(source, zip, zip.entries.get('steps.jsonl')!, 'long.rnnrun'));
      let lines = 0;
      for (let at = steps.indexOf(10); at >= 0; at = steps.indexOf(10, at + 1)) lines++;
      expect(lines).toBe(STEPS);
    } finally {
      source.close();
    }
    // Imported back from the file into another database, page by page, by a process with the same heap.
    const other = join(dir, 'other.db');
    const back = inChild(['import', out, '--db', other]);
    expect(back.stderr).toBe('');
    expect(back.output).toMatchObject({ name: 'long', lastStep: STEPS, status: 'stopped' });
    const copy = Store.open(other);
    const original = Store.open(db);
    try {
      expect(copy.readSteps(1, 123_000, 125_000)).toEqual(original.readSteps(longRun, 123_000, 125_000));
      expect(copy.listSnapshots(1).map((s) => s.step)).toEqual(original.listSnapshots(longRun).map((s) => s.step));
    } finally {
      copy.close();
      original.close();
    }
  }, 180_000);

  it('past a file-size limit: fails naming the file, and the old file is kept whole with nothing beside it', () => {
    const sub = join(dir, 'limited');
    rmSync(sub, { recursive: true, force: true });
    spawnSync('mkdir', [sub]);
    const out = join(sub, 'long.csv');
    writeFileSync(out, 'the old export\n');
    const r = exportInChild(longRun, 'metrics-csv', out, 1024);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(
      /^error: cannot write .*long\.csv: EFBIG: file too large, write \(after \d+ bytes; nothing was kept, and any old file is unchanged\)\n$/,
    );
    expect(readFileSync(out, 'utf8')).toBe('the old export\n');
    expect(readdirSync(sub)).toEqual(['long.csv']);
  }, 120_000);
});

describe('a run whose steps end at 2^53 − 1', () => {
  let wb: Bench;
  let run: RunRecord;
  const last = Number.MAX_SAFE_INTEGER;
  beforeAll(() => {
    wb = bench();
    run = wb.store.createRun({ name: 'far', config, appVersion: 'test' });
    wb.store.appendProgress(run.id, { steps: makeSteps(0, 3), evals: [makeEval(2, 0.5)], checkpoints: [] });
    wb.store.appendProgress(run.id, { steps: makeSteps(last - 1, 2), evals: [makeEval(last, 0.25)], checkpoints: [] });
  });
  afterAll(() => wb.dispose());

  it('exports its metrics and its archive, a page per stored chunk', async () => {
    const jsonl = (await wb.call('export:metrics', { id: run.id, format: 'jsonl' })) as ExportFile;
    const steps = Buffer.from(jsonl.data)
      .toString('utf8')
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as { step: number; validationLoss?: number });
    expect(steps.map((s) => s.step)).toEqual([0, 1, 2, last - 1, last]);
    expect(steps.map((s) => s.validationLoss)).toEqual([undefined, undefined, 0.5, undefined, 0.25]);
    const archive = (await wb.call('export:archive', { id: run.id })) as ExportFile;
    expect(archive.data.length).toBeGreaterThan(0);
    expect(existsSync(wb.databasePath)).toBe(true);
  });
});
