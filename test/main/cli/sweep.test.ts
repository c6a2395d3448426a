// `rnn-workbench sweep …` as a user runs it: a small real sweep, its JSON,
// the list, a bad spec's message, deleting with and without its runs, and
// Ctrl-C of a real CLI process.

import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../../support/cli';
import { tempDatabase } from '../../support/workbench';

const spec = {
  name: 'lr × seed',
  base: {
    task: { kind: 'sine', channels: 2, T: 8 },
    model: { hidden: 5 },
    method: { kind: 'bptt' },
    training: { steps: 30, evalEvery: 10 },
  },
  grid: { 'training.lr': [0.01, 0.001] },
  seeds: [1, 2],
};

describe('rnn-workbench sweep', () => {
  it('runs a sweep, shows it, lists it, and deletes it with or without its runs', async () => {
    const db = tempDatabase();
    const file = join(dirname(db), 'spec.json');
    writeFileSync(file, JSON.stringify(spec));
    const r = await cli('sweep', 'run', file, '--db', db, '--parallel', '2', '--json');
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const lines = r.out
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(
      lines
        .filter((l) => l.type === 'trial' && l.outcome === 'completed')
        .map((l) => l.trial)
        .sort(),
    ).toEqual([0, 1, 2, 3]);
    expect(lines.at(-1)).toMatchObject({ type: 'end', sweepId: 1, total: 4, completed: 4, open: 0 });

    const shown = JSON.parse((await cli('sweep', 'show', '1', '--db', db, '--json')).out);
    expect(shown).toMatchObject({ id: 1, name: 'lr × seed' });
    expect(shown.trials.map((t: { params: unknown; seed: number }) => [t.params, t.seed])).toEqual([
      [{ 'training.lr': 0.01 }, 1],
      [{ 'training.lr': 0.01 }, 2],
      [{ 'training.lr': 0.001 }, 1],
      [{ 'training.lr': 0.001 }, 2],
    ]);
    for (const t of shown.trials) {
      expect(t).toMatchObject({ status: 'completed', steps: 30, run: expect.any(Number) });
      expect(t.bestValidationLoss).toBeGreaterThan(0);
    }
    const text = await cli('sweep', 'show', '1', '--db', db);
    expect(text.out).toMatch(
      /^sweep 1: lr × seed\n {2}4\/4 done · 0 running · 0 stopped early · 0 failed · best [\d.]+ \(trial \d, run \d\)$/m,
    );
    expect(text.out).toMatch(/^3\s+4\s+completed\s+30\s+[\d.]+\s+training\.lr=0\.001000 seed=2$/m);
    expect((await cli('sweep', 'list', '--db', db)).out).toBe('1  lr × seed  4 trials: 4 completed, 0 stopped early, 0 failed\n');

    const kept = await cli('sweep', 'delete', '1', '--db', db);
    expect(kept.out).toBe('deleted sweep 1; its 4 runs are kept (--with-runs deletes them)\n');
    expect(JSON.parse((await cli('list', '--db', db, '--json')).out)).toHaveLength(4);
    expect((await cli('sweep', 'show', '1', '--db', db)).err).toBe('error: sweep 1 does not exist\n');

    writeFileSync(file, JSON.stringify({ ...spec, grid: { 'training.lr': [0.01] }, seeds: [5] }));
    expect((await cli('sweep', 'run', file, '--db', db)).code).toBe(0);
    expect((await cli('sweep', 'delete', '2', '--db', db, '--with-runs')).out).toBe('deleted sweep 2 and its 1 runs\n');
    expect(JSON.parse((await cli('list', '--db', db, '--json')).out)).toHaveLength(4);
  });

  it('refuses a bad spec, naming the file and the field, and a bad --parallel, before creating anything', async () => {
    const db = tempDatabase();
    const file = join(dirname(db), 'bad.json');
    writeFileSync(file, JSON.stringify({ ...spec, grid: { 'training.lr': [0.01, -1], 'model.hiddn': [3] } }));
    const r = await cli('sweep', 'run', file, '--db', db);
    expect(r.code).toBe(2);
    expect(r.err).toBe(
      `error: ${file}: grid["training.lr"][1]: training.lr: must be greater than 0\n` +
        `${file}: grid["model.hiddn"][0]: model: unknown field "hiddn"\n`,
    );
    writeFileSync(file, '{ "name": ');
    expect((await cli('sweep', 'run', file, '--db', db)).err).toMatch(new RegExp(`^error: ${file}: not JSON`));
    expect((await cli('sweep', 'run', file, '--db', db, '--parallel', '0')).err).toBe(
      'error: --parallel: "0" is not a number from 1 to 256\n',
    );
    expect((await cli('sweep', 'list', '--db', db)).out).toBe('no sweeps yet: try `rnn-workbench sweep run SPEC.json`\n');
  });

  it('Ctrl-C stops the sweep cleanly (exit 130): finished trials keep their outcome, the stopped one is left to resume', async () => {
    const db = tempDatabase();
    const file = join(dirname(db), 'spec.json');
    writeFileSync(file, JSON.stringify({ ...spec, grid: { 'training.steps': [20, 1_000_000] }, seeds: undefined }));
    const bin = fileURLToPath(new URL('../../../bin/rnn-workbench.js', import.meta.url));
    const child = spawn(process.execPath, [bin, 'sweep', 'run', file, '--db', db, '--parallel', '1', '--json'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    const code = new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
    await new Promise<void>((resolve) =>
      child.stdout.on('data', (d: Buffer) => {
        out += String(d);
        if (out.includes('"outcome":"completed"')) resolve();
      }),
    );
    // the second trial is training (or about to): Ctrl-C
    child.kill('SIGINT');
    expect(await code).toBe(130);
    expect(JSON.parse(out.trim().split('\n').at(-1)!)).toMatchObject({ type: 'end', total: 2, completed: 1, open: 1, running: 0 });
    const shown = JSON.parse((await cli('sweep', 'show', '1', '--db', db, '--json')).out);
    expect(shown.trials.map((t: { status: string }) => t.status)).toEqual(['completed', expect.stringMatching(/^(stopped|created)$/)]);
  });
});
