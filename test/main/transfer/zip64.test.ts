// Streamed zip entries and zip64: what a long run's archive needs. Entries
// given as chunks get data descriptors and zip64 sizes; more than 65,535
// entries get the zip64 end records. Our reader, Python's zipfile and
// Info-ZIP's unzip all read the result.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readZip, writeZip, zipChunks } from '../../../main/transfer/zip';

const dir = mkdtempSync(join(tmpdir(), 'zip64-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function* lines(count: number, perChunk: number): Generator<Uint8Array> {
  for (let i = 0; i < count; i += perChunk) {
    let text = '';
    for (let k = i; k < Math.min(count, i + perChunk); k++) text += `{"step":${k},"loss":${1 / (k + 1)}}\n`;
    yield Buffer.from(text, 'utf8');
  }
}
const expected = (count: number) => Buffer.concat([...lines(count, 1000)]).toString('utf8');

const python = spawnSync('python3', ['-c', 'import zipfile'], { encoding: 'utf8' }).status === 0;
const unzip = spawnSync('unzip', ['-v'], { encoding: 'utf8' }).status === 0;

describe('streamed zip entries', () => {
  const zip = Buffer.concat([
    ...zipChunks([
      { name: 'manifest.json', data: Buffer.from('{"a":1}\n'), deflate: true },
      { name: 'steps.jsonl', data: lines(50_000, 700), deflate: true },
      { name: 'raw.bin', data: lines(3_000, 1000) },
      { name: 'empty.jsonl', data: lines(0, 1), deflate: true },
    ]),
  ]);

  it('reads back deflated and stored streamed entries, pieces of any size', () => {
    const files = readZip(zip, 's.zip');
    expect([...files.keys()]).toEqual(['manifest.json', 'steps.jsonl', 'raw.bin', 'empty.jsonl']);
    expect(Buffer.from(files.get('steps.jsonl')!).toString('utf8')).toBe(expected(50_000));
    expect(Buffer.from(files.get('raw.bin')!).toString('utf8')).toBe(expected(3_000));
    expect(files.get('empty.jsonl')!.length).toBe(0);
    expect(zip.length).toBeLessThan(expected(50_000).length / 2); // the pieces still compress
  });

  it.skipIf(!python)("Python's zipfile reads it and finds every CRC right", () => {
    const path = join(dir, 's.zip');
    writeFileSync(path, zip);
    const r = spawnSync(
      'python3',
      [
        '-c',
        `import zipfile, sys
z = zipfile.ZipFile(sys.argv[1])
assert z.testzip() is None
print(len(z.read("steps.jsonl")), len(z.namelist()))`,
        path,
      ],
      { encoding: 'utf8' },
    );
    expect(r.stderr).toBe('');
    expect(r.stdout.trim()).toBe(`${Buffer.byteLength(expected(50_000))} 4`);
  });

  it.skipIf(!unzip)("Info-ZIP's unzip tests it without a warning", () => {
    const path = join(dir, 's2.zip');
    writeFileSync(path, zip);
    const r = spawnSync('unzip', ['-t', path], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/No errors detected/);
  });
});

describe('zip64 end records', () => {
  const count = 110_000; // a run with 20,000 snapshots has 140,004
  const many = writeZip(
    Array.from({ length: count }, (_, i) => ({ name: `snapshots/${i}/meta.json`, data: Buffer.from(`{"step":${i}}`) })),
  );

  it('writes more than 65,535 entries, and reads them all back under the default limits', () => {
    const files = readZip(many, 'many.zip');
    expect(files.size).toBe(count);
    expect(Buffer.from(files.get('snapshots/109999/meta.json')!).toString()).toBe('{"step":109999}');
  });

  it.skipIf(!python)("Python's zipfile counts the same entries", () => {
    const path = join(dir, 'many.zip');
    writeFileSync(path, many);
    const r = spawnSync(
      'python3',
      [
        '-c',
        'import zipfile, sys; z = zipfile.ZipFile(sys.argv[1]); print(len(z.namelist()), z.read("snapshots/65536/meta.json").decode())',
        path,
      ],
      { encoding: 'utf8' },
    );
    expect(r.stdout.trim()).toBe(`${count} {"step":65536}`);
  });
});
