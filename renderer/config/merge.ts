// Deep merge of plain config objects: `over` wins; arrays and leaves replace.

export function deepMerge<T>(base: T, over: unknown): T {
  if (!isPlain(base) || !isPlain(over)) return (over === undefined ? base : over) as T;
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(over)) out[k] = k in out ? deepMerge(out[k], v) : v;
  return out as T;
}

function isPlain(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !ArrayBuffer.isView(v);
}

/** A deep copy of plain JSON data (configs never hold anything else). */
export function clone<T>(v: T): T {
  return JSON.parse(JSON.stringify(v)) as T;
}
