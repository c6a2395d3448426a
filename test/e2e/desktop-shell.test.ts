// The built desktop app (`npm run build`), run under Node with a stand-in
// for Electron's main-process API (test/support/fake-electron): the real
// main, preload, renderer and worker bundles, the real services, and the
// worker in a child process that talks Electron's utility-process protocol.
// This checks the shell's wiring where no Electron binary can run: what the
// window is opened with, the app:// protocol and its policy, navigation,
// IPC sender checks and validation, events, a training run and an export,
// and quitting while a run trains.

import { execFileSync, fork, type ChildProcess } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunRecord, RunSummary, StepMetrics } from '../../common/contract';
import { IPC_CHANNELS } from '../../main/electron/ipc';
import { CONTENT_SECURITY_POLICY, webPreferences } from '../../main/electron/security';
import { Store } from '../../main/store/store';
import { readZip } from '../../main/transfer/zip';
import type { Command, Report } from '../support/fake-electron/electron';
import { root } from './support/app';

const APP = 'app://workbench/index.html';
const require = createRequire(import.meta.url);
// Built once for the end-to-end tests (global-setup.ts), inside the repository so the bundles resolve their dependencies from its node_modules.
const out = join(root, 'out');

let shell: ChildProcess;
const reports: Report[] = [];
const userData = mkdtempSync(join(tmpdir(), 'wb-shell-'));
let nextId = 1;

/** A command that expects an answer, before the harness numbers it. */
type Request = Command extends infer C ? (C extends { id: number } ? Omit<C, 'id'> : never) : never;

function request(c: Request): Promise<unknown> {
  const id = nextId++;
  shell.send({ ...c, id });
  return waitFor((r) => r.type === 'result' && r.id === id).then((r) => (r as Extract<Report, { type: 'result' }>).value);
}

const call = (channel: string, args: unknown, senderUrl: string | null = APP) =>
  request({ type: 'invoke', channel, args, senderUrl }) as Promise<{
    ok: boolean;
    value?: unknown;
    error?: { code: string; message: string };
  }>;

async function ok<T>(channel: string, args: unknown): Promise<T> {
  const r = await call(channel, args);
  if (!r.ok) throw new Error(`${channel}: ${r.error?.code}: ${r.error?.message}`);
  return r.value as T;
}

/** Resolves with the first report (already received or still to come) that matches; rejects if the shell exits first. */
function waitFor(match: (r: Report) => boolean): Promise<Report> {
  const seen = reports.find(match);
  if (seen) return Promise.resolve(seen);
  return new Promise((resolve, reject) => {
    const onExit = (code: number | null) =>
      reject(new Error(`the shell exited (code ${code}) while the test waited; its reports: ${JSON.stringify(reports.slice(-5))}`));
    const listener = (r: Report) => {
      if (!match(r)) return;
      shell.off('message', listener);
      shell.off('exit', onExit);
      resolve(r);
    };
    shell.on('message', listener);
    shell.once('exit', onExit);
  });
}

const changed = (r: Report, id: number, status: string) =>
  r.type === 'send' && r.event === 'runs:changed' && (r.payload as RunSummary).id === id && (r.payload as RunSummary).status === status;

