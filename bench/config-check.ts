// What the run manager's config check costs in the main process (config:check
// runs on every edit of the new-run form, and before every runs:create): the
// time and the array-buffer memory it takes for large task data, which it
// sizes without building. Prints one JSON line per config.
// Usage: node --import tsx bench/config-check.ts

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openWorkbench } from '../main/workbench';

const csvParts: string[] = ['time,load,temperature,pressure\n'];
for (let i = 0; i < 960_000; i++) csvParts.push(`${i},${Math.sin(i / 50).toFixed(9)},${Math.cos(i / 70).toFixed(9)},${(i % 977) / 977}\n`);
const csv = csvParts.join('');
const words = ['the', 'quick', 'brown', 'fox', 'jumps', 'over', 'a', 'lazy', 'dog', '\n'];
const text = Array.from({ length: 10_000_000 }, (_, i) => words[(i * 7) % words.length]).join(' ');

const configs: [string, object][] = [
  [
    'sine T=100000, 256 channels',
    { task: { kind: 'sine', T: 100_000, channels: 256, validationSequences: 1 }, model: { hidden: 32 }, method: { kind: 'bptt' } },
  ],
  [`csv ${(csv.length / 2 ** 20).toFixed(1)} MB`, { task: { kind: 'csv', csv, T: 50 }, model: { hidden: 32 }, method: { kind: 'bptt' } }],
  [
    `text ${(text.length / 2 ** 20).toFixed(1)} MB`,
    { task: { kind: 'text', text, T: 50 }, model: { hidden: 32 }, method: { kind: 'bptt' } },
  ],
];

const dir = mkdtempSync(join(tmpdir(), 'bench-check-'));
const wb = openWorkbench({ databasePath: join(dir, 'wb.db'), maxConcurrent: 1 });
for (const [label, config] of configs) {
  const ms: number[] = [];
  let grew = 0;
  for (let k = 0; k < 5; k++) {
    const before = process.memoryUsage().arrayBuffers;
    const t = performance.now();
    wb.manager.check(config);
    ms.push(performance.now() - t);
    grew = Math.max(grew, process.memoryUsage().arrayBuffers - before);
  }
  console.log(
    JSON.stringify({
      bench: 'config-check',
      config: label,
      best_ms: +Math.min(...ms).toFixed(1),
      first_ms: +ms[0].toFixed(1),
      array_buffers_grew_mb: +(grew / 2 ** 20).toFixed(1),
    }),
  );
}
await wb.close();
rmSync(dir, { recursive: true, force: true });
