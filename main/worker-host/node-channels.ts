// Worker channels for plain Node: a child process (the CLI's default: a
// crash of the engine cannot take the database writer down with it) and a
// worker thread (cheaper, for tests and benchmarks).

import { fork } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { ExitInfo, WorkerChannel } from './channel';

export interface WorkerEntry {
  file: string;
  /** A TypeScript source (a source checkout): load it through tsx. */
  typescript: boolean;
  /** Modules to load before the entry (child processes only). */
  preload?: string[];
}

/**
 * The worker's entry file: the built bundle next to this one when it
 * exists, else the TypeScript source run through tsx (a source checkout).
 */
export function defaultWorkerEntry(): WorkerEntry {
  const here = dirname(fileURLToPath(import.meta.url));
  const built = join(here, 'worker.js');
  if (existsSync(built)) return { file: built, typescript: false };
  return { file: resolve(here, '../../native-worker/process/index.ts'), typescript: true };
}

export function childProcessChannel(entry: WorkerEntry = defaultWorkerEntry()): WorkerChannel {
  // tsx by its own file URL: a bare `--import tsx` is resolved from the working directory, which is anywhere.
  const tsx = () => pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
  const execArgv = [...(entry.typescript ? ['--import', tsx()] : []), ...(entry.preload ?? []).flatMap((m) => ['--import', m])];
  const child = fork(entry.file, [], { execArgv, serialization: 'advanced', stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const exitListeners: ((info: ExitInfo) => void)[] = [];
  let exited: ExitInfo | null = null;
  child.on('exit', (code, signal) => {
    exited = { code, signal };
    for (const l of exitListeners) l(exited);
  });
  child.on('error', () => {
    // A failed spawn also emits 'exit'; the listener there reports it.
  });
  return {
    send: (m) => {
      if (exited === null && child.connected) child.send(m);
    },
    onMessage: (l) => child.on('message', l),
    onExit: (l) => {
      exitListeners.push(l);
      if (exited) l(exited);
    },
    kill: () => {
      child.kill('SIGKILL');
    },
    get pid() {
      return child.pid ?? null;
    },
  };
}

export function workerThreadChannel(entry: WorkerEntry = defaultWorkerEntry()): WorkerChannel {
  const worker = entry.typescript ? new Worker(tsxBootstrap(entry.file), { eval: true }) : new Worker(entry.file);
  const exitListeners: ((info: ExitInfo) => void)[] = [];
  let exited: ExitInfo | null = null;
  worker.on('exit', (code) => {
    exited = { code, signal: null };
    for (const l of exitListeners) l(exited);
  });
  worker.on('error', () => {
    // An uncaught error in the thread ends it; 'exit' follows with code 1.
  });
  return {
    send: (m) => {
      if (exited === null) worker.postMessage(m);
    },
    onMessage: (l) => worker.on('message', l),
    onExit: (l) => {
      exitListeners.push(l);
      if (exited) l(exited);
    },
    kill: () => {
      void worker.terminate();
    },
    pid: null,
  };
}

/**
 * A worker thread cannot take tsx through --import (its entry is loaded
 * before the hooks), so a TypeScript entry starts from a tiny script that
 * registers tsx in the thread and then imports the entry.
 */
function tsxBootstrap(file: string): string {
  const api = createRequire(import.meta.url)
    .resolve('tsx/esm/api')
    .replace(/index\.cjs$/, 'index.mjs');
  const url = (p: string) => JSON.stringify(pathToFileURL(p).href);
  return `import(${url(api)}).then((m) => { m.register(); return import(${url(file)}); });`;
}
