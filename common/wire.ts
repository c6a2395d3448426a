// JSON on the wire of `serve` mode, written once for both ends: a
// Uint8Array travels as {"$bytes": "<base64>"} in both directions, other
// typed arrays (weights) as plain number arrays, every other value as plain
// JSON. Each end brings its base64: the browser's btoa/atob here, Node's
// Buffer in main/serve/wire.ts (btoa is about 50 times slower in Node).

export interface Base64 {
  encode(bytes: Uint8Array): string;
  decode(text: string): Uint8Array;
}

export interface WireCodec {
  encode(value: unknown): string;
  decode(text: string): unknown;
}

export function wireCodec(base64: Base64): WireCodec {
  const revive = (v: unknown): unknown => {
    if (typeof v !== 'object' || v === null) return v;
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) v[i] = revive(v[i]);
      return v;
    }
    const o = v as Record<string, unknown>;
    const keys = Object.keys(o);
    if (keys.length === 1 && keys[0] === '$bytes' && typeof o.$bytes === 'string') return base64.decode(o.$bytes);
    for (const k of keys) o[k] = revive(o[k]);
    return o;
  };
  return {
    encode: (value) =>
      JSON.stringify(value, (_key, v: unknown) => {
        if (v instanceof Uint8Array) return { $bytes: base64.encode(v) };
        if (ArrayBuffer.isView(v) && !(v instanceof DataView)) return Array.from(v as unknown as ArrayLike<number>);
        return v;
      }),
    /**
     * Bytes are revived only when the text holds any (a reviver on every
     * value would cost more than the parse itself on the metric streams,
     * which never carry bytes).
     */
    decode: (text) => {
      const value: unknown = JSON.parse(text);
      return text.includes('"$bytes"') ? revive(value) : value;
    },
  };
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

/** The codec with the browser's base64 (the renderer's end). */
export const browserWire = wireCodec({ encode: toBase64, decode: fromBase64 });
