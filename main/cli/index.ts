// `rnn-workbench`: the headless CLI. It runs the same engine into the same
// database as the desktop app, through the same API handlers (so a bad
// argument gets the same message). Exit codes: 0 success, 1 the run or
// check failed, 2 bad usage, config, run id or database file.

import { parseArgs } from 'node:util';
import type { ApiCalls, ApiChannel, RunRecord, RunSummary, StoredGradCheck } from '../../common/contract';
import { invoke } from '../api/handlers';
import { ApiError } from '../runs/errors';
import { defaultDatabasePath } from '../paths';
import { APP_VERSION } from '../version';
import { describeKernels } from '../../native-worker/engine/fast/workspace';
import { ENGINE_VERSION } from '../../native-worker/trainer';
import { CONFIG_FLAGS, configFromFlags, type ConfigFlags } from './config-flags';
import { serve } from '../serve/command';
import { exitCodeOf, fmt, follow } from './follow';
import { exportCommand, importCommand, TRANSFER_FLAGS, TRANSFER_USAGE, type TransferFlags } from './transfer-commands';
import { openWorkbench, type Workbench } from '../workbench';
import { jsonLine, terminalText } from './terminal-text';
import { READ_ONLY_SWEEP_COMMANDS, SWEEP_FLAGS, SWEEP_USAGE, sweepCommand, sweepParallel, type SweepFlags } from './sweep-commands';

const USAGE = `rnn-workbench ${APP_VERSION}: train recurrent networks by exact RTRL and BPTT

Usage:
  rnn-workbench train [--config FILE] [flags]   create a run and train it
  rnn-workbench list                             all runs
  rnn-workbench show <run>                       one run in detail
  rnn-workbench resume <run> [--steps N]         continue a paused or ended run as the same run
  rnn-workbench stop <run>                       stop a run cleanly, whichever process trains it
  rnn-workbench fork <run> [--at STEP] [flags]   a new run from a snapshot, with changed settings
  rnn-workbench delete <run>                     delete a run and everything stored for it
  rnn-workbench gradcheck [<run>] [flags]        RTRL vs BPTT vs finite differences
${TRANSFER_USAGE}
${SWEEP_USAGE}
  rnn-workbench serve [--port N]                 the app in a browser, on 127.0.0.1 with a random token

Config flags (over --config FILE, over the defaults):
  --task sine|copy|adding|text|csv   --data FILE (text or csv)   --T N   --channels N
  --method rtrl|rtrl-online|bptt|tbptt   --truncation K   --hidden N   --activation tanh|relu|sigmoid|identity
  --steps N   --batch N   --lr X   --optimizer sgd|momentum|adagrad|rmsprop|adam   --seed N   --dtype float64|float32
  --eval-every N   --snapshot-every N   --name NAME

Common flags:
  --db FILE     the database (default: $RNN_WORKBENCH_DB or the app's data folder)
  --json        machine-readable output (JSON lines while training)
  -h, --help
  --version     this version, the engine's, and the kernels it computes with`;

/** Commands that only read: they open the database read-only and never create one. */
const READ_ONLY_COMMANDS = ['list', 'show', 'export'];

class UsageError extends Error {}

