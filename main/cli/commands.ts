// The CLI's commands, one entry each: name, summary, usage, flags with
// their descriptions, examples and handler. The parser, `--help`, each
// command's help, the usage line after a mistake and docs/cli.md are all
// made from this table, so a new command is one more entry.

import { groupDigits } from '../../common/format';
import { rendererDir, serve } from '../serve/command';
import { UsageError, type Flag } from './args';
import { DB_FLAG, JSON_FLAG, NAME_FLAG, type Command } from './command';
import { CONFIG_FLAGS } from './config-flags';
import { fork, gradcheck, resume, startAndWatch, train } from './run-commands';
import { describeRun, runTable, trainingMs } from './run-text';
import { jsonLine } from './terminal-text';
import { SWEEP_COMMAND } from './sweep-commands';
import { PREDICT_DETAILS, PREDICT_FLAGS, predictCommand } from './predict-command';
import { INSPECT_DETAILS, INSPECT_FLAGS, inspectCommand, type InspectFlags } from './inspect-command';
import { SAMPLE_DETAILS, SAMPLE_FLAGS, sampleCommand, type SampleFlags } from './sample-command';
import { EXPORT_FLAGS, exportCommand, IMPORT_FLAGS, importCommand, type TransferFlags } from './transfer-commands';

const RUN_FLAGS: readonly Flag[] = [...CONFIG_FLAGS, NAME_FLAG, DB_FLAG, JSON_FLAG];
const ESTIMATE_FLAG: Flag = {
  name: 'estimate',
  type: 'boolean',
  description:
    "print the run's cost (memory, and its time from its first steps timed on this machine, up to 3 s) and exit without training",
};

