// The CLI as a user runs it: its output, its exit codes, and what a killed
// CLI process leaves in the database.

import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { cli } from '../../support/cli';
import { ACTIVATIONS, DTYPES, METHOD_KINDS, METRICS_FORMATS, OPTIMIZER_KINDS, TASK_KINDS, WEIGHT_FORMATS } from '../../../common/values';
import { Store } from '../../../main/store/store';
import { tempDatabase } from '../../support/workbench';

describe('rnn-workbench CLI', () => {
  it('trains, lists, shows, resumes and checks gradients', async () => {
    const db = tempDatabase();
    const t = await cli(
      'train',
      '--db',
      db,
      '--task',
      'adding',
      '--T',
      '12',
      '--hidden',
      '6',
      '--method',
      'bptt',
      '--steps',
      '40',
      '--name',
      'first',
    );
    expect(t.code).toBe(0);
    expect(t.out).toMatch(/run 1 "first"/);
    expect(t.out).toMatch(/run 1 completed at step 40; best validation loss \d.*; health healthy$/m);
    const l = await cli('list', '--db', db);
    expect(l.out).toMatch(/^id\s+name\s+status\s+health/m);
    expect(l.out).toMatch(/^1\s+first\s+completed\s+healthy\s+adding\s+bptt\s+40/m);
    expect((await cli('show', '1', '--db', db)).out).toMatch(/^ {2}health {6}healthy$/m);
    const s = await cli('show', '1', '--db', db, '--json');
    expect(JSON.parse(s.out)).toMatchObject({
      id: 1,
      status: 'completed',
      lastStep: 40,
      snapshots: [{ step: 0 }, { step: 40 }],
      health: { state: 'healthy', step: 40, reasons: [], remedy: null },
    });
    const r = await cli('resume', '1', '--steps', '60', '--db', db, '--json');
    expect(r.code).toBe(0);
    const lines = r.out
      .trim()
      .split('\n')
      .map((x) => JSON.parse(x));
    expect(lines.filter((x) => x.type === 'step').map((x) => x.step)).toEqual(Array.from({ length: 20 }, (_, i) => 41 + i));
    expect(lines.at(-1)).toMatchObject({ type: 'end', status: 'completed', step: 60 });
    const g = await cli('gradcheck', '1', '--db', db);
    expect(g.code).toBe(0);
    expect(g.out).toMatch(/worst \d\.\d+e-\d+\s*: ok/);
  });

  it("says its version, the engine's, and the kernels the engine computes with (and why not the native ones)", async () => {
    const v = await cli('--version');
    expect(v.code).toBe(0);
    expect(v.out).toMatch(/^rnn-workbench \d+\.\d+\.\d+\nengine \d+\.\d+\.\d+, (native|wasm-fma|wasm|ts) kernels/);
    if (!v.out.includes(', native kernels')) expect(v.out).toMatch(/the native ones are not used: ./);
  });

  it('names every allowed value of its config flags and export formats in --help', async () => {
    const help = (await cli('--help')).out;
    const flags: [string, readonly string[]][] = [
      ['--task', TASK_KINDS],
      ['--method', METHOD_KINDS],
      ['--activation', ACTIVATIONS],
      ['--optimizer', OPTIMIZER_KINDS],
      ['--dtype', DTYPES],
    ];
    for (const [flag, values] of flags) expect(help).toContain(`${flag} ${values.join('|')}`);
    expect((await cli('export', '--help')).out).toContain(
      `--format ${[...WEIGHT_FORMATS, ...METRICS_FORMATS.map((f) => `metrics-${f}`), 'archive'].join('|')}`,
    );
  });

  it('exits non-zero with a clear message for bad configs, flags and run ids', async () => {
    const db = tempDatabase();
    const cases: [string[], RegExp][] = [
      [['train', '--hidden', '0'], /model\.hidden: must be at least 1/],
      [['train', '--lr', 'fast'], /--lr: "fast" is not a number/],
      [['train', '--method', 'magic'], /method\.kind: must be one of rtrl, rtrl-online, bptt, tbptt/],
      [['train', '--config', '/nonexistent.json'], /--config: cannot read \/nonexistent\.json/],
      [['show', '42'], /run 42 does not exist/],
      [['show', 'abc'], /"abc" is not a run id/],
      [['frobnicate'], /unknown command "frobnicate"/],
    ];
    for (const [args, message] of cases) {
      const r = await cli(...args, '--db', db);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.err, args.join(' ')).toMatch(message);
    }
  });

  it('refuses a file that is not its database and leaves it untouched', async () => {
    const path = tempDatabase();
    writeFileSync(path, 'my thesis, chapter 3\n'.repeat(100));
    const before = readFileSync(path);
    const r = await cli('list', '--db', path);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/is not an RNN Workbench database/);
    expect(readFileSync(path).equals(before)).toBe(true);
  });

  it('SIGKILL of the CLI process mid-write: the database is sound, committed rows stay, the run resumes', async () => {
    const db = tempDatabase();
    const bin = fileURLToPath(new URL('../../../bin/rnn-workbench.js', import.meta.url));
    const child = spawn(
      process.execPath,
      [bin, 'train', '--db', db, '--steps', '100000', '--hidden', '8', '--T', '20', '--snapshot-every', '25', '--json'],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let seen = 0,
      stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d));
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (d: Buffer) => {
        for (const line of String(d).split('\n')) if (line.includes('"type":"step"')) seen = Math.max(seen, JSON.parse(line).step);
        if (seen >= 120) resolve();
      });
      child.on('exit', (code) => reject(new Error(`the CLI exited early (${code}): ${stderr}`)));
    });
    child.kill('SIGKILL');
    await new Promise((r) => child.on('exit', r));

    const raw = new Database(db, { readonly: true });
    expect(raw.pragma('integrity_check', { simple: true })).toBe('ok');
    raw.close();
    const store = Store.open(db);
    const run = store.getRun(1)!;
    expect(run.status).toBe('running'); // what the killed process left
    expect(run.lastStep).toBeGreaterThanOrEqual(seen); // every step the CLI had reported was committed first
    expect(store.readSteps(1, 1, run.lastStep!).map((s) => s.step)).toEqual(Array.from({ length: run.lastStep! }, (_, i) => i + 1));
    store.close();

    const r = await cli('resume', '1', '--steps', String(run.lastStep! + 30), '--db', db);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/completed at step \d+/);
  });

  it('a reader that goes away (`train --json | head -1`) stops the run cleanly: no stack trace, exit 141, resumable', async () => {
    const db = tempDatabase();
    const bin = fileURLToPath(new URL('../../../bin/rnn-workbench.js', import.meta.url));
    const child = spawn(process.execPath, [bin, 'train', '--db', db, '--steps', '1000000', '--hidden', '4', '--T', '10', '--json'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d));
    // what `head -1` does: read up to the first step, then close the pipe
    await new Promise<void>((resolve) =>
      child.stdout.on('data', (d: Buffer) => {
        if (String(d).includes('"type":"step"')) resolve();
      }),
    );
    child.stdout.destroy();
    const code = await new Promise<number | null>((r) => child.on('exit', r));
    expect(stderr).toBe('');
    expect(code).toBe(141);
    const store = Store.open(db);
    const run = store.getRun(1)!;
    expect(run.status).toBe('stopped');
    expect(run.lastStep).toBeLessThan(1_000_000);
    store.close();
    const r = await cli('resume', '1', '--steps', String(run.lastStep! + 5), '--db', db);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/completed at step \d+/);
  });
});
