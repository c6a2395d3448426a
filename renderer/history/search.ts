// The run search: plain words match a run's name, notes, tags (and its id,
// task, method, status and health, as before); `field op value` conditions
// match its config or its summary:
//   lr=0.01   method:bptt   hidden>32   optimizer:adam   status:failed   tag:baseline
// A field is a config path (training.lr) or its unambiguous last part (lr,
// hidden, T), or the part before `.kind` (method, optimizer, task); `d` is
// model.hidden. `=` and `:` compare numbers as numbers and text without
// case (`:` also matches part of a text); `!=`, `>`, `>=`, `<`, `<=` too.
// A term that cannot be read is reported and left out; the rest still
// filters.

import type { RunSummary } from '../../common/contract';
import type { Leaf } from '../../common/config-leaves';

/** The search box's help. */
export const SEARCH_HELP = [
  'Words match a run’s name, notes and tags (and its id, task, method, status, health); "quoted words" match together.',
  'field=value, field:value, field!=value and field>, >=, <, <= number match the config:',
  '  lr=0.01   method:bptt   hidden>32   optimizer:adam   training.batchSize>=8',
  'A field is a config path, its last part (lr, hidden, T) or the part before .kind (method, optimizer, task); d is model.hidden.',
  'Also: name:, notes:, tag:, status:failed, health:exploding. Every term must match.',
].join('\n');

export type Op = '=' | ':' | '!=' | '>' | '>=' | '<' | '<=';

export interface Condition {
  /** As typed, for messages. */
  term: string;
  /** A config path, or a summary field (SUMMARY_FIELDS). */
  field: string;
  op: Op;
  value: string;
}

export interface ParsedSearch {
  words: string[];
  conditions: Condition[];
  /** One line per term that could not be read. */
  errors: string[];
}

type SummaryValue = string | number | null | string[];
const SUMMARY_FIELDS: Record<string, (r: RunSummary) => SummaryValue> = {
  name: (r) => r.name,
  notes: (r) => r.notes,
  tag: (r) => r.tags,
  status: (r) => r.status,
  health: (r) => r.health?.state ?? null,
  id: (r) => r.id,
};
const ALIASES: Record<string, string> = { d: 'model.hidden' };

const TERM = /^([A-Za-z_][\w.]*)(!=|>=|<=|=|:|>|<)(.*)$/;
const ORDERING = new Set<Op>(['>', '>=', '<', '<=']);

/** The config path or summary field a typed name stands for, or why it stands for none. */
export function resolveField(name: string, paths: readonly string[]): { field: string } | { error: string } {
  const lower = name.toLowerCase();
  if (lower in SUMMARY_FIELDS) return { field: lower };
  if (ALIASES[name]) return { field: ALIASES[name] };
  const exact = paths.find((p) => p === name) ?? paths.find((p) => p.toLowerCase() === lower);
  if (exact) return { field: exact };
  const ends = (suffix: string) => paths.filter((p) => p.toLowerCase().endsWith(suffix));
  for (const found of [ends(`${lower}.kind`), ends(`.${lower}`)]) {
    if (found.length === 1) return { field: found[0] };
    if (found.length > 1) return { error: `“${name}” could be ${found.join(', ')}: write the whole path` };
  }
  return { error: `no field “${name}” (fields are config paths such as training.lr, or name, notes, tag, status, health)` };
}

/** Splits on spaces; "quoted text" is one plain word. */
function tokens(query: string): { text: string; quoted: boolean }[] {
  const out: { text: string; quoted: boolean }[] = [];
  for (const m of query.matchAll(/"([^"]*)"?|(\S+)/g)) {
    if (m[1] !== undefined) {
      if (m[1].trim()) out.push({ text: m[1], quoted: true });
    } else out.push({ text: m[2], quoted: false });
  }
  return out;
}

export function parseSearch(query: string, paths: readonly string[]): ParsedSearch {
  const parsed: ParsedSearch = { words: [], conditions: [], errors: [] };
  for (const { text, quoted } of tokens(query)) {
    const m = quoted ? null : TERM.exec(text);
    if (!m) {
      if (!quoted && /^[!=:<>]/.test(text)) parsed.errors.push(`${text}: a field name must come before ${text[0]}`);
      else parsed.words.push(text.toLowerCase());
      continue;
    }
    const [, name, op, value] = m as unknown as [string, string, Op, string];
    if (value === '') {
      parsed.errors.push(`${text}: a value must follow ${op}`);
      continue;
    }
    if (ORDERING.has(op) && !Number.isFinite(Number(value))) {
      parsed.errors.push(`${text}: ${op} needs a number, not “${value}”`);
      continue;
    }
    const r = resolveField(name, paths);
    if ('error' in r) parsed.errors.push(`${text}: ${r.error}`);
    else parsed.conditions.push({ term: text, field: r.field, op, value });
  }
  return parsed;
}

function sameNumber(a: number, b: number): boolean {
  return a === b || Math.abs(a - b) <= 1e-12 * Math.max(Math.abs(a), Math.abs(b));
}

function test(v: Leaf | undefined, c: Condition): boolean {
  if (v === undefined) return false;
  const want = c.value.toLowerCase();
  if (typeof v === 'number') {
    const n = Number(c.value);
    if (!Number.isFinite(n)) return c.op === '!=';
    switch (c.op) {
      case '=':
      case ':':
        return sameNumber(v, n);
      case '!=':
        return !sameNumber(v, n);
      case '>':
        return v > n;
      case '>=':
        return v >= n || sameNumber(v, n);
      case '<':
        return v < n;
      case '<=':
        return v <= n || sameNumber(v, n);
    }
  }
  if (ORDERING.has(c.op)) return false;
  const text = v === null ? 'null' : String(v).toLowerCase();
  if (c.op === '!=') return text !== want;
  return c.op === ':' ? text.includes(want) : text === want;
}

function hay(r: RunSummary): string {
  return `${r.id} ${r.name} ${r.notes} ${r.tags.join(' ')} ${r.taskKind} ${r.methodKind} ${r.status} ${r.health?.state ?? ''}`.toLowerCase();
}

/** Whether a run passes every word and condition; `params` is its config as params (undefined while unknown). */
export function matchesSearch(r: RunSummary, params: Readonly<Record<string, Leaf>> | undefined, s: ParsedSearch): boolean {
  if (s.words.length) {
    const h = hay(r);
    if (!s.words.every((w) => h.includes(w))) return false;
  }
  return s.conditions.every((c) => {
    const get = SUMMARY_FIELDS[c.field];
    if (!get) return test(params?.[c.field], c);
    const v = get(r);
    return Array.isArray(v) ? (c.op === '!=' ? v.every((x) => test(x, c)) : v.some((x) => test(x, c))) : test(v, c);
  });
}

/** Every config path any run has, sorted (the fields a search can name). */
export function knownPaths(params: Iterable<Readonly<Record<string, Leaf>>>): string[] {
  const all = new Set<string>();
  for (const p of params) for (const k of Object.keys(p)) all.add(k);
  return [...all].sort();
}
