// `rnn-workbench inspect`: the gradient lab on a run's snapshot: W's
// spectrum, how far back the gradient reaches (flow and state-Jacobian
// norms per lag), fixed points, PCA of the probe's states; with --referee
// the gradient referee's table, with --replay one step recomputed and
// compared bit for bit with what the run stored. Only reads the database.

import { readFileSync } from 'node:fs';
import type { Checkpoint, HealthReport, PerMatrix } from '../../common/contract';
import { loadLab, type InspectReport, type RefereeReport } from '../../native-worker/engine-api';
import { ApiError } from '../runs/errors';
import type { Workbench } from '../workbench';
import type { Flag } from './args';
import type { Call } from './command';
import { fmt } from './follow';
import { jsonLine } from './terminal-text';

/** --at STEP, for the commands that read a snapshot at or before a step (inspect, predict). */
export const AT_FLAG: Flag = {
  name: 'at',
  type: 'string',
  value: 'STEP',
  description: 'the snapshot at or before STEP (default: the latest)',
};

/** The flags of `inspect` beside --db and --json (the commands table adds those). */
export const INSPECT_FLAGS: readonly Flag[] = [
  AT_FLAG,
  {
    name: 'input',
    type: 'string',
    value: 'FILE.csv',
    description: 'state-Jacobian norms on these rows as x^1 … x^T from s^0 = 0 (one column per input), not on the probe',
  },
  {
    name: 'referee',
    type: 'boolean',
    description:
      "exact RTRL, BPTT, truncated BPTT(1, 5, 20) and central differences on the probe: per matrix the relative error and cosine of each pair, each method's time and memory",
  },
  {
    name: 'replay',
    type: 'string',
    value: 'STEP',
    description: 'recompute step STEP from the nearest snapshot before it; exit 1 when its loss or norms differ in any bit from the stored',
  },
];

export const INSPECT_DETAILS =
  "The gradient lab on the run's snapshot at or before --at (default: the latest): the eigenvalues of W, its spectral\n" +
  'radius and largest singular value; the state-Jacobian norms ‖∂s^T/∂s^(T−k)‖ for every lag k (on the rows of --input,\n' +
  'else on the probe); the gradient flow ‖∂E^T/∂s^(T−k)‖ on the probe; the fixed points of s = f(W s + U x̄ + b) with\n' +
  "their stability; the probe states' principal components. Only reads the database.";

export interface InspectFlags {
  at?: string;
  input?: string;
  referee?: boolean;
  replay?: string;
  json?: boolean;
}

export const stepFlag = (flag: string, v: string, min: number): number => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < min) throw new ApiError('invalid-argument', `${flag}: "${v}" is not a step${min > 0 ? ' (≥ 1)' : ''}`);
  return n;
};

export async function inspectCommand(wb: Workbench, call: Call, id: number, f: InspectFlags, out: (s: string) => void): Promise<number> {
  // the lab loads the trainer, the tasks and the kernels: only this command pays for them
  const { inputRows, inspectSnapshot, refereeSnapshot, replayCompared } = await loadLab();
  const run = await call('runs:get', { id });
  if (f.referee && f.replay !== undefined)
    throw new ApiError('invalid-argument', 'inspect: --referee and --replay are separate views; give one');
  if (f.replay !== undefined) {
    if (f.at !== undefined || f.input !== undefined)
      throw new ApiError('invalid-argument', 'inspect: --replay takes neither --at nor --input');
    const step = stepFlag('--replay', f.replay, 1);
    const [stored] = wb.store.readSteps(id, step, step);
    if (stored === undefined) throw new ApiError('no-step', `run ${id} has no stored step ${step} (its last step is ${run.lastStep ?? 0})`);
    const replayed = replayCompared(run.config, wb.store.checkpointAt(id, step - 1), step, stored);
    if (f.json) out(jsonLine(replayed));
    else out(replayText(id, replayed.step, replayed.from, stored.loss, replayed.metrics.loss, replayed.differences) + '\n');
    return replayed.equal ? 0 : 1;
  }
  const at = f.at === undefined ? null : stepFlag('--at', f.at, 0);
  const checkpoint: Checkpoint | null = at === null ? wb.store.latestCheckpoint(id) : wb.store.checkpointAt(id, at);
  if (checkpoint === null) throw new ApiError('no-snapshot', `run ${id} has no snapshot${at === null ? '' : ` at or before step ${at}`}`);
  if (f.referee) {
    const report = refereeSnapshot(run.config, checkpoint);
    if (f.json) out(jsonLine(report));
    else out(refereeText(id, report) + '\n');
    return 0;
  }
  let input: Float64Array | null = null;
  if (f.input !== undefined) {
    let text: string;
    try {
      text = readFileSync(f.input, 'utf8');
    } catch (e) {
      throw new ApiError('invalid-argument', `--input: cannot read ${f.input}: ${(e as Error).message}`);
    }
    try {
      input = inputRows(text, `--input ${f.input}`, checkpoint.weights.U.cols);
    } catch (e) {
      throw new ApiError('invalid-argument', (e as Error).message);
    }
  }
  // the run's health as its evaluation at or before the snapshot judged it (every evaluation stores it)
  const health =
    wb.store.readEvals(id, Math.max(0, checkpoint.step - run.config.training.evalEvery), checkpoint.step).findLast((e) => e.health)
      ?.health ?? null;
  const report = { ...inspectSnapshot(run.config, checkpoint, input), health };
  if (f.json) out(jsonLine(report));
  else out(inspectText(id, report) + '\n');
  return 0;
}