beforeAll(async () => {
  // The app's "Electron build" of better-sqlite3 is Node's own here, stamped for the stand-in's Electron version.
  const appPath = mkdtempSync(join(tmpdir(), 'wb-app-'));
  const native = join(appPath, 'build', 'electron-native');
  mkdirSync(native, { recursive: true });
  const sqlite = dirname(require.resolve('better-sqlite3/package.json'));
  copyFileSync(join(sqlite, 'build/Release/better_sqlite3.node'), join(native, 'better_sqlite3.node'));
  const version = (pkg: string) => (require(`${pkg}/package.json`) as { version: string }).version;
  writeFileSync(
    join(native, 'stamp.json'),
    JSON.stringify({ electron: '41.0.0-fake', betterSqlite3: version('better-sqlite3'), platform: process.platform, arch: process.arch }),
  );
  shell = fork(join(out, 'main/index.js'), [], {
    cwd: root,
    execArgv: ['--import', 'tsx', '--import', join(root, 'test/support/fake-electron/register.mjs')],
    serialization: 'advanced',
    env: {
      ...process.env,
      FAKE_APP_PATH: appPath,
      FAKE_ELECTRON_VERSION: '41.0.0-fake',
      RNN_WORKBENCH_USER_DATA: userData,
      RNN_WORKBENCH_DB: '',
    },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  shell.on('message', (r) => reports.push(r as Report));
  await waitFor((r) => r.type === 'window');
}, 180_000);

afterAll(() => {
  if (shell?.exitCode === null) shell.kill();
});

describe('the built bundles', () => {
  it('are all there: main, worker, CLI, a CommonJS preload, the renderer', () => {
    for (const f of ['main/index.js', 'main/worker.js', 'main/cli.js', 'preload/index.cjs', 'renderer/index.html'])
      expect(existsSync(join(out, f)), f).toBe(true);
    const preload = readFileSync(join(out, 'preload/index.cjs'), 'utf8');
    expect(preload).not.toMatch(/^\s*(import|export)\s/m);
    expect([...preload.matchAll(/require\("([^"]+)"\)/g)].map((m) => m[1])).toEqual(['electron']);
  });

  it('run the CLI from the bundle, training with the bundled worker', () => {
    const db = join(userData, 'cli.db');
    const cli = (args: string[]) =>
      execFileSync(
        process.execPath,
        [
          '--input-type=module',
          '-e',
          `const m = await import(${JSON.stringify(join(out, 'main/cli.js'))}); process.exitCode = await m.main(${JSON.stringify(args)});`,
        ],
        { encoding: 'utf8' },
      );
    expect(cli(['train', '--db', db, '--task', 'sine', '--hidden', '3', '--steps', '20', '--name', 'from the bundle'])).toContain(
      'completed at step 20',
    );
    expect(cli(['list', '--db', db])).toContain('from the bundle');
  });
});

describe('the shell, running', () => {
  it('opens one window on app://workbench/ with the sandboxed preferences and the CommonJS preload, the app sandboxed', () => {
    const windows = reports.filter((r) => r.type === 'window');
    expect(windows).toHaveLength(1);
    const w = windows[0];
    expect(w.url).toBe(APP);
    expect(w.sandboxed).toBe(true); // app.enableSandbox(): every renderer, whatever its preferences
    const prefs = w.options.webPreferences as Record<string, unknown>;
    expect(prefs).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true, webviewTag: false });
    expect(prefs).toEqual(webPreferences(join(out, 'preload/index.cjs'))); // nothing added that loosens them
    expect(prefs.preload).toBe(join(out, 'preload/index.cjs'));
    expect(existsSync(prefs.preload as string)).toBe(true);
  });

  it('sets the application menu', () => {
    const m = reports.find((r) => r.type === 'menu') as Extract<Report, { type: 'menu' }>;
    expect(m.labels).toEqual(
      process.platform === 'darwin'
        ? ['appMenu', 'File', 'editMenu', 'View', 'windowMenu']
        : ['File', 'editMenu', 'View', 'windowMenu', 'help'],
    );
  });

  it('serves the renderer with the Content-Security-Policy, and nothing outside it', async () => {
    const page = (await request({ type: 'fetch', url: APP })) as { status: number; csp: string; type: string; body: string };
    expect(page.status).toBe(200);
    expect(page.csp).toBe(CONTENT_SECURITY_POLICY);
    expect(page.type).toBe('text/html; charset=utf-8');
    expect(page.body).toContain('<div id="app">');
    const script = /src="\.\/(assets\/[^"]+\.js)"/.exec(page.body)![1];
    expect(await request({ type: 'fetch', url: `app://workbench/${script}` })).toMatchObject({ status: 200, csp: CONTENT_SECURITY_POLICY });
    expect(((await request({ type: 'fetch', url: 'app://workbench/..%2F..%2Fmain%2Findex.js' })) as { status: number }).status).toBe(404);
  });

  it('refuses navigation away and every new window', async () => {
    expect(await request({ type: 'navigate', url: 'https://example.com/' })).toBe(true);
    expect(await request({ type: 'navigate', url: 'app://workbench/index.html#/new' })).toBe(false);
    expect(await request({ type: 'open-window', url: 'https://example.com/' })).toBe('deny');
  });

  it('refuses pop-ups and <webview> in any other web contents Electron creates', async () => {
    expect(await request({ type: 'new-contents', url: 'https://example.com/' })).toEqual({ open: 'deny', webviewRefused: true });
  });

  it("answers IPC only from the app's page, with validated arguments", async () => {
    expect(await call('runs:list', null, 'https://evil.example/')).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await call('runs:list', null, null)).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    // every handler the shell registered is a channel of the contract, and checks its sender first
    const channels = (await request({ type: 'channels' })) as string[];
    expect([...channels].sort()).toEqual([...IPC_CHANNELS].sort());
    for (const channel of channels)
      expect(await call(channel, null, 'https://evil.example/'), channel).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await call('runs:get', { id: 'one' })).toMatchObject({ ok: false, error: { code: 'invalid-argument' } });
    const info = await ok<{ databasePath: string }>('app:info', null);
    expect(info.databasePath).toBe(join(userData, 'workbench.db'));
  });

  it('trains a run in a utility process, streams its progress to the window, and exports its weights', async () => {
    const defaults = await ok<RunRecord['config']>('config:defaults', { task: 'sine' });
    const config = {
      ...defaults,
      model: { ...defaults.model, hidden: 4 },
      training: { ...defaults.training, steps: 300, snapshotEvery: 100 },
    };
    const run = await ok<RunRecord>('runs:create', { config, name: 'in the shell', tags: [], notes: '', start: true });
    await waitFor((r) => changed(r, run.id, 'completed'));
    const steps = reports
      .filter(
        (r): r is Extract<Report, { type: 'send' }> =>
          r.type === 'send' && r.event === 'runs:progress' && (r.payload as { id: number }).id === run.id,
      )
      .flatMap((r) => (r.payload as { steps: StepMetrics[] }).steps.map((s) => s.step));
    // The window gets every batch thinned to each series' extremes (M4, main/api/live-thinning.ts), in order, up to the
    // last step; the store keeps every step.
    expect(steps.length).toBeGreaterThan(1);
    expect(steps).toEqual([...new Set(steps)].sort((x, y) => x - y));
    expect(steps.at(-1)).toBe(300);
    const stored = await ok<StepMetrics[]>('metrics:steps', { id: run.id, from: 1, to: 300 });
    expect(stored.map((s) => s.step)).toEqual(Array.from({ length: 300 }, (_, i) => i + 1));
    // Progress of a run is forwarded before the status change that ends it.
    const lastProgress = reports.findLastIndex((r) => r.type === 'send' && r.event === 'runs:progress');
    expect(lastProgress).toBeLessThan(reports.findIndex((r) => changed(r, run.id, 'completed')));
    const file = await ok<{ fileName: string; data: Uint8Array }>('export:weights', {
      id: run.id,
      step: null,
      format: 'json',
      dtype: 'float64',
    });
    expect(file.data).toBeInstanceOf(Uint8Array);
    const doc = JSON.parse(new TextDecoder().decode(file.data)) as { step: number; matrices: Record<string, { shape: number[] }> };
    expect(doc.step).toBe(300);
    expect(doc.matrices.W.shape).toEqual([4, 4]);
    // The whole run through the save dialog: main streams it to the chosen file.
    const saved = await ok<{ path: string; bytes: number }>('export:save', { kind: 'archive', id: run.id });
    expect(saved.path).toBe(join(userData, `in-the-shell-run${run.id}.rnnrun`));
    expect(reports).toContainEqual({
      type: 'dialog',
      kind: 'save',
      text: expect.stringMatching(new RegExp(`in-the-shell-run${run.id}\\.rnnrun$`)),
    });
    const archive = readFileSync(saved.path);
    expect(archive.length).toBe(saved.bytes);
    expect(readZip(archive, 'saved').get('steps.jsonl')!.length).toBeGreaterThan(0);
  });

  it('asks before quitting while a run trains, stops it cleanly, closes the database and remembers the window', async () => {
    const defaults = await ok<RunRecord['config']>('config:defaults', { task: 'sine' });
    const run = await ok<RunRecord>('runs:create', {
      config: { ...defaults, training: { ...defaults.training, steps: 10_000_000, snapshotEvery: 0 } },
      name: 'quit while training',
      tags: [],
      notes: '',
      start: true,
    });
    await waitFor((r) => r.type === 'send' && r.event === 'runs:progress' && (r.payload as { id: number }).id === run.id);
    const exited = new Promise<number | null>((resolve) => shell.once('exit', (code) => resolve(code)));
    shell.send({ type: 'quit' } satisfies Command);
    expect(await waitFor((r) => r.type === 'dialog' && r.kind === 'message')).toEqual({
      type: 'dialog',
      kind: 'message',
      text: '1 run is still training.',
    });
    expect(await exited).toBe(0);
    const db = join(userData, 'workbench.db');
    expect(existsSync(`${db}-wal`)).toBe(false);
    const store = Store.open(db);
    try {
      const stopped = store.getRun(run.id)!;
      expect(stopped.status).toBe('stopped');
      expect(stopped.lastStep).toBeGreaterThan(0);
      expect(store.latestCheckpoint(run.id)?.step).toBe(stopped.lastStep);
    } finally {
      store.close();
    }
    expect(JSON.parse(readFileSync(join(userData, 'window-state.json'), 'utf8'))).toEqual({
      x: 10,
      y: 20,
      width: 1100,
      height: 760,
      maximized: false,
    });
  });
});
