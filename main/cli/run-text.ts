// How `list` and `show` print runs: a table of runs, one run in detail,
// and how long each has trained; and what `train --estimate` prints.

import type { CostEstimate, RunConfig, RunRecord, RunSummary, RunTiming } from '../../common/contract';
import { formatDuration, groupDigits } from '../../common/format';
import { formatBytes } from '../../native-worker/engine-api';
import type { Store } from '../store/store';
import { fmt, healthText } from './follow';
import { terminalText } from './terminal-text';

/**
 * Wall-clock milliseconds a run has trained: every step stores the time
 * since its segment (the start, or a resume) began, so the run's time is
 * the sum of each segment's last value (time paused or stopped between
 * segments is not counted). Null before its first step.
 */
export function trainingMs(store: Store, run: RunSummary): number | null {
  if (run.lastStep === null) return null;
  const { values } = store.readSeries(run.id, 'wallMs', { maxPoints: Math.max(4, run.lastStep + 1) });
  let total = 0;
  for (let i = 0; i < values.length; i++) if (i === values.length - 1 || values[i + 1] < values[i]) total += values[i];
  return total;
}

const date = (ms: number | null) => (ms === null ? '—' : new Date(ms).toISOString().slice(0, 16).replace('T', ' '));

export function runTable(runs: RunSummary[], time: (r: RunSummary) => number | null): string {
  if (runs.length === 0) return 'no runs yet: try `rnn-workbench train`';
  const rows = runs.map((r) =>
    [
      String(r.id),
      r.name,
      r.status,
      r.health?.state ?? '—',
      r.taskKind,
      r.methodKind,
      String(r.lastStep ?? 0),
      fmt(r.bestValidationLoss),
      duration(time(r)),
      date(r.createdAt),
    ].map((c) => terminalText(c)),
  );
  const head = ['id', 'name', 'status', 'health', 'task', 'method', 'step', 'best val', 'time', 'created'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  return [head, ...rows]
    .map((r) =>
      r
        .map((c, i) => c.padEnd(widths[i]))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

const duration = (ms: number | null) => (ms === null ? '—' : formatDuration(ms));

/** The biases the model has, in words. */
export function biasesText(m: RunConfig['model']): string {
  const parts = [...(m.hiddenBias ? ['hidden b'] : []), ...(m.outputBias ? ['output c'] : [])];
  return parts.length ? `biases ${parts.join(' and ')}` : 'no biases';
}

export function describeRun(r: RunRecord, snapshots: number[], trainedMs: number | null): string {
  const c = r.config;
  const method = c.method.kind === 'tbptt' ? `tbptt (k=${c.method.k})` : c.method.kind;
  const loss = c.loss.kind === 'mse' ? `squared error${c.loss.scale === null ? '' : ` ×${c.loss.scale}`}` : 'cross-entropy';
  return [
    `run ${r.id}: ${r.name}`,
    `  status      ${r.status}${r.endMessage ? ` — ${r.endMessage}` : ''}`,
    `  health      ${healthText(r.health)}`,
    `  task        ${c.task.kind} (${c.task.kind === 'copy' ? `${c.task.symbols} symbols, length ${c.task.length}, delay ${c.task.delay}` : `T=${c.task.T}`}), ${loss} loss`,
    `  model       d=${c.model.hidden} ${c.model.activation}, ${biasesText(c.model)}, init ${c.model.init}`,
    `  method      ${method}, ${c.training.optimizer.kind} lr=${c.training.lr}, batch ${c.training.batchSize}, ${c.dtype}, seed ${c.seed}`,
    `  progress    step ${groupDigits(r.lastStep ?? 0)} of ${groupDigits(c.training.steps)}; best validation loss ${fmt(r.bestValidationLoss)}`,
    `  trained     ${duration(trainedMs)}${r.startedAt === null ? '' : `, started ${date(r.startedAt)}`}${r.finishedAt === null ? '' : `, ended ${date(r.finishedAt)}`} (UTC)`,
    `  snapshots   ${snapshots.length ? snapshots.join(', ') : 'none'}`,
    `  parent      ${r.parentRunId === null ? '—' : `run ${r.parentRunId} at step ${r.parentStep}`}`,
    `  created     ${new Date(r.createdAt).toISOString()}   engine ${r.engineVersion ?? '—'}   app ${r.appVersion}`,
    ...(r.tags.length ? [`  tags        ${r.tags.join(', ')}`] : []),
    ...(r.notes ? [`  notes       ${r.notes}`] : []),
  ]
    .map((line) => terminalText(line))
    .join('\n');
}

/** A config's cost: its sizes and memory from the check, its time measured (config:time), and the engine's warnings. */
export function estimateText(steps: number, c: CostEstimate, t: RunTiming): string {
  return [
    `shape m=${c.m} d=${c.d} n=${c.n}, ${groupDigits(c.parameters)} parameters, working memory ${formatBytes(c.workingBytes)}`,
    `time  ≈ ${formatDuration(t.totalMs)} for ${groupDigits(steps)} steps (≈ ${formatDuration(t.msPerStep)} a step, ` +
      `${formatDuration(t.evalMs)} an evaluation, ${formatDuration(t.startMs + t.setupMs)} to start), ` +
      `from ${groupDigits(t.stepsTimed)} steps timed in ${formatDuration(t.timingMs)} on this machine`,
    ...c.warnings.map((w) => `warning: ${w}`),
  ].join('\n');
}