/** Lags to print: 1, 2, 5, 10, 20, 50, … below `count`, and the last. */
function lags(count: number): number[] {
  const out: number[] = [];
  for (let decade = 1; decade < count; decade *= 10) for (const k of [1, 2, 5]) if (k * decade < count) out.push(k * decade);
  if (count > 0 && out.at(-1) !== count) out.push(count);
  return out;
}

const complex = ([re, im]: [number, number]): string => (im === 0 ? fmt(re) : `${fmt(re)}${im < 0 ? '−' : '+'}${fmt(Math.abs(im))}i`);

const WIDTH = 80;

/** `head` then the items, two spaces apart, as many as fit in the terminal's 80 columns (then "…"). */
function fitted(head: string, items: string[]): string {
  let line = head;
  for (let i = 0; i < items.length; i++) {
    const more = i < items.length - 1 ? '  …' : '';
    if (line.length + 2 + items[i].length + more.length > WIDTH) return `${line}  …`;
    line += (i === 0 ? '' : '  ') + items[i];
  }
  return line;
}

/** Words wrapped to the terminal's 80 columns, continuation lines indented like the first line's text. */
function wrapped(head: string, words: string[]): string[] {
  const lines = [head];
  for (const w of words) {
    if (lines[lines.length - 1].length + 1 + w.length > WIDTH) lines.push(' '.repeat(head.length) + w);
    else lines[lines.length - 1] += (lines[lines.length - 1] === head ? '' : ' ') + w;
  }
  return lines;
}

function inspectText(id: number, r: InspectReport & { health: HealthReport | null }): string {
  const T = r.flow.length;
  const stable = r.fixedPoints.filter((p) => p.stable).length;
  const lines = [
    `run ${id}, snapshot at step ${r.step}`,
    `  spectral radius ρ(W) ${fmt(r.spectralRadius)}   largest singular value ${fmt(r.singularMax)}`,
    fitted('  eigenvalues          ', r.eigenvalues.map(complex)),
    `  health               ${r.health === null ? '— (no evaluation stored)' : `${r.health.state} since step ${r.health.since}`}`,
    `  saturated (probe)    ${(100 * r.saturation).toFixed(1)} %`,
    `  lag k   ‖∂s^T/∂s^(T−k)‖ (${r.jacobianOn})   ‖∂E^T/∂s^(T−k)‖ (probe)`,
    `      0   ${''.padEnd(22)}   ${fmt(r.flow[0])}`,
    ...lags(Math.max(T - 1, r.jacobian.length)).map((k) =>
      `  ${String(k).padStart(5)}   ${(r.jacobian[k - 1] === undefined ? '' : fmt(r.jacobian[k - 1])).padEnd(22)}   ${r.flow[k] === undefined ? '' : fmt(r.flow[k])}`.trimEnd(),
    ),
    `  fixed points         ${r.fixedPoints.length} found, ${stable} stable`,
    ...r.fixedPoints.slice(0, 5).map((p, i) => {
      const norm = Math.sqrt(p.s.reduce((a, v) => a + v * v, 0));
      const rho = Math.max(0, ...p.eigenvalues.map(([re, im]) => Math.hypot(re, im)));
      return `    ${String(i + 1).padStart(2)}  ‖s‖ ${fmt(norm).padEnd(9)}  max |λ| ${fmt(rho).padEnd(9)}  ${p.stable ? 'stable' : 'unstable'}`;
    }),
    ...(r.fixedPoints.length > 5 ? [`    … ${r.fixedPoints.length - 5} more (--json lists them all)`] : []),
    `  PCA of the probe     ${r.pca.explained.map((v) => `${(100 * v).toFixed(1)} %`).join(', ')} of the variance`,
  ];
  return lines.join('\n');
}

const fmtErr = (v: number | undefined): string => (v === undefined ? '—' : v.toExponential(2));

function refereeText(id: number, r: RefereeReport & { step: number }): string {
  const names = Object.keys(r.checked) as (keyof PerMatrix)[];
  const short = (name: string) => (name === 'finite differences' ? 'differences' : name);
  const lines = [
    `gradient referee, run ${id} at step ${r.step}, on the probe (T = ${r.T}, float64)`,
    '  method               time ms      memory',
    ...r.methods.map((m) => `  ${m.name.padEnd(18)} ${m.ms.toFixed(2).padStart(9)} ${`${fmt(m.bytes / 1024)} KiB`.padStart(11)}`),
    `  ‖∂E/∂θ‖  ${r.methods.map((m) => short(m.name).padEnd(11)).join('')}`.trimEnd(),
    ...names.map((n) => `  ${n.padEnd(7)}  ${r.methods.map((m) => fmt(m.norm[n] ?? null).padEnd(11)).join('')}`.trimEnd()),
    '  pair                                  matrix  rel. error   cosine',
    ...r.pairs.flatMap((p) =>
      names.map(
        (n) => `  ${`${p.a} – ${p.b}`.padEnd(38)}${n.padEnd(8)}${fmtErr(p.relativeError[n]).padEnd(13)}${(p.cosine[n] ?? NaN).toFixed(6)}`,
      ),
    ),
  ];
  return lines.join('\n');
}

function replayText(id: number, step: number, from: number | null, stored: number, replayed: number, differences: string[]): string {
  return [
    `run ${id}, step ${step} replayed from ${from === null ? 'the initial weights (seed)' : `the snapshot at step ${from}`}`,
    `  loss stored ${stored}, replayed ${replayed}`,
    ...(differences.length === 0
      ? ['  equal: loss, gradient and weight norms, update ratios bit for bit']
      : wrapped('  NOT EQUAL:', differences)),
  ].join('\n');
}
