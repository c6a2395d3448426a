// A config as dotted paths to leaf values ("training.optimizer.beta1"), for
// the comparison's config table, search by config and grouping. Long
// strings (a text corpus, CSV content) are shown by their length and a
// prefix, but compared in full; a run's params leave them out.

export type Leaf = string | number | boolean | null;

export function flatten(value: unknown, prefix = '', out: Record<string, Leaf> = {}): Record<string, Leaf> {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    for (const [k, v] of Object.entries(value)) flatten(v, prefix ? `${prefix}.${k}` : k, out);
  } else if (Array.isArray(value)) {
    out[prefix] = JSON.stringify(value);
  } else {
    out[prefix] = value as Leaf;
  }
  return out;
}

/** Strings longer than this (a corpus, CSV content) are not parameters. */
const LONGEST_PARAM = 64;

/** A run's config as parameters: every leaf but long strings (no one searches or groups by a dataset's text). */
export function configParams(config: unknown): Record<string, Leaf> {
  const out = flatten(config);
  for (const [k, v] of Object.entries(out)) if (typeof v === 'string' && v.length > LONGEST_PARAM) delete out[k];
  return out;
}

export interface DiffRow {
  path: string;
  values: (Leaf | undefined)[];
  differs: boolean;
}

/** One row per path present in any config, in first-seen order; `differs` when any two values differ. */
export function diffConfigs(configs: readonly unknown[]): DiffRow[] {
  const flat = configs.map((c) => flatten(c));
  const paths: string[] = [];
  const seen = new Set<string>();
  for (const f of flat) {
    for (const p of Object.keys(f)) {
      if (seen.has(p)) continue;
      seen.add(p);
      paths.push(p);
    }
  }
  return paths.map((path) => {
    const values = flat.map((f) => (Object.hasOwn(f, path) ? f[path] : undefined));
    return { path, values, differs: values.some((v) => v !== values[0]) };
  });
}

export function showLeaf(v: Leaf | undefined): string {
  if (v === undefined) return '—';
  if (v === null) return 'null';
  if (typeof v === 'string' && v.length > 40) return `${JSON.stringify(v.slice(0, 24))}… (${v.length} chars)`;
  return typeof v === 'string' ? v : String(v);
}