export async function main(
  argv: string[],
  out: (s: string) => void = (s) => process.stdout.write(s),
  writeErr: (s: string) => void = (s) => process.stderr.write(s),
): Promise<number> {
  // Messages quote names, paths and arguments: shown with their control characters escaped.
  const err = (s: string) => writeErr(terminalText(s, { multiline: true }));
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        ...CONFIG_FLAGS,
        db: { type: 'string' },
        json: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
        version: { type: 'boolean' },
        name: { type: 'string' },
        at: { type: 'string' },
        port: { type: 'string' },
        ...TRANSFER_FLAGS,
        ...SWEEP_FLAGS,
      },
    });
  } catch (e) {
    err(`${(e as Error).message}\n\n${USAGE}\n`);
    return 2;
  }
  const { values, positionals } = parsed;
  const [command, ...rest] = positionals;
  if (values.version) {
    out(`rnn-workbench ${APP_VERSION}\nengine ${ENGINE_VERSION}, ${describeKernels()}\n`);
    return 0;
  }
  if (values.help || !command) {
    out(`${USAGE}\n`);
    return command || values.help ? 0 : 2;
  }
  const json = values.json ?? false;
  let wb: Workbench | null = null;
  const call = async <K extends ApiChannel>(channel: K, args: ApiCalls[K]['args']): Promise<ApiCalls[K]['result']> => {
    const r = await invoke(wb!.handlers, channel, args);
    if (!r.ok) throw new CallError(r.error.code, r.error.message);
    return r.value as ApiCalls[K]['result'];
  };
  const runId = (): number => {
    const v = rest[0];
    if (v === undefined) throw new UsageError(`${command}: which run? (give its id; \`rnn-workbench list\` shows them)`);
    const id = Number(v);
    if (!Number.isInteger(id) || id <= 0) throw new UsageError(`${command}: "${v}" is not a run id`);
    return id;
  };
  try {
    if (!['train', 'list', 'show', 'resume', 'stop', 'fork', 'delete', 'gradcheck', 'serve', 'export', 'import', 'sweep'].includes(command))
      throw new UsageError(`unknown command "${command}"`);
    wb = openWorkbench({
      databasePath: values.db ?? defaultDatabasePath(),
      readOnly: READ_ONLY_COMMANDS.includes(command) || (command === 'sweep' && READ_ONLY_SWEEP_COMMANDS.includes(rest[0])),
      maxConcurrent: command === 'sweep' ? sweepParallel(values as SweepFlags) : undefined,
      ownerLabel: `rnn-workbench ${command}`,
    });
    const tty = !json && process.stdout.isTTY === true;
    const watch = async (run: RunSummary | RunRecord, total: number): Promise<number> => {
      if (!json) out(`run ${run.id} "${terminalText(run.name)}" in ${terminalText(wb!.databasePath)}\n`);
      const { run: end, signal } = await follow(wb!.manager, run.id, {
        json,
        tty,
        write: out,
        totalSteps: total,
        columns: () => process.stdout.columns,
      });
      if (!json)
        out(
          `run ${end.id} ${end.status} at step ${end.lastStep ?? 0}; best validation loss ${fmt(end.bestValidationLoss)}${end.endMessage ? `\n${terminalText(end.endMessage, { multiline: true })}` : ''}\n`,
        );
      if (signal && end.status === 'stopped') return exitCodeOf(signal);
      return end.status === 'completed' || end.status === 'stopped' ? 0 : 1;
    };
    switch (command) {
      case 'train': {
        const run = await call('runs:create', {
          config: configFromFlags(values as ConfigFlags),
          name: values.name ?? null,
          tags: [],
          notes: '',
          start: false,
        });
        const started = watch(run, run.config.training.steps);
        await call('runs:start', { id: run.id });
        return await started;
      }
      case 'list': {
        const runs = await call('runs:list', null);
        if (json) out(jsonLine(runs));
        else out(table(runs) + '\n');
        return 0;
      }
      case 'show': {
        const run = await call('runs:get', { id: runId() });
        const snapshots = await call('snapshots:list', { id: run.id });
        if (json) out(jsonLine({ ...run, snapshots }));
        else
          out(
            describe(
              run,
              snapshots.map((s) => s.step),
            ) + '\n',
          );
        return 0;
      }
      case 'resume': {
        const id = runId();
        const steps = values.steps === undefined ? null : Number(values.steps);
        const before = await call('runs:get', { id });
        const total = steps ?? before.config.training.steps;
        const started = watch(before, total);
        await call('runs:resume', { id, steps });
        return await started;
      }
      case 'fork': {
        const id = runId();
        const src = await call('runs:get', { id });
        const flags = values as ConfigFlags;
        const changed = Object.keys(CONFIG_FLAGS).some((k) => flags[k as keyof ConfigFlags] !== undefined);
        const config = changed ? mergeOver(src.config, configFromFlags(flags)) : null;
        const at = values.at === undefined ? null : Number(values.at);
        if (at !== null && (!Number.isInteger(at) || at < 0)) throw new UsageError(`--at: "${values.at}" is not a step`);
        const run = await call('runs:fork', { id, step: at, config, name: values.name ?? null, start: false });
        const started = watch(run, run.config.training.steps);
        await call('runs:start', { id: run.id });
        return await started;
      }
      case 'stop': {
        // the run may be trained by another process (the app, serve, another terminal): its owner is asked
        const run = await call('runs:stop', { id: runId() });
        if (json) out(JSON.stringify(run) + '\n');
        else out(`run ${run.id} ${run.status} at step ${run.lastStep ?? 0}\n`);
        return 0;
      }
      case 'delete': {
        const id = runId();
        await call('runs:delete', { id });
        if (!json) out(`deleted run ${id}\n`);
        return 0;
      }
      case 'serve': {
        const port = values.port === undefined ? 0 : Number(values.port);
        if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port: "${values.port}" is not a port`);
        return await serve(wb, port, out);
      }
      case 'export':
        return await exportCommand(wb, runId(), values as TransferFlags, out);
      case 'import':
        return await importCommand(wb, call, rest[0], values as TransferFlags, out, async (run) => {
          const started = watch(run, run.config.training.steps);
          await call('runs:start', { id: run.id });
          return await started;
        });
      case 'sweep':
        return await sweepCommand(wb, rest, values as SweepFlags, { out, tty, columns: () => process.stdout.columns });
      case 'gradcheck': {
        const report = await gradcheck(wb, rest[0] === undefined ? null : runId(), values as ConfigFlags, call);
        if (json) out(jsonLine(report));
        else out(gradcheckTable(report) + '\n');
        return report.worst <= 1e-6 ? 0 : 1;
      }
    }
    return 2;
  } catch (e) {
    if (e instanceof UsageError) {
      err(`${e.message}\n\n${USAGE}\n`);
      return 2;
    }
    if (e instanceof ApiError) {
      err(`error: ${e.message}\n`);
      return 2;
    }
    if (e instanceof CallError) {
      err(`error: ${e.message}\n`);
      return e.code === 'internal' || e.code === 'worker-exited' ? 1 : 2;
    }
    err(`error: ${(e as Error).message}\n`);
    return e instanceof Error && e.name === 'StoreError' ? 2 : 1;
  } finally {
    await wb?.close();
  }
}

class CallError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** Flags override the source run's config field by field. */
function mergeOver(base: unknown, over: unknown): unknown {
  if (typeof base !== 'object' || base === null || typeof over !== 'object' || over === null || Array.isArray(over)) return over;
  const out: Record<string, unknown> = { ...(base as Record<string, unknown>) };
  for (const [k, v] of Object.entries(over)) out[k] = k === 'method' || k === 'optimizer' ? v : mergeOver(out[k], v);
  return out;
}

async function gradcheck(
  wb: Workbench,
  id: number | null,
  flags: ConfigFlags,
  call: <K extends ApiChannel>(c: K, a: ApiCalls[K]['args']) => Promise<ApiCalls[K]['result']>,
): Promise<StoredGradCheck | ApiCalls['gradcheck:run']['result']> {
  if (id !== null) return call('gradcheck:run', { id, step: null });
  // Without a run: check the gradients of a fresh model from the flags, in a throwaway run.
  const run = await call('runs:create', {
    config: configFromFlags(flags),
    name: 'gradient check',
    tags: ['gradcheck'],
    notes: '',
    start: false,
  });
  try {
    return await call('gradcheck:run', { id: run.id, step: null });
  } finally {
    await wb.manager.delete(run.id);
  }
}

function table(runs: RunSummary[]): string {
  if (runs.length === 0) return 'no runs yet: try `rnn-workbench train`';
  const rows = runs.map((r) =>
    [
      String(r.id),
      r.name,
      r.status,
      r.taskKind,
      r.methodKind,
      String(r.lastStep ?? 0),
      fmt(r.bestValidationLoss),
      new Date(r.createdAt).toISOString().slice(0, 16).replace('T', ' '),
    ].map((c) => terminalText(c)),
  );
  const head = ['id', 'name', 'status', 'task', 'method', 'step', 'best val', 'created'];
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

function describe(r: RunRecord, snapshots: number[]): string {
  const c = r.config;
  const method = c.method.kind === 'tbptt' ? `tbptt (k=${c.method.k})` : c.method.kind;
  return [
    `run ${r.id}: ${r.name}`,
    `  status      ${r.status}${r.endMessage ? ` — ${r.endMessage}` : ''}`,
    `  task        ${c.task.kind} (${c.task.kind === 'copy' ? `${c.task.symbols} symbols, length ${c.task.length}, delay ${c.task.delay}` : `T=${c.task.T}`})`,
    `  model       d=${c.model.hidden} ${c.model.activation}, biases ${c.model.hiddenBias ? 'b' : '-'}${c.model.outputBias ? 'c' : '-'}, init ${c.model.init}`,
    `  method      ${method}, ${c.training.optimizer.kind} lr=${c.training.lr}, batch ${c.training.batchSize}, ${c.dtype}, seed ${c.seed}`,
    `  progress    step ${r.lastStep ?? 0} of ${c.training.steps}; best validation loss ${fmt(r.bestValidationLoss)}`,
    `  snapshots   ${snapshots.length ? snapshots.join(', ') : 'none'}`,
    `  parent      ${r.parentRunId === null ? '—' : `run ${r.parentRunId} at step ${r.parentStep}`}`,
    `  created     ${new Date(r.createdAt).toISOString()}   engine ${r.engineVersion ?? '—'}   app ${r.appVersion}`,
    ...(r.tags.length ? [`  tags        ${r.tags.join(', ')}`] : []),
    ...(r.notes ? [`  notes       ${r.notes}`] : []),
  ]
    .map((line) => terminalText(line))
    .join('\n');
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
