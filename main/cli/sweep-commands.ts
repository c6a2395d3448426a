// `rnn-workbench sweep …`: many runs from one spec (main/sweeps/). A sweep
// trains through this process's run manager, `--parallel N` runs at once
// (default: cores − 1), with one progress line; Ctrl-C stops its runs
// cleanly and `sweep resume` carries on without redoing finished trials.

import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { ApiError } from '../runs/errors';
import type { TrialRow } from '../store/sweeps';
import { collectSweep, submitSweep, sweepStatus } from '../sweeps/cluster';
import { slurm } from '../sweeps/slurm';
import { createSweep, SweepRunner, sweepProgress, type SweepProgress } from '../sweeps/runner';
import { deleteSweep } from '../sweeps/service';
import { SweepSpecError } from '../sweeps/spec';
import type { Workbench } from '../workbench';
import { exitCodeOf, fmt } from './follow';
import type { Flag } from './args';
import { DB_FLAG, JSON_FLAG, type Command } from './command';
import { jsonLine, terminalText } from './terminal-text';

export const SWEEP_FLAGS: readonly Flag[] = [
  { name: 'parallel', type: 'string', value: 'N', description: 'trials trained at once (default: one per core but one)' },
  { name: 'with-runs', type: 'boolean', description: "delete: the trials' runs too (default: they stay, as ordinary runs)" },
  { name: 'slurm', type: 'boolean', description: 'run: submit the trials as a Slurm job array instead of training them here' },
  {
    name: 'workdir',
    type: 'string',
    value: 'DIR',
    description: 'with --slurm: the shared folder for the trials (default rnn-workbench-sweeps)',
  },
  { name: 'sbatch', type: 'string', value: 'ARG', multiple: true, description: 'with --slurm: an argument for sbatch (repeat for more)' },
];

export interface SweepFlags {
  parallel?: string;
  'with-runs'?: boolean;
  json?: boolean;
  slurm?: boolean;
  workdir?: string;
  sbatch?: string[];
}

/** The sweep subcommands that only read. */
export const READ_ONLY_SWEEP_COMMANDS = ['list', 'show'];

/** How many trials train at once: --parallel N, else one core per trial and one for this process. */
export function sweepParallel(f: SweepFlags): number {
  if (f.parallel === undefined) return Math.max(1, availableParallelism() - 1);
  const n = Number(f.parallel);
  if (!Number.isInteger(n) || n < 1 || n > 256)
    throw new ApiError('invalid-argument', `--parallel: "${f.parallel}" is not a number from 1 to 256`);
  return n;
}

export interface SweepIo {
  out: (s: string) => void;
  tty: boolean;
  columns: () => number | undefined;
}

export async function sweepCommand(wb: Workbench, args: string[], f: SweepFlags, io: SweepIo): Promise<number> {
  const [sub, arg] = args;
  const json = f.json ?? false;
  switch (sub) {
    case 'run': {
      const spec = readSpec(arg);
      let id: number;
      try {
        id = createSweep(wb.store, spec);
      } catch (e) {
        if (!(e instanceof SweepSpecError)) throw e;
        throw new ApiError('invalid-argument', e.issues.map((i) => `${arg}: ${i.field}: ${i.message}`).join('\n'));
      }
      if (!f.slurm) return follow(wb, id, json, io);
      const sent = submitSweep(wb, id, {
        workdir: f.workdir ?? 'rnn-workbench-sweeps',
        scheduler: slurm,
        args: f.sbatch ?? [],
        cli: [process.execPath, process.argv[1]],
      });
      if (json) io.out(jsonLine({ sweep: id, ...sent }));
      else
        io.out(
          terminalText(`sweep ${id}: ${sent.trials.length} trials submitted as Slurm job ${sent.job}, working in ${sent.dir}`) +
            `\n\`rnn-workbench sweep status ${id}\` follows it; \`rnn-workbench sweep collect ${id}\` imports the finished trials\n`,
        );
      return 0;
    }
    case 'status': {
      const st = sweepStatus(wb, sweepId(wb, arg), slurm);
      if (json) io.out(jsonLine(st));
      else {
        io.out(terminalText(`Slurm job ${st.job} in ${st.dir}`) + '\n');
        for (const t of st.trials)
          io.out(
            terminalText(
              `trial ${t.trial}  ${t.state}${t.host ? ` on ${t.host}` : ''}  step ${t.step ?? 0}/${t.totalSteps ?? '?'}  best val ${fmt(t.bestValidationLoss)}`,
            ) + '\n',
          );
      }
      return 0;
    }
    case 'collect': {
      const id = sweepId(wb, arg);
      const got = await collectSweep(wb, id, slurm);
      const left = wb.store.sweeps.trials(id).filter((t) => t.outcome === null).length;
      if (json) io.out(jsonLine({ sweep: id, collected: got, open: left }));
      else io.out(`sweep ${id}: collected ${got.length} trials${got.length ? ` (${got.join(', ')})` : ''}; ${left} still open\n`);
      return 0;
    }
    case 'resume':
      return follow(wb, sweepId(wb, arg), json, io);
    case 'list': {
      const sweeps = wb.store.sweeps.list();
      if (json) io.out(jsonLine(sweeps));
      else if (sweeps.length === 0) io.out('no sweeps yet: try `rnn-workbench sweep run SPEC.json`\n');
      else
        for (const s of sweeps)
          io.out(
            terminalText(
              `${s.id}  ${s.name}  ${s.trials} trials: ${s.completed} completed, ${s.stoppedEarly} stopped early, ${s.failed} failed`,
            ) + '\n',
          );
      return 0;
    }
    case 'show': {
      const id = sweepId(wb, arg);
      const shown = showSweep(wb, id);
      if (json) io.out(jsonLine(shown));
      else io.out(describeSweep(shown, sweepProgress(wb.store, id)) + '\n');
      return 0;
    }
    case 'delete': {
      const id = sweepId(wb, arg);
      const runs = await deleteSweep(wb, id, f['with-runs'] === true);
      if (!json)
        io.out(
          `deleted sweep ${id}${f['with-runs'] ? ` and its ${runs} runs` : runs ? `; its ${runs} runs are kept (--with-runs deletes them)` : ''}\n`,
        );
      return 0;
    }
    default:
      throw new ApiError(
        'invalid-argument',
        `sweep: ${sub === undefined ? 'which command?' : `unknown command "${sub}"`} (run, resume, list, show, delete, status, collect)`,
      );
  }
}