export const COMMANDS: readonly Command[] = [
  {
    name: 'train',
    summary: 'create a run and train it',
    usage: '[--config FILE] [flags]',
    details:
      'Prints a progress line (one line, redrawn; a line every tenth of the run when the output is not a terminal).\n' +
      'Ctrl-C stops the run cleanly with a final snapshot (exit 130); `resume` carries it on.',
    flags: [...RUN_FLAGS, ESTIMATE_FLAG],
    examples: [
      { command: 'rnn-workbench train --task sine --method rtrl --hidden 16 --steps 2000', does: 'exact RTRL on the sine task' },
      {
        command: 'rnn-workbench train --method rtrl-fast --hidden 64 --steps 5000 --estimate',
        does: 'how long it would take, without training',
      },
      { command: 'rnn-workbench train --task text --data corpus.txt --method tbptt --truncation 25', does: 'characters, cross-entropy' },
      { command: 'rnn-workbench train --task csv --data prices.csv --method bptt --T 50', does: 'predict the next row of a table' },
      { command: 'rnn-workbench train --config run.json --lr 0.01 --json', does: 'a config file with one field changed, JSON lines out' },
    ],
    database: 'write',
    run: train,
  },
  {
    name: 'list',
    summary: 'the runs in the database, newest first',
    usage: '',
    details: 'Columns: id, name, status, health, task, method, last step, best validation loss, training time, creation time (UTC).',
    flags: [DB_FLAG, JSON_FLAG],
    examples: [{ command: 'rnn-workbench list', does: 'every run' }],
    database: 'read',
    run: async ({ call, wb, json, out }) => {
      const runs = await call('runs:list', null);
      if (json) out(jsonLine(runs.map((r) => ({ ...r, trainingMs: trainingMs(wb.store, r) }))));
      else out(runTable(runs, (r) => trainingMs(wb.store, r)) + '\n');
      return 0;
    },
  },
  {
    name: 'show',
    summary: 'one run in detail: config, progress, training time, snapshots',
    usage: '<run>',
    flags: [DB_FLAG, JSON_FLAG],
    examples: [{ command: 'rnn-workbench show 3', does: 'run 3' }],
    database: 'read',
    run: async ({ call, wb, json, out, runId }) => {
      const run = await call('runs:get', { id: runId() });
      const snapshots = await call('snapshots:list', { id: run.id });
      const ms = trainingMs(wb.store, run);
      if (json) out(jsonLine({ ...run, trainingMs: ms, snapshots }));
      else
        out(
          describeRun(
            run,
            snapshots.map((s) => s.step),
            ms,
          ) + '\n',
        );
      return 0;
    },
  },
  {
    name: 'resume',
    summary: 'continue a paused or ended run as the same run, from its latest snapshot',
    usage: '<run> [--steps N]',
    details:
      'A paused run carries on; a stopped, interrupted, crashed, failed, diverged or completed one restarts from its latest\n' +
      'snapshot (the steps after it are trained again, to the same bits).',
    flags: [
      {
        name: 'steps',
        type: 'string',
        value: 'N',
        description: "the run's new total number of steps (not steps added): --steps 30000 trains a run at 12000 up to 30000",
      },
      DB_FLAG,
      JSON_FLAG,
    ],
    examples: [
      { command: 'rnn-workbench resume 3', does: 'carry run 3 on to its planned total' },
      { command: 'rnn-workbench resume 3 --steps 30000', does: 'train run 3 until step 30,000 in all' },
    ],
    database: 'write',
    run: resume,
  },
  {
    name: 'stop',
    summary: 'stop a run cleanly, whichever process trains it (the app, serve, another terminal)',
    usage: '<run>',
    flags: [DB_FLAG, JSON_FLAG],
    examples: [{ command: 'rnn-workbench stop 3', does: 'stop run 3 with a final snapshot' }],
    database: 'write',
    run: async ({ call, json, out, runId }) => {
      const run = await call('runs:stop', { id: runId() });
      if (json) out(jsonLine(run));
      else out(`run ${run.id} ${run.status} at step ${groupDigits(run.lastStep ?? 0)}\n`);
      return 0;
    },
  },
  {
    name: 'fork',
    summary: 'a new run from a snapshot of another, with changed settings',
    usage: '<run> [--at STEP] [flags]',
    details:
      "The new run starts from the snapshot's weights (and optimizer state, when the optimizer is unchanged); config flags\n" +
      "override the source run's config field by field. The model's shape cannot change.",
    flags: [
      {
        name: 'at',
        type: 'string',
        value: 'STEP',
        description: 'the snapshot to start from, exactly (default: the latest); `show` lists them',
      },
      ...RUN_FLAGS,
    ],
    examples: [
      { command: 'rnn-workbench fork 3 --at 1000 --lr 0.001 --steps 4000', does: 'run 3 from step 1,000 with a lower learning rate' },
      { command: 'rnn-workbench fork 3 --optimizer sgd', does: 'from the latest snapshot, with plain SGD' },
    ],
    database: 'write',
    run: fork,
  },
  {
    name: 'delete',
    summary: 'delete a run and everything stored for it',
    usage: '<run>',
    flags: [DB_FLAG, JSON_FLAG],
    examples: [{ command: 'rnn-workbench delete 3', does: 'run 3, its metrics and its snapshots' }],
    database: 'write',
    run: async ({ call, json, out, runId }) => {
      const id = runId();
      await call('runs:delete', { id });
      if (!json) out(`deleted run ${id}\n`);
      return 0;
    },
  },
  {
    name: 'gradcheck',
    summary: 'RTRL vs BPTT vs central finite differences, matrix by matrix',
    usage: '[<run>] [flags]',
    details:
      'With a run: at its latest snapshot. Without: a fresh model from the config flags. Exit 1 when the worst relative error exceeds 1e-6.',
    flags: [...CONFIG_FLAGS, DB_FLAG, JSON_FLAG],
    examples: [
      { command: 'rnn-workbench gradcheck 3', does: "check run 3's gradients" },
      { command: 'rnn-workbench gradcheck --hidden 8 --activation relu', does: 'a fresh model' },
    ],
    database: 'write',
    run: gradcheck,
  },
  {
    name: 'inspect',
    summary: 'the gradient lab: spectrum, flow, fixed points, replay',
    usage: '<run> [--at STEP] [--referee | --replay STEP]',
    details: INSPECT_DETAILS,
    flags: [...INSPECT_FLAGS, DB_FLAG, JSON_FLAG],
    examples: [
      { command: 'rnn-workbench inspect 3', does: "run 3's latest snapshot: spectrum, flow, Jacobian norms, fixed points" },
      { command: 'rnn-workbench inspect 3 --at 1000 --referee', does: 'every gradient method side by side at step 1,000' },
      { command: 'rnn-workbench inspect 3 --replay 1234 --json', does: 'recompute step 1,234 and compare it bit for bit' },
    ],
    database: 'read',
    run: ({ wb, call, runId, values, out }) => inspectCommand(wb, call, runId(), values as InspectFlags, out),
  },
  {
    name: 'sample',
    summary: "text generated from a text run's weights",
    usage: '<run> [--at STEP] [--length N] [--temperature T] [--seed S]',
    details: SAMPLE_DETAILS,
    flags: [...SAMPLE_FLAGS, DB_FLAG, JSON_FLAG],
    examples: [
      { command: 'rnn-workbench sample 3', does: "200 characters from run 3's latest snapshot" },
      { command: 'rnn-workbench sample 3 --at 500 --length 1000 --temperature 0.5 --seed 7', does: 'a surer sample from step 500' },
    ],
    database: 'read',
    run: ({ call, runId, values, out }) => sampleCommand(call, runId(), values as SampleFlags, out),
  },
  {
    name: 'export',
    summary: "a snapshot's weights, the metrics, or the whole run as an archive",
    usage: '<run> --format F [--step N] [--out PATH]',
    flags: [...EXPORT_FLAGS, DB_FLAG, JSON_FLAG],
    examples: [
      { command: 'rnn-workbench export 3 --format npz', does: 'the latest weights for NumPy' },
      {
        command: 'rnn-workbench export 3 --format pytorch',
        does: "a state dict for torch.nn.RNN + torch.nn.Linear (the file's metadata holds the module)",
      },
      { command: 'rnn-workbench export 3 --format archive --out run3.rnnrun', does: 'everything, to import elsewhere' },
      { command: 'rnn-workbench export 3 --format metrics-csv', does: "every step's metrics" },
    ],
    database: 'read',
    run: ({ wb, runId, values, out }) => exportCommand(wb, runId(), values as TransferFlags, out),
  },
  {
    name: 'import',
    summary: 'a new run from weights (.json .npz .safetensors .onnx), or a run archive',
    usage: '<file> [--config FILE] [flags] [--name NAME] [--start]',
    details: 'Config flags change the config the weights file carries; a file without one needs --config or flags.',
    flags: [...IMPORT_FLAGS, ...RUN_FLAGS],
    examples: [
      { command: 'rnn-workbench import weights.npz --steps 5000 --start', does: 'train exported weights further' },
      { command: 'rnn-workbench import run3.rnnrun', does: 'a whole run from another database' },
    ],
    database: 'write',
    run: (ctx) =>
      importCommand(ctx.wb, ctx.call, ctx.positionals[0], ctx.values as TransferFlags, ctx.out, (run) => startAndWatch(ctx, run)),
  },
  {
    name: 'predict',
    summary: 'a snapshot on new data: predictions (and the loss, given targets) as CSV',
    usage: '<run> [--at STEP] --input FILE.csv [--out FILE.csv]',
    details: PREDICT_DETAILS,
    flags: [...PREDICT_FLAGS, DB_FLAG, JSON_FLAG],
    examples: [
      { command: 'rnn-workbench predict 3 --input next-week.csv', does: "run 3's latest snapshot on new rows, CSV to stdout" },
      {
        command: 'rnn-workbench predict 3 --at 1000 --input data.csv --out predictions.csv',
        does: 'the snapshot at step 1,000, to a file',
      },
    ],
    database: 'read',
    run: predictCommand,
  },
  SWEEP_COMMAND,
  {
    name: 'serve',
    summary: 'the app in a browser, on 127.0.0.1 with a random token (needs `npm run build` first)',
    usage: '[--port N]',
    details: 'Serves the built renderer (out/renderer: `npm run build` writes it) until Ctrl-C, which stops training runs cleanly.',
    flags: [{ name: 'port', type: 'string', value: 'N', description: 'the port (default: a free one)' }, DB_FLAG],
    examples: [{ command: 'npm run build && rnn-workbench serve --port 8080', does: 'build the app once, then serve it' }],
    database: 'write',
    precheck: (values) => {
      port(values.port as string | undefined);
      rendererDir(); // before the database is opened (or created)
    },
    run: ({ wb, values, out }) => serve(wb, port(values.port as string | undefined), out),
  },
];

function port(raw: string | undefined): number {
  const p = raw === undefined ? 0 : Number(raw);
  if (!Number.isInteger(p) || p < 0 || p > 65535) throw new UsageError(`serve: --port "${raw}" is not a port`, 'serve');
  return p;
}
