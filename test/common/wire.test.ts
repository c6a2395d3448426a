// The serve wire codec, written once for both ends: each end's base64
// (the browser's btoa/atob, Node's Buffer) carries bytes the same way, and
// what one end encodes the other decodes.

import { describe, expect, it } from 'vitest';
import { browserWire, fromBase64, toBase64, type WireCodec } from '../../common/wire';
import { wire as serveWire } from '../../main/serve/wire';

describe.each([
  ['the browser end', browserWire],
  ['the serve end', serveWire],
] as [string, WireCodec][])('wire format, %s', (_end, wire) => {
  it('carries bytes as {$bytes: base64} both ways and leaves other values alone', () => {
    const bytes = new Uint8Array([0, 1, 2, 250, 255]);
    const text = wire.encode({ args: { data: bytes, name: 'w.npz', n: [1, 2] } });
    expect(JSON.parse(text)).toEqual({ args: { data: { $bytes: 'AAEC+v8=' }, name: 'w.npz', n: [1, 2] } });
    const back = wire.decode(text) as { args: { data: Uint8Array; name: string } };
    expect(back.args.data).toBeInstanceOf(Uint8Array);
    expect([...back.args.data]).toEqual([0, 1, 2, 250, 255]);
    expect(wire.decode('{"$bytes":"AA==","other":1}')).toEqual({ $bytes: 'AA==', other: 1 });
  });

  it('carries bytes as base64 both ways', () => {
    const v = { a: new Uint8Array([0, 1, 255]), w: new Float64Array([0.5, -2]) };
    expect(wire.decode(wire.encode(v))).toEqual({ a: new Uint8Array([0, 1, 255]), w: [0.5, -2] });
  });
});

describe('the two ends', () => {
  it('round-trips a large buffer through base64', () => {
    const big = new Uint8Array(100_000).map((_, i) => (i * 7) & 255);
    expect(fromBase64(toBase64(big))).toEqual(big);
  });

  it('read what the other wrote, a view into a larger buffer included', () => {
    const backing = new Uint8Array(3000).map((_, i) => (i * 13) & 255);
    const view = backing.subarray(1001, 2999);
    for (const [from, to] of [
      [browserWire, serveWire],
      [serveWire, browserWire],
    ]) {
      expect(to.decode(from.encode({ data: view }))).toEqual({ data: new Uint8Array(view) });
    }
  });
});