function readSpec(file: string | undefined): unknown {
  if (file === undefined) throw new ApiError('invalid-argument', 'sweep run: which spec? (give a JSON file)');
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new ApiError('invalid-argument', `${file}: cannot read it (${(e as Error).message})`);
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new ApiError('invalid-argument', `${file}: not JSON (${(e as Error).message})`);
  }
}

function sweepId(wb: Workbench, v: string | undefined): number {
  if (v === undefined) throw new ApiError('invalid-argument', 'which sweep? (give its id; `rnn-workbench sweep list` shows them)');
  const id = Number(v);
  if (!Number.isInteger(id) || id <= 0) throw new ApiError('invalid-argument', `"${v}" is not a sweep id`);
  if (!wb.store.sweeps.get(id)) throw new ApiError('no-such-sweep', `sweep ${id} does not exist`);
  return id;
}

/** `sweep show --json`: the sweep and each trial's run, parameters, status and best validation loss. */
function showSweep(wb: Workbench, id: number) {
  const sweep = wb.store.sweeps.get(id)!;
  return {
    id,
    name: sweep.name,
    spec: sweep.spec,
    trials: wb.store.sweeps.trials(id).map((t) => {
      const run = t.runId === null ? null : wb.store.getSummary(t.runId);
      return {
        trial: t.trial,
        run: t.runId,
        params: t.params,
        seed: t.seed,
        status: t.outcome ?? run?.status ?? 'pending',
        reason: t.reason,
        steps: run?.lastStep ?? null,
        bestValidationLoss: run?.bestValidationLoss ?? null,
      };
    }),
  };
}

function describeSweep(s: ReturnType<typeof showSweep>, p: SweepProgress): string {
  const head = `sweep ${s.id}: ${s.name}\n  ${progressText(p)}`;
  const rows = s.trials.map((t) =>
    [
      String(t.trial),
      t.run === null ? '—' : String(t.run),
      t.status,
      String(t.steps ?? 0),
      fmt(t.bestValidationLoss),
      Object.entries(t.params)
        .map(([k, v]) => `${k}=${typeof v === 'number' ? fmt(v) : JSON.stringify(v)}`)
        .concat(t.seed === null ? [] : [`seed=${t.seed}`])
        .join(' '),
    ].map((c) => terminalText(c)),
  );
  const cols = ['trial', 'run', 'status', 'step', 'best val', 'parameters'];
  const widths = cols.map((c, i) => Math.max(c.length, ...rows.map((r) => r[i].length)));
  const line = (r: string[]) =>
    r
      .map((c, i) => c.padEnd(widths[i]))
      .join('  ')
      .trimEnd();
  return [terminalText(head, { multiline: true }), line(cols), ...rows.map(line)].join('\n');
}

function progressText(p: SweepProgress): string {
  const done = p.completed + p.stoppedEarly + p.failed;
  const best = p.best ? `best ${fmt(p.best.value)} (trial ${p.best.trial}, run ${p.best.runId})` : 'best —';
  return `${done}/${p.total} done · ${p.running} running · ${p.stoppedEarly} stopped early · ${p.failed} failed · ${best}`;
}

