// Help made from the commands table: `rnn-workbench --help`, each
// command's `--help`, the usage line printed after a mistake, and the
// Markdown CLI reference (docs/cli.md).

import { APP_VERSION } from '../version';
import { flagSignature, type Flag } from './args';
import { HELP_FLAG, type Command } from './command';
import { CONFIG_FLAGS } from './config-flags';

const WIDTH = 80;
const PROGRAM = 'rnn-workbench';

export const EXIT_CODES =
  'Exit codes: 0 success; 1 the run or check failed; 2 bad usage, config or run id, a run another process trains, or a ' +
  'database file that is missing (for a command that only reads), not a database, or read-only (for one that writes); ' +
  '130 (143) the run was stopped by Ctrl-C (SIGTERM) and can be resumed.';

const GLOBAL_FLAGS: readonly Flag[] = [
  { ...HELP_FLAG, description: `this help; after a command (or as \`${PROGRAM} help <command>\`), that command's help` },
  { name: 'version', type: 'boolean', description: "this version, the engine's, and the kernels it computes with" },
];

/** Words wrapped to `width` columns, every line after the first indented by `indent`. */
function wrap(text: string, width: number, indent: number): string {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    if (line && indent + line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  lines.push(line);
  return lines.join(`\n${' '.repeat(indent)}`);
}

const written = (f: Flag) => `${f.short ? `-${f.short}, ` : ''}${flagSignature(f)}`;

/** Two columns: the flag as written, then what it does, wrapped (under it when the flag is long). */
function flagRows(flags: readonly Flag[]): string[] {
  const col = 24;
  return flags.map((f) => {
    const left = `  ${written(f)}`;
    return left.length < col
      ? `${left.padEnd(col)}${wrap(f.description, WIDTH, col)}`
      : `${left}\n${' '.repeat(col)}${wrap(f.description, WIDTH, col)}`;
  });
}

export function usageLine(c: Command): string {
  return `${PROGRAM} ${c.name}${c.usage ? ` ${c.usage}` : ''}`;
}

/** What follows a usage mistake: the command's usage (or the general one), and where the full help is. */
export function usageHint(c: Command | undefined): string {
  return c
    ? `usage: ${usageLine(c)}   (\`${PROGRAM} ${c.name} --help\`: its flags and examples)`
    : `usage: ${PROGRAM} <command> [flags]   (\`${PROGRAM} --help\`: the commands)`;
}

export function generalHelp(commands: readonly Command[]): string {
  const isConfig = (f: Flag) => CONFIG_FLAGS.some((c) => c.name === f.name);
  const valued = commands.flatMap((c) => c.flags.filter((f) => f.values && !isConfig(f)).map((f) => ({ c, f })));
  return [
    `${PROGRAM} ${APP_VERSION}: train recurrent networks by exact RTRL and BPTT`,
    '',
    `Usage: ${PROGRAM} <command> [arguments] [flags]`,
    '',
    'Commands:',
    ...commands.map((c) => `  ${usageLine(c).slice(PROGRAM.length + 1)}\n      ${wrap(c.summary, WIDTH, 6)}`),
    '',
    'Config flags of train, fork, import and gradcheck (over --config FILE):',
    ...flagRows(CONFIG_FLAGS),
    '',
    'Other flags with a fixed set of values:',
    ...valued.map(({ c, f }) => `  ${wrap(`${c.name} --${f.name}: ${f.values!.join(', ')}`, WIDTH, 4)}`),
    '',
    'Every command takes:',
    ...flagRows([commands.flatMap((c) => c.flags).find((f) => f.name === 'db')!, ...GLOBAL_FLAGS]),
    '',
    wrap(EXIT_CODES, WIDTH, 0),
    '',
    `\`${PROGRAM} <command> --help\` shows a command's flags and examples.`,
  ].join('\n');
}

export function commandHelp(c: Command): string {
  return [
    `${PROGRAM} ${c.name}: ${c.summary}`,
    '',
    `Usage: ${usageLine(c)}`,
    ...(c.details ? ['', ...c.details.split('\n').map((p) => wrap(p, WIDTH, 0))] : []),
    '',
    'Flags:',
    ...flagRows([...c.flags, HELP_FLAG]),
    '',
    'Examples:',
    ...c.examples.map((e) => `  ${e.command}\n      ${e.does}`),
  ].join('\n');
}

const cell = (s: string) => s.replace(/\|/g, '\\|');

/** docs/cli.md: every command, flag and example of the table, in Markdown. */
export function cliReference(commands: readonly Command[]): string {
  const section = (c: Command) => [
    `## ${c.name}`,
    '',
    `${c.summary[0].toUpperCase()}${c.summary.slice(1)}.`,
    '',
    '```sh',
    usageLine(c),
    '```',
    ...(c.details ? ['', c.details.replace(/\n/g, ' ')] : []),
    '',
    '| flag | what it does |',
    '|---|---|',
    ...[...c.flags, HELP_FLAG].map((f) => `| \`${cell(written(f))}\` | ${cell(f.description)} |`),
    '',
    'Examples:',
    '',
    '```sh',
    ...c.examples.map((e) => `${e.command}   # ${e.does}`),
    '```',
    '',
  ];
  return [
    '# The command-line interface',
    '',
    '<!-- Generated from main/cli/commands.ts by `node --import tsx scripts/cli-reference.ts`; a test keeps it current. -->',
    '',
    `\`${PROGRAM}\` trains and manages runs in the same database the app shows (\`npx ${PROGRAM}\` in a checkout). ` +
      `\`${PROGRAM} --help\` lists the commands; \`${PROGRAM} <command> --help\` (or \`${PROGRAM} help <command>\`) ` +
      "shows one command's flags and examples. A flag a command does not have is refused by name, with the nearest one it has.",
    '',
    '| command | what it does |',
    '|---|---|',
    ...commands.map((c) => `| \`${cell(usageLine(c).slice(PROGRAM.length + 1))}\` | ${cell(c.summary)} |`),
    '',
    `${commands
      .filter((c) => c.database === 'read')
      .map((c) => `\`${c.name}\``)
      .join(', ')} only read: they never create a database or change one. ${EXIT_CODES}`,
    '',
    ...commands.flatMap(section),
  ].join('\n');
}
