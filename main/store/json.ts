// JSON columns whose numbers may be NaN or ±Infinity (histogram bounds of a
// diverged run, relative errors in a gradient check). Plain JSON would turn
// those into null; here they are written as the strings "NaN", "Infinity",
// "-Infinity", and only schema positions declared with `jsonNumber` turn
// them back, so no string field is ever mistaken for a number.

import { z } from 'zod';
import { StoreError } from './errors';

export function stringifyJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (typeof v === 'number' && !Number.isFinite(v)) return String(v);
    return v;
  });
}

export const jsonNumber = z
  .union([z.number(), z.literal('NaN'), z.literal('Infinity'), z.literal('-Infinity')])
  .transform((v) => (typeof v === 'number' ? v : Number(v)));

/** Parses a JSON column read back from the file and checks its shape. */
export function parseJson<T>(text: string, schema: z.ZodType<T>, what: string): T {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (cause) {
    throw new StoreError('bad-row', `${what}: stored JSON does not parse (${String(cause)})`, { cause });
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    throw new StoreError('bad-row', `${what}: stored value has the wrong shape: ${z.prettifyError(parsed.error)}`);
  }
  return parsed.data;
}

/** NaN is stored as NULL in REAL columns (SQLite cannot hold NaN). */
export function realOrNaN(v: number | null): number {
  return v ?? Number.NaN;
}