/** Train the sweep's open trials with one progress line; Ctrl-C or SIGTERM stops them cleanly. */
async function follow(wb: Workbench, id: number, json: boolean, io: SweepIo): Promise<number> {
  let lastDraw = 0;
  const draw = (force: boolean) => {
    const now = Date.now();
    if (!io.tty || json || (!force && now - lastDraw < 100)) return;
    lastDraw = now;
    const columns = (io.columns() ?? 80) - 1;
    io.out(`\r\x1b[2K${`sweep ${id}: ${progressText(sweepProgress(wb.store, id))}`.slice(0, columns)}`);
  };
  const onTrial = (t: TrialRow | null) => {
    if (t && json) io.out(jsonLine({ type: 'trial', sweep: id, trial: t.trial, run: t.runId, outcome: t.outcome, reason: t.reason }));
    else if (t?.outcome && !io.tty && !json)
      io.out(terminalText(`trial ${t.trial} (run ${t.runId}) ${t.outcome}${t.reason ? `: ${t.reason}` : ''}`) + '\n');
    draw(t !== null);
  };
  const runner = new SweepRunner(wb, id, onTrial);
  if (!json)
    io.out(
      terminalText(`sweep ${id} "${wb.store.sweeps.get(id)!.name}" in ${wb.databasePath}, ${wb.manager.maxConcurrent} at once`) + '\n',
    );
  let signal: 'SIGINT' | 'SIGTERM' | null = null;
  const onSignal = (s: NodeJS.Signals) => {
    signal = s === 'SIGTERM' ? 'SIGTERM' : 'SIGINT';
    if (!json) io.out(`\nstopping sweep ${id}'s runs cleanly (${s === 'SIGINT' ? 'Ctrl-C' : s} again to quit at once)…\n`);
    for (const x of SIGNALS) {
      process.off(x, onSignal);
      process.once(x, () => process.exit(exitCodeOf(signal)));
    }
    void runner.stop();
  };
  for (const s of SIGNALS) process.on(s, onSignal);
  let end: SweepProgress;
  try {
    end = await runner.run();
  } finally {
    for (const s of SIGNALS) process.off(s, onSignal);
  }
  draw(true);
  const open = end.total - end.completed - end.stoppedEarly - end.failed;
  if (json) io.out(jsonLine({ type: 'end', ...end, open }));
  else
    io.out(
      `${io.tty ? '\n' : ''}sweep ${id}: ${progressText(end)}${open ? `\n${open} trials left: \`rnn-workbench sweep resume ${id}\` carries on` : ''}\n`,
    );
  if (signal) return exitCodeOf(signal);
  return open === 0 ? 0 : 1;
}

const SIGNALS = ['SIGINT', 'SIGTERM'] as const;

export const SWEEP_COMMAND: Command = {
  name: 'sweep',
  summary: 'many runs from one spec: grid or random, seeds, ASHA; here or on Slurm',
  usage: 'run SPEC.json | resume | list | show | status | collect | delete <sweep>',
  details:
    'sweep run SPEC.json trains the trials here, --parallel N at once, with one progress line; Ctrl-C stops them cleanly\n' +
    'and sweep resume <sweep> carries on without redoing finished trials. sweep run SPEC.json --slurm writes the trials\n' +
    'and an sbatch --array script into --workdir and submits it; sweep status <sweep> shows the jobs, and\n' +
    "sweep collect <sweep> imports the finished trials as runs of the sweep. sweep delete keeps the trials' runs unless\n" +
    '--with-runs. Trial runs are ordinary runs tagged "sweep N".',
  flags: [...SWEEP_FLAGS, DB_FLAG, JSON_FLAG],
  examples: [
    { command: 'rnn-workbench sweep run lr-sweep.json --parallel 2', does: 'train the trials here, two at a time' },
    { command: 'rnn-workbench sweep resume 1', does: 'carry on sweep 1 after Ctrl-C' },
    { command: 'rnn-workbench sweep run lr-sweep.json --slurm --workdir /shared/sweeps', does: 'as a Slurm job array' },
    { command: 'rnn-workbench sweep collect 1', does: "import sweep 1's finished Slurm trials" },
  ],
  database: (positionals) => (READ_ONLY_SWEEP_COMMANDS.includes(positionals[0]) ? 'read' : 'write'),
  maxConcurrent: (values) => sweepParallel(values as SweepFlags),
  run: ({ wb, positionals, values, out, json }) =>
    sweepCommand(
      wb,
      positionals,
      { ...(values as SweepFlags), json },
      { out, tty: !json && process.stdout.isTTY === true, columns: () => process.stdout.columns },
    ),
};
