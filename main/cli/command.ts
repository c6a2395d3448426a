// What a CLI command is: one entry of the commands table (commands.ts),
// from which the argument parser, the help, the usage lines and the CLI
// reference (docs/cli.md) are all made.

import type { ApiCalls, ApiChannel } from '../../common/contract';
import type { Workbench } from '../workbench';
import type { Flag, FlagValues } from './args';

export type Call = <K extends ApiChannel>(channel: K, args: ApiCalls[K]['args']) => Promise<ApiCalls[K]['result']>;

/** What a command's handler gets: its flags and arguments, and the open workbench. */
export interface Context {
  values: FlagValues;
  /** The arguments after the command's name. */
  positionals: string[];
  wb: Workbench;
  call: Call;
  out: (s: string) => void;
  /** Messages beside the output (stderr), for a command whose output is data. */
  err: (s: string) => void;
  json: boolean;
  /** The run id in the first argument, or a usage error naming the command. */
  runId(): number;
}

export interface Command {
  name: string;
  /** One line: what it does. */
  summary: string;
  /** What follows the name in the usage line: `<run> [--steps N]`. */
  usage: string;
  /** More about it, for its help (plain text, wrapped as written). */
  details?: string;
  flags: readonly Flag[];
  /** Whole command lines, each shown with a comment saying what it does. */
  examples: readonly { command: string; does: string }[];
  /** How it opens the database: 'read' never creates or changes one (per subcommand, for a command that has them). */
  database: 'read' | 'write' | ((positionals: readonly string[]) => 'read' | 'write');
  /** How many runs this process's run manager trains at once (default: one per core but one). */
  maxConcurrent?: (values: FlagValues) => number;
  /** Checks that need no database, run before it is opened (a usage error or a missing build). */
  precheck?: (values: FlagValues) => void;
  run(ctx: Context): Promise<number>;
}

export const DB_FLAG: Flag = {
  name: 'db',
  type: 'string',
  value: 'FILE',
  description: "the database (default: $RNN_WORKBENCH_DB, else the app's, ~/.config/RNN Workbench/workbench.db on Linux)",
};
export const JSON_FLAG: Flag = { name: 'json', type: 'boolean', description: 'machine-readable output: JSON (JSON lines while training)' };
export const HELP_FLAG: Flag = { name: 'help', short: 'h', type: 'boolean', description: "this command's help" };
export const NAME_FLAG: Flag = {
  name: 'name',
  type: 'string',
  value: 'NAME',
  description: "the new run's name (default: made from its config)",
};
