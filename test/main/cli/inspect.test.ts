// `rnn-workbench inspect` on runs trained by real workers into a real
// database: the JSON fields, the snapshot --at picks, --input, the
// referee's table, a replayed step equal to the stored one, and terminal
// text that fits 80 columns.

import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { cli } from '../../support/cli';
import { tempDatabase } from '../../support/workbench';

const db = tempDatabase();
const fitsTerminal = (text: string) => expect(text.split('\n').filter((l) => [...l].length > 80)).toEqual([]);

beforeAll(async () => {
  // run 1: bptt with biases; run 2: rtrl-online, whose carry travels through the store
  const common = ['--db', db, '--task', 'adding', '--T', '12', '--hidden', '6', '--steps', '30', '--snapshot-every', '10', '--json'];
  expect((await cli('train', ...common, '--method', 'bptt', '--config', biasConfig())).code).toBe(0);
  expect((await cli('train', ...common, '--method', 'rtrl-online', '--lr', '0.01')).code).toBe(0);
}, 60_000);

function biasConfig(): string {
  const path = join(dirname(db), 'biases.json');
  writeFileSync(path, JSON.stringify({ model: { hiddenBias: true, outputBias: true } }));
  return path;
}

describe('rnn-workbench inspect', () => {
  it('prints the spectrum, Jacobian norms, flow and fixed points of the latest snapshot as one JSON object', async () => {
    const r = await cli('inspect', '1', '--db', db, '--json');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(j.step).toBe(30);
    expect(j.eigenvalues).toHaveLength(6);
    for (const e of j.eigenvalues) expect(e).toEqual([expect.any(Number), expect.any(Number)]);
    expect(j.spectralRadius).toBeCloseTo(Math.max(...j.eigenvalues.map(([re, im]: number[]) => Math.hypot(re, im))), 14);
    expect(j.singularMax).toBeGreaterThanOrEqual(j.spectralRadius * (1 - 1e-12));
    expect(j.jacobian).toHaveLength(11); // k = 1 … T−1 on the probe
    expect(j.jacobianOn).toBe('probe');
    expect(j.flow).toHaveLength(12); // k = 0 … T−1
    expect(j.health).toMatchObject({ state: expect.stringMatching(/^(healthy|exploding|saturated|vanishing|not-learning)$/) });
    expect(j.fixedPoints.length).toBeGreaterThanOrEqual(1);
    for (const fp of j.fixedPoints) {
      expect(fp.s).toHaveLength(6);
      expect(fp.eigenvalues).toHaveLength(6);
      expect(typeof fp.stable).toBe('boolean');
      expect(fp.residual).toBeLessThanOrEqual(1e-10);
    }
    expect(j.pca.explained).toHaveLength(3);
  });

  it('takes the snapshot at or before --at, and the Jacobian on the rows of --input', async () => {
    const at = JSON.parse((await cli('inspect', '1', '--db', db, '--at', '15', '--json')).out);
    expect(at.step).toBe(10);
    const csv = join(dirname(db), 'input.csv');
    writeFileSync(csv, 'value,marker\n0.5,0\n0.1,1\n0.9,0\n0.3,1\n0.7,0\n');
    const r = await cli('inspect', '1', '--db', db, '--input', csv, '--json');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(j.jacobianOn).toBe('input');
    expect(j.jacobian).toHaveLength(4);
    expect(j.flow).toHaveLength(12); // still on the probe
  });

  it('names the file and the field for bad --input and bad steps, with exit code 2', async () => {
    const wide = join(dirname(db), 'wide.csv');
    writeFileSync(wide, '1,2,3\n4,5,6\n');
    const bad = join(dirname(db), 'bad.csv');
    writeFileSync(bad, '1,2\n3,x\n');
    const cases: [string[], RegExp][] = [
      [['--input', wide], /--input .*wide\.csv: has 3 columns; the run's model reads 2 inputs per step/],
      [['--input', bad], /--input .*bad\.csv: line 2, column 2: "x" is not a number/],
      [['--input', '/nonexistent.csv'], /--input: cannot read \/nonexistent\.csv/],
      [['--at', 'soon'], /--at: "soon" is not a step/],
      [['--replay', '0'], /--replay: "0" is not a step/],
      [['--replay', '99'], /run 1 has no stored step 99 \(its last step is 30\)/],
      [['--referee', '--replay', '3'], /--referee and --replay are separate views/],
    ];
    for (const [args, message] of cases) {
      const r = await cli('inspect', '1', '--db', db, ...args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.err).toMatch(message);
    }
    const missing = await cli('inspect', '7', '--db', db);
    expect(missing.err).toMatch(/run 7 does not exist/);
  });

  it("prints the referee's table: RTRL and BPTT agree to rounding, tbptt(1) does not", async () => {
    const r = await cli('inspect', '1', '--db', db, '--referee', '--json');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(j.methods.map((m: { name: string }) => m.name)).toEqual(['rtrl', 'bptt', 'tbptt(1)', 'tbptt(5)', 'finite differences']);
    const pair = (a: string, b: string) => j.pairs.find((p: { a: string; b: string }) => p.a === a && p.b === b);
    for (const v of Object.values(pair('rtrl', 'bptt').relativeError) as number[]) expect(v).toBeLessThanOrEqual(1e-10);
    for (const v of Object.values(pair('bptt', 'finite differences').relativeError) as number[]) expect(v).toBeLessThanOrEqual(1e-6);
    expect(pair('bptt', 'tbptt(1)').cosine.W).toBeLessThan(0.999);
    expect(Object.keys(j.checked)).toEqual(['U', 'W', 'V', 'b', 'c']);
  });

  it('replays a stored step bit for bit, through the store, for bptt and for rtrl-online', async () => {
    for (const [id, step] of [
      [1, 17],
      [1, 1],
      [2, 23],
    ]) {
      const r = await cli('inspect', String(id), '--db', db, '--replay', String(step), '--json');
      expect(r.code, `run ${id} step ${step}`).toBe(0);
      const j = JSON.parse(r.out);
      expect(j).toMatchObject({ step, from: Math.floor((step - 1) / 10) * 10, equal: true, differences: [] });
      expect(j.metrics.loss).toBe(j.stored.loss);
      expect(j.deltas.rows).toBe(12);
      expect(j.sensitivityW.cols).toBe(36);
    }
  });

  it('renders each view in 80 columns without --json, and has its own --help', async () => {
    for (const args of [[], ['--referee'], ['--replay', '5']]) {
      const r = await cli('inspect', '1', '--db', db, ...args);
      expect(r.code).toBe(0);
      fitsTerminal(r.out);
    }
    const text = (await cli('inspect', '1', '--db', db)).out;
    expect(text).toMatch(/^run 1, snapshot at step 30\n {2}spectral radius ρ\(W\) \d/);
    expect(text).toMatch(/fixed points +\d+ found, \d+ stable/);
    expect((await cli('inspect', '1', '--db', db, '--replay', '5')).out).toMatch(/equal: loss, gradient and weight norms/);
    const help = await cli('inspect', '--help');
    expect(help.code).toBe(0);
    expect(help.out).toMatch(/^rnn-workbench inspect: the gradient lab.*\n\nUsage: rnn-workbench inspect <run>/);
    fitsTerminal(help.out);
  });
});
