// JSON on the wire of `serve` mode: a Uint8Array travels as
// {"$bytes": "<base64>"} in both directions; every other value is plain JSON.

export function encodeWire(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => (v instanceof Uint8Array ? { $bytes: toBase64(v) } : v));
}

/**
 * Parse a message; bytes are revived only when the text holds any (a
 * reviver on every value would cost more than the parse itself on the
 * metric streams, which never carry bytes).
 */
export function decodeWire(text: string): unknown {
  const value: unknown = JSON.parse(text);
  return text.includes('"$bytes"') ? revive(value) : value;
}

function revive(v: unknown): unknown {
  if (typeof v !== 'object' || v === null) return v;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) v[i] = revive(v[i]);
    return v;
  }
  const o = v as Record<string, unknown>;
  const keys = Object.keys(o);
  if (keys.length === 1 && keys[0] === '$bytes' && typeof o.$bytes === 'string') return fromBase64(o.$bytes);
  for (const k of keys) o[k] = revive(o[k]);
  return o;
}

export function toBase64(bytes: Uint8Array): string {
  let s = '';
  // Chunks keep String.fromCharCode's argument list short for big files.
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

export function fromBase64(text: string): Uint8Array {
  const s = atob(text);
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}
