// Export benchmark: a 2,000,000-step run (an eval every 1,000 steps, a
// snapshot of a small model every 100, so its archive holds over 65,535
// entries and needs zip64) written straight into a Store, then exported as
// an archive and as metrics JSON lines and CSV, each by the CLI in its own
// process under --max-old-space-size=256 (bench/cli-run.ts), and the
// archive imported back into a new database the same way. Prints one JSON
// line per export and for the import: time, file size, peak RSS.
//   node --import tsx bench/export.ts [--steps=N] [--quick]

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Checkpoint, EvalMetrics, StepMetrics } from '../common/contract';
import { Store } from '../main/store/store';
import { parseConfig } from '../native-worker/engine-api';
import { Rng } from '../native-worker/engine/prng';

const here = path.dirname(fileURLToPath(import.meta.url));
const arg = process.argv.find((a) => a.startsWith('--steps='));
const STEPS = arg ? Number(arg.slice('--steps='.length)) : process.argv.includes('--quick') ? 200_000 : 2_000_000;
const BATCH = 1_000;
const EVAL_EVERY = 1_000;
const SNAPSHOT_EVERY = 100;
const D = 8;

const config = parseConfig({
  seed: 7,
  task: { kind: 'sine', channels: 2, T: 20 },
  model: { hidden: D },
  method: { kind: 'bptt' },
  training: { steps: STEPS, evalEvery: EVAL_EVERY, snapshotEvery: SNAPSHOT_EVERY },
});
const rng = new Rng(1);
const values = (n: number) => Float64Array.from({ length: n }, () => rng.normal());

function stepMetrics(step: number): StepMetrics {
  const per = () => ({ U: rng.uniform(), W: rng.uniform(), V: rng.uniform() });
  return {
    step,
    loss: 1 / (1 + step / 20_000) + 0.01 * rng.normal(),
    lr: 0.01,
    gradNorm: per(),
    weightNorm: per(),
    updateRatio: per(),
    spectralRadius: 0.9 + 0.05 * rng.uniform(),
    saturation: 0.1 * rng.uniform(),
    timestepsPerSec: 20_000 + 1_000 * rng.normal(),
    wallMs: step * 2.5,
  };
}

function evalMetrics(step: number): EvalMetrics {
  const hist = () => ({ lo: -1, hi: 1, counts: Array.from({ length: 16 }, () => rng.int(100)), under: 0, over: 0 });
  return {
    step,
    validationLoss: 1 / (1 + step / 20_000),
    histograms: { weights: { U: hist(), W: hist(), V: hist() }, grads: { U: hist(), W: hist(), V: hist() } },
    probe: { T: 20, d: D, n: 2, hidden: Array.from(values(20 * D)), outputs: Array.from(values(40)), targets: Array.from(values(40)) },
    eigenvalues: Array.from(values(2 * D)),
  };
}

function checkpoint(step: number): Checkpoint {
  const params = D * 2 + D * D + 2 * D;
  return {
    step,
    baseLr: 0.01,
    weights: {
      U: { rows: D, cols: 2, data: values(2 * D) },
      W: { rows: D, cols: D, data: values(D * D) },
      V: { rows: 2, cols: D, data: values(2 * D) },
    },
    optimizer: { t: step, buffers: [values(params), values(params).map(Math.abs)] }, // Adam's m, and v ≥ 0
    rng: [1, 2, 3, 4, Number.NaN],
    carry: null,
    spectral: null,
  };
}

/** A CLI command in a child process with a 256 MB heap: its report, or null (printed as a failure). */
function cli(what: string, args: string[]): { seconds: number; peakRssMb: number; output: unknown } | null {
  const r = spawnSync(process.execPath, ['--max-old-space-size=256', '--import', 'tsx', path.join(here, 'cli-run.ts'), ...args], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const line = r.stdout.trim().split('\n').pop() ?? '';
  if (r.status === 0) return JSON.parse(line) as { seconds: number; peakRssMb: number; output: unknown };
  console.log(JSON.stringify({ bench: 'export', what, steps: STEPS, failed: r.status ?? r.signal, output: line }));
  process.exitCode = 1;
  return null;
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'export-bench-'));
try {
  const db = path.join(dir, 'bench.db');
  const store = Store.open(db);
  const run = store.createRun({ name: 'export bench', config, appVersion: 'bench' });
  const t0 = performance.now();
  for (let first = 1; first <= STEPS; first += BATCH) {
    const steps: StepMetrics[] = [];
    const evals: EvalMetrics[] = [];
    const checkpoints: Checkpoint[] = [];
    for (let s = first; s < first + BATCH && s <= STEPS; s++) {
      steps.push(stepMetrics(s));
      if (s % EVAL_EVERY === 0) evals.push(evalMetrics(s));
      if (s % SNAPSHOT_EVERY === 0) checkpoints.push(checkpoint(s));
    }
    store.appendProgress(run.id, { steps, evals, checkpoints });
  }
  store.close();
  const snapshots = Math.floor(STEPS / SNAPSHOT_EVERY);
  console.log(
    JSON.stringify({
      bench: 'export',
      measure: 'build',
      steps: STEPS,
      snapshots,
      seconds: +((performance.now() - t0) / 1000).toFixed(1),
      dbMb: +(fs.statSync(db).size / 2 ** 20).toFixed(1),
    }),
  );
  const archive = path.join(dir, 'out.rnnrun');
  for (const format of ['metrics-jsonl', 'metrics-csv', 'archive']) {
    const out = format === 'archive' ? archive : path.join(dir, `out.${format}`);
    const m = cli(format, ['export', String(run.id), '--format', format, '--out', out, '--db', db]);
    if (m === null) continue;
    const { bytes } = m.output as { bytes: number };
    console.log(
      JSON.stringify({
        bench: 'export',
        format,
        steps: STEPS,
        heapLimitMb: 256,
        seconds: m.seconds,
        mb: +(bytes / 2 ** 20).toFixed(1),
        peakRssMb: m.peakRssMb,
        stepsPerSec: Math.round(STEPS / m.seconds),
      }),
    );
    if (format !== 'archive') fs.rmSync(out);
  }
  const imported = cli('import', ['import', archive, '--db', path.join(dir, 'imported.db')]);
  if (imported !== null) {
    const { lastStep } = imported.output as { lastStep: number };
    console.log(
      JSON.stringify({
        bench: 'export',
        measure: 'import archive',
        steps: lastStep,
        heapLimitMb: 256,
        seconds: imported.seconds,
        peakRssMb: imported.peakRssMb,
        stepsPerSec: Math.round(lastStep / imported.seconds),
      }),
    );
  }
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
