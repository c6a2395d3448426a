// `rnn-workbench`: the headless CLI. It runs the same engine into the same
// database as the desktop app, through the same API handlers (so a bad
// argument gets the same message). The commands are a table (commands.ts).
// Exit codes: 0 success, 1 the run or check failed, 2 bad usage, config,
// run id or database file.

import type { ApiCalls, ApiChannel } from '../../common/contract';
import { invoke } from '../api/handlers';
import { ApiError } from '../runs/errors';
import { defaultDatabasePath } from '../paths';
import { APP_VERSION } from '../version';
import { versionText } from '../../native-worker/engine-api';
import { openWorkbench, type Workbench } from '../workbench';
import { nearest, parseFlags, UsageError } from './args';
import { HELP_FLAG } from './command';
import { watchOutput } from './interrupt';
import { COMMANDS } from './commands';
import { commandHelp, generalHelp, usageHint } from './help';
import { terminalText } from './terminal-text';

export async function main(
  argv: string[],
  out: (s: string) => void = stdout,
  writeErr: (s: string) => void = (s) => process.stderr.write(s),
): Promise<number> {
  // Messages quote names, paths and arguments: shown with their control characters escaped.
  const err = (s: string) => writeErr(terminalText(s, { multiline: true }));
  const at = commandIndex(argv);
  const name = at < 0 ? undefined : argv[at];
  const flagsOf = (n: string) => COMMANDS.find((c) => c.name === n)?.flags ?? [];
  if (name === undefined || name === 'help') {
    const topic = name === 'help' ? argv[at + 1] : undefined;
    const c = COMMANDS.find((x) => x.name === topic);
    if (argv.includes('--version')) {
      out(await versionText(APP_VERSION));
      return 0;
    }
    if (topic !== undefined && !c) return usage(err, new UsageError(unknownCommand(topic)));
    out(`${c ? commandHelp(c) : generalHelp(COMMANDS)}\n`);
    return name || argv.includes('--help') || argv.includes('-h') ? 0 : 2;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) return usage(err, new UsageError(unknownCommand(name)));
  let wb: Workbench | null = null;
  try {
    const { values, positionals } = parseFlags(name, [...argv.slice(0, at), ...argv.slice(at + 1)], [...command.flags, HELP_FLAG], (f) =>
      COMMANDS.filter((c) => c.name !== name && flagsOf(c.name).some((x) => x.name === f)).map((c) => c.name),
    );
    if (values.help) {
      out(`${commandHelp(command)}\n`);
      return 0;
    }
    command.precheck?.(values);
    const open = openWorkbench({
      databasePath: (values.db as string | undefined) ?? defaultDatabasePath(),
      readOnly: (typeof command.database === 'function' ? command.database(positionals) : command.database) === 'read',
      maxConcurrent: command.maxConcurrent?.(values),
      ownerLabel: `rnn-workbench ${name}`,
    });
    wb = open;
    return await command.run({
      values,
      positionals,
      wb: open,
      out,
      err,
      json: values.json === true,
      call: async <K extends ApiChannel>(channel: K, args: ApiCalls[K]['args']): Promise<ApiCalls[K]['result']> => {
        const r = await invoke(open.handlers, channel, args);
        if (!r.ok) throw new CallError(r.error.code, r.error.message);
        return r.value as ApiCalls[K]['result'];
      },
      runId: () => {
        const v = positionals[0];
        if (v === undefined) throw new UsageError(`${name}: which run? (give its id; \`rnn-workbench list\` shows them)`, name);
        const id = Number(v);
        if (!Number.isInteger(id) || id <= 0) throw new UsageError(`${name}: "${v}" is not a run id`, name);
        return id;
      },
    });
  } catch (e) {
    if (e instanceof UsageError) return usage(err, e);
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

let outputOpen: (() => boolean) | undefined;
/** The process's stdout; once its reader has gone (EPIPE), output is dropped and training commands stop their runs. */
function stdout(s: string): void {
  outputOpen ??= watchOutput(process.stdout);
  if (outputOpen()) process.stdout.write(s);
}

/** Where the command's name is: the first argument that is neither a flag nor a flag's value (`--db FILE list`). */
function commandIndex(argv: string[]): number {
  const takesValue = new Set(
    COMMANDS.flatMap((c) => c.flags)
      .filter((f) => f.type === 'string')
      .flatMap((f) => [`--${f.name}`, ...(f.short ? [`-${f.short}`] : [])]),
  );
  for (let i = 0; i < argv.length; i++) {
    if (!argv[i].startsWith('-')) return i;
    if (takesValue.has(argv[i])) i++;
  }
  return -1;
}

function unknownCommand(name: string): string {
  const guess = nearest(
    name,
    COMMANDS.map((c) => c.name),
  );
  return `unknown command "${name}"${guess ? `; did you mean ${guess}?` : ''}`;
}

function usage(err: (s: string) => void, e: UsageError): number {
  err(`${e.message}\n${usageHint(COMMANDS.find((c) => c.name === e.command))}\n`);
  return 2;
}

class CallError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}
