// Bytes one run writes to its database when its task is a large CSV: a run
// through the run manager (a real worker) on a 47 MB file, counting the
// main process's write() bytes (/proc/self/io wchar) from creating the run
// to its end, less what it sent the worker (the config goes down a pipe,
// counted here as the V8 serialisation of each message): what remains is
// the database and its WAL, which only main writes. Prints one JSON line.
// Linux only (/proc). Usage: node --import tsx bench/dataset-writes.ts [--quick]

import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serialize } from 'node:v8';
import { openWorkbench } from '../main/workbench';
import { childProcessChannel } from '../main/worker-host/node-channels';

const quick = process.argv.includes('--quick');
const ROWS = quick ? 100_000 : 960_000;
const STEPS = 300;

function written(): number {
  const line = readFileSync('/proc/self/io', 'utf8')
    .split('\n')
    .find((l) => l.startsWith('wchar:'));
  if (!line) throw new Error('/proc/self/io has no wchar line');
  return Number(line.slice(6));
}

const parts: string[] = ['time,load,temperature,pressure\n'];
for (let i = 0; i < ROWS; i++) parts.push(`${i},${Math.sin(i / 50).toFixed(9)},${Math.cos(i / 70).toFixed(9)},${(i % 977) / 977}\n`);
const csv = parts.join('');

const dir = mkdtempSync(join(tmpdir(), 'bench-datasets-'));
const db = join(dir, 'wb.db');
let sent = 0;
const spawn = () => {
  const channel = childProcessChannel();
  const send = channel.send.bind(channel);
  channel.send = (message) => {
    sent += serialize(message).length;
    send(message);
  };
  return channel;
};
const wb = openWorkbench({ databasePath: db, maxConcurrent: 1, progressEveryMs: 100, spawn });
let batches = 0;
const append = wb.store.appendProgress.bind(wb.store);
wb.store.appendProgress = (id, batch) => {
  batches++;
  append(id, batch);
};
const before = written();
const run = wb.manager.create({
  name: null,
  config: {
    seed: 1,
    task: { kind: 'csv', csv, T: 50 },
    model: { hidden: 16 },
    method: { kind: 'bptt' },
    training: { steps: STEPS, evalEvery: 50, snapshotEvery: 100 },
  },
});
const ended = new Promise<string>((resolve) => {
  wb.manager.on('changed', (r) => {
    if (r.id === run.id && ['completed', 'failed', 'crashed', 'diverged'].includes(r.status)) resolve(r.status);
  });
});
wb.manager.start(run.id);
const status = await ended;
const bytes = written() - before;
await wb.close();
console.log(
  JSON.stringify({
    bench: 'dataset-writes',
    csv_mb: +(csv.length / 2 ** 20).toFixed(1),
    steps: STEPS,
    status,
    progress_batches: batches,
    written_mb: +((bytes - sent) / 2 ** 20).toFixed(1),
    sent_to_worker_mb: +(sent / 2 ** 20).toFixed(1),
    db_mb: +(statSync(db).size / 2 ** 20).toFixed(1),
  }),
);
rmSync(dir, { recursive: true, force: true });
