// The commands that train: train, resume and fork create or continue a run
// and follow it to its end in this terminal; gradcheck checks gradients.

import type { RunRecord, RunSummary, StoredGradCheck } from '../../common/contract';
import { groupDigits } from '../../common/format';
import { estimateText } from './run-text';
import { UsageError } from './args';
import type { Context } from './command';
import { configFromFlags, hasConfigFlags, mergeOver, newRunConfig, type ConfigFlags } from './config-flags';
import { endText, follow } from './follow';
import { exitCodeOf } from './interrupt';
import { jsonLine, terminalText } from './terminal-text';

/** Follows a run in this terminal until it ends; the exit code says how it ended. */
export async function watch(ctx: Context, run: RunSummary | RunRecord, total: number): Promise<number> {
  const { json, out, wb } = ctx;
  if (!json) out(`run ${run.id} "${terminalText(run.name)}" in ${terminalText(wb.databasePath)}\n`);
  const { run: end, interrupt } = await follow(wb.manager, run.id, {
    json,
    tty: !json && process.stdout.isTTY === true,
    write: out,
    totalSteps: total,
    columns: () => process.stdout.columns,
  });
  if (!json) out(`${terminalText(endText(end), { multiline: true })}\n`);
  if (interrupt && end.status === 'stopped') return exitCodeOf(interrupt);
  return end.status === 'completed' || end.status === 'stopped' ? 0 : 1;
}

/** Starts a created run and follows it. */
export async function startAndWatch(ctx: Context, run: RunRecord): Promise<number> {
  const started = watch(ctx, run, run.config.training.steps);
  await ctx.call('runs:start', { id: run.id });
  return await started;
}

export async function train(ctx: Context): Promise<number> {
  const config = newRunConfig(ctx.values as ConfigFlags);
  if (ctx.values.estimate === true) return estimate(ctx, config);
  const run = await ctx.call('runs:create', {
    config,
    name: (ctx.values.name as string | undefined) ?? null,
    tags: [],
    notes: '',
    start: false,
  });
  return startAndWatch(ctx, run);
}

/** `train --estimate`: the config's cost and its measured time, and no run. */
async function estimate(ctx: Context, config: unknown): Promise<number> {
  const { config: checked, estimate: cost } = await ctx.call('config:check', { config });
  const timing = await ctx.call('config:time', { config: checked });
  if (ctx.json) ctx.out(jsonLine({ ...cost, timing }));
  else ctx.out(`${estimateText(checked.training.steps, cost, timing)}\n`);
  return 0;
}

/** `--steps` is the run's new total, not steps added: the message says from where to where. */
export async function resume(ctx: Context): Promise<number> {
  const id = ctx.runId();
  const raw = ctx.values.steps as string | undefined;
  const steps = raw === undefined ? null : Number(raw);
  if (steps !== null && (!Number.isInteger(steps) || steps <= 0))
    throw new UsageError(`resume: --steps "${raw}" is not a step count (it is the run's new total)`, 'resume');
  const before = await ctx.call('runs:get', { id });
  const snapshots = await ctx.call('snapshots:list', { id });
  const total = steps ?? before.config.training.steps;
  const from = snapshots.at(-1)?.step ?? 0;
  const redone = (before.lastStep ?? 0) - from;
  if (!ctx.json && before.status !== 'paused')
    ctx.out(
      `resuming run ${id} at step ${groupDigits(from)} of ${groupDigits(total)}${redone > 0 ? ` (its latest snapshot; the ${groupDigits(redone)} steps after it are trained again)` : ''}\n`,
    );
  const started = watch(ctx, before, total);
  await ctx.call('runs:resume', { id, steps });
  return await started;
}

/** A fork starts from a snapshot exactly: `--at` must name one, else the nearest are listed. */
export async function fork(ctx: Context): Promise<number> {
  const id = ctx.runId();
  const src = await ctx.call('runs:get', { id });
  const flags = ctx.values as ConfigFlags;
  const snapshots = await ctx.call('snapshots:list', { id });
  const steps = snapshots.map((s) => s.step);
  const rawAt = ctx.values.at as string | undefined;
  const at = rawAt === undefined ? null : Number(rawAt);
  if (at !== null && (!Number.isInteger(at) || at < 0)) throw new UsageError(`fork: --at "${rawAt}" is not a step`, 'fork');
  if (at !== null && !steps.includes(at)) throw new UsageError(noSnapshotAt(id, at, steps), 'fork');
  // the flags change the run's config as it stood at the snapshot: with the learning rate in force there (set live, perhaps)
  const from = at === null ? snapshots.at(-1) : snapshots.find((s) => s.step === at);
  const base = from ? { ...src.config, training: { ...src.config.training, lr: from.baseLr } } : src.config;
  const config = hasConfigFlags(flags) ? mergeOver(base, configFromFlags(flags)) : null;
  const run = await ctx.call('runs:fork', { id, step: at, config, name: (ctx.values.name as string | undefined) ?? null, start: false });
  if (!ctx.json) ctx.out(`forked run ${id} at its snapshot at step ${groupDigits(run.parentStep ?? 0)}\n`);
  return startAndWatch(ctx, run);
}

function noSnapshotAt(id: number, at: number, steps: number[]): string {
  if (steps.length === 0) return `fork: run ${id} has no snapshots`;
  const below = steps.filter((s) => s < at).at(-1);
  const above = steps.find((s) => s > at);
  const near = [below, above].filter((s) => s !== undefined).map((s) => `--at ${s}`);
  return `fork: run ${id} has no snapshot at step ${at}; the nearest: ${near.join(' or ')} (\`rnn-workbench show ${id}\` lists all ${steps.length})`;
}

export async function gradcheck(ctx: Context): Promise<number> {
  const report = await gradcheckReport(ctx);
  if (ctx.json) ctx.out(jsonLine(report));
  else ctx.out(gradcheckTable(report) + '\n');
  return report.worst <= 1e-6 ? 0 : 1;
}

async function gradcheckReport(ctx: Context): Promise<StoredGradCheck> {
  if (ctx.positionals[0] !== undefined) return ctx.call('gradcheck:run', { id: ctx.runId(), step: null });
  // Without a run: check the gradients of a fresh model from the flags, in a throwaway run.
  const run = await ctx.call('runs:create', {
    config: newRunConfig(ctx.values as ConfigFlags),
    name: 'gradient check',
    tags: ['gradcheck'],
    notes: '',
    start: false,
  });
  try {
    return await ctx.call('gradcheck:run', { id: run.id, step: null });
  } finally {
    await ctx.wb.manager.delete(run.id);
  }
}

function gradcheckTable(g: StoredGradCheck): string {
  const names = Object.keys(g.rtrlVsBptt) as (keyof typeof g.rtrlVsBptt)[];
  const lines = names.map(
    (n) =>
      `  ${n.padEnd(3)} ${String(g.checked[n]).padStart(7)}  ${fmtErr(g.rtrlVsBptt[n])}  ${fmtErr(g.rtrlVsFiniteDiff[n])}  ${fmtErr(g.bpttVsFiniteDiff[n])}`,
  );
  const verdict = g.worst <= 1e-6 ? 'ok' : 'FAILED';
  return [
    `gradient check at step ${g.step} (relative error; float64):`,
    '  matrix checked  RTRL-BPTT  RTRL-FD    BPTT-FD',
    ...lines,
    `worst ${fmtErr(g.worst)}: ${verdict}`,
  ].join('\n');
}

const fmtErr = (v: number | undefined) => (v === undefined ? '—' : v.toExponential(2)).padEnd(9);
