// Command-line arguments against a command's own flags. A flag the command
// does not have is refused by name, with the nearest flag it does have
// ("did you mean --lr?"); a value may start with a dash when it is a number
// (`--lr -1` reaches the config schema, which says what is wrong with it).

/** One flag of a command: how it is written, what it takes, what it does. */
export interface Flag {
  name: string;
  short?: string;
  type: 'string' | 'boolean';
  /** The value's placeholder in help (`N`, `FILE`); `values` lists the allowed ones instead. */
  value?: string;
  values?: readonly string[];
  /** May be given more than once: its value is then the list of them, in order. */
  multiple?: boolean;
  description: string;
}

export type FlagValues = Record<string, string | string[] | boolean | undefined>;

/** Bad usage: exit code 2, the message and the command's usage line, never the whole help. */
export class UsageError extends Error {
  constructor(
    message: string,
    /** The command whose usage line follows the message (none: the general one). */
    readonly command: string | null = null,
  ) {
    super(message);
    this.name = 'UsageError';
  }
}

const NUMBER = /^-(\d|\.\d)/;

/** `--name` or `-n` with the flag's value placeholder, as help and messages write it. */
export function flagSignature(f: Flag): string {
  const value = f.values ? f.values.join('|') : f.value;
  return `--${f.name}${f.type === 'string' ? ` ${value ?? 'VALUE'}` : ''}`;
}

/** Edit distance: insertions, deletions, substitutions and swaps of neighbours ("trian" is 1 from "train"). */
export function editDistance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++)
    for (let j = 1; j <= b.length; j++) {
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  return d[a.length][b.length];
}

/** The candidate nearest to `word` when it is near enough to be a typo (or `word` begins it), else null. Leading dashes are ignored. */
export function nearest(word: string, candidates: readonly string[]): string | null {
  const bare = (s: string) => s.replace(/^-+/, '').toLowerCase();
  const w = bare(word);
  let best: string | null = null,
    bestDistance = Infinity;
  for (const c of candidates) {
    const d = w.length >= 2 && bare(c).startsWith(w) ? 0.5 : editDistance(w, bare(c));
    if (d < bestDistance) [best, bestDistance] = [c, d];
  }
  const allowed = w.length < 3 ? 0 : Math.min(3, Math.floor(w.length / 3));
  return bestDistance <= allowed ? best : null;
}

/**
 * Splits `argv` into flags and positionals by `flags`. `others` names the
 * commands whose flags an unknown one belongs to (for the message).
 */
export function parseFlags(
  command: string,
  argv: readonly string[],
  flags: readonly Flag[],
  others: (name: string) => string[] = () => [],
): { values: FlagValues; positionals: string[] } {
  const values: FlagValues = {};
  const positionals: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (!arg.startsWith('-') || arg === '-' || NUMBER.test(arg)) {
      positionals.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const written = eq < 0 ? arg : arg.slice(0, eq);
    const inline = eq < 0 ? undefined : arg.slice(eq + 1);
    const long = written.startsWith('--');
    const name = written.slice(long ? 2 : 1);
    const flag = flags.find((f) => (long ? f.name === name : f.short === name));
    if (!flag) throw new UsageError(unknownFlag(command, written, flags, others(long ? name : '')), command);
    if (flag.type === 'boolean') {
      if (inline !== undefined) throw new UsageError(`${command}: --${flag.name} takes no value (got "${inline}")`, command);
      values[flag.name] = true;
      continue;
    }
    let value = inline;
    if (value === undefined) {
      const next = argv[i + 1];
      if (next === undefined || (next.startsWith('-') && next !== '-' && !NUMBER.test(next)))
        throw new UsageError(
          `${command}: ${flagSignature(flag)} needs a value${next === undefined ? '' : ` (a value starting with "-" is written --${flag.name}=${next})`}`,
          command,
        );
      value = next;
      i++;
    }
    const before = values[flag.name];
    values[flag.name] = flag.multiple ? [...(Array.isArray(before) ? before : []), value] : value;
  }
  return { values, positionals };
}

function unknownFlag(command: string, written: string, flags: readonly Flag[], elsewhere: string[]): string {
  const long = written.startsWith('--');
  const names = flags.flatMap((f) => (long ? [`--${f.name}`] : f.short ? [`-${f.short}`] : []));
  const guess = nearest(written, names);
  const hint = guess
    ? `; did you mean ${guess}?`
    : elsewhere.length
      ? ` (it is a flag of ${elsewhere.map((c) => `\`${c}\``).join(', ')})`
      : '';
  return `${command}: unknown flag ${written}${hint}`;
}
