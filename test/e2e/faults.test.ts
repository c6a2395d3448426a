// Fault injection: the CLI, its training worker and `serve` are signalled
// at seeded random moments, as users and machines do it (Ctrl-C to the
// process group, SIGTERM, SIGKILL), and the database is checked after each:
// integrity_check ok, every step stored exactly once, every step the CLI
// reported stored, and every run resumable to the bits of a run that was
// never interrupted. Then a full disk (a small tmpfs), a write lock held by
// another program, and other processes opening the database mid-run.
// FAULT_SEED=N replays another sequence; the counts are printed.

import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunSummary } from '../../common/contract';
import { configFromFlags } from '../../main/cli/config-flags';
import { Store } from '../../main/store/store';
import { root } from './support/app';

const SEED = Number(process.env.FAULT_SEED ?? 20261205);
const KILLS = 50;
const FLAGS = {
  task: 'sine',
  method: 'rtrl',
  hidden: '8',
  T: '20',
  steps: '4000',
  'snapshot-every': '100',
  'eval-every': '100',
  seed: '7',
};
const argv = Object.entries(FLAGS).flatMap(([k, v]) => [`--${k}`, v]);
const CLI = join(root, 'bin/rnn-workbench.js');

/** mulberry32: the suite's own seeded choices. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Proc {
  child: ChildProcess;
  out: string;
  exit: Promise<{ code: number | null; signal: string | null }>;
}

/** A process of its own group (as a terminal's foreground job is), its stdout kept. */
function start(args: string[]): Proc {
  const child = spawn(process.execPath, [CLI, ...args], { cwd: tmpdir(), detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const p: Proc = { child, out: '', exit: new Promise((r) => child.on('exit', (code, signal) => r({ code, signal }))) };
  child.stdout!.on('data', (d: Buffer) => (p.out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (p.out += d.toString()));
  return p;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const alive = (p: Proc) => p.child.exitCode === null && p.child.signalCode === null;

/** The training worker: the CLI's or serve's child process, once there is one. */
function workerOf(p: Proc): number | null {
  try {
    const kids = readFileSync(`/proc/${p.child.pid}/task/${p.child.pid}/children`, 'utf8').trim();
    return kids ? Number(kids.split(/\s+/)[0]) : null;
  } catch {
    return null;
  }
}

/** serve's URL and token, once it has printed them. */
async function serveUrl(p: Proc): Promise<URL> {
  for (let i = 0; i < 600 && alive(p); i++) {
    const m = /open (http:\/\/\S+)/.exec(p.out);
    if (m) return new URL(m[1]);
    await sleep(25);
  }
  throw new Error(`serve printed no URL: ${p.out}`);
}

async function api(url: URL, channel: string, args: unknown): Promise<unknown> {
  const res = await fetch(`${url.origin}/api/${channel}`, {
    method: 'POST',
    body: JSON.stringify({ args }),
    headers: { authorization: `Bearer ${url.searchParams.get('token')}`, 'content-type': 'application/json', origin: url.origin },
  });
  const body = (await res.json()) as { ok: boolean; value?: unknown; error?: { message: string } };
  if (!body.ok) throw new Error(`${channel}: ${body.error?.message}`);
  return body.value;
}

const weightsOf = (store: Store, id: number) => {
  const c = store.latestCheckpoint(id)!;
  return ['U', 'W', 'V'].flatMap((k) => Array.from(c.weights[k as 'U'].data));
};

/**
 * What any process opening the database after a fault must find: a sound
 * file, the run's steps 1..last each once, the steps the CLI printed among
 * them, a snapshot to resume from; a run whose process was killed outright
 * is marked interrupted by this (another) process. Returns the run as found.
 */
function check(db: string, reported: number[]): RunSummary | null {
  const store = Store.open(db);
  try {
    expect(store.integrityCheck()).toEqual(['ok']);
    store.markInterrupted();
    const run = store.listRuns({ limit: 1 })[0] ?? null;
    if (run === null) return null;
    const last = run.lastStep ?? 0;
    expect(store.readSteps(run.id, 0, last).map((s) => s.step)).toEqual(Array.from({ length: last }, (_, i) => i + 1));
    for (const s of reported) expect(s).toBeLessThanOrEqual(last);
    expect(['created', 'completed', 'stopped', 'crashed', 'interrupted', 'failed']).toContain(run.status);
    if (run.lastStep !== null) expect(store.latestCheckpoint(run.id)).not.toBeNull();
    return run;
  } finally {
    store.close();
  }
}

type Target = 'cli' | 'worker' | 'serve';
type Signal = 'SIGINT-group' | 'SIGTERM' | 'SIGKILL';

/** The weights of a run of FLAGS trained without interruption (built once). */
let expected: number[];
beforeAll(async () => {
  const reference = join(mkdtempSync(join(tmpdir(), 'wb-faults-')), 'reference.db');
  expect((await start(['train', ...argv, '--db', reference]).exit).code).toBe(0);
  const s = Store.open(reference);
  expected = weightsOf(s, 1);
  s.close();
}, 120_000);

/** Waits until the CLI has reported a step of its run; returns the run's id. */
async function firstStep(p: Proc): Promise<number> {
  for (let i = 0; i < 3000 && alive(p); i++) {
    const m = /"type":"step","run":(\d+)/.exec(p.out);
    if (m) return Number(m[1]);
    await sleep(10);
  }
  throw new Error(`no step reported: ${p.out}`);
}

/** Resumes the run to its end without interruption and checks its bits. */
async function finish(db: string, id: number): Promise<void> {
  const p = start(['resume', String(id), '--db', db]);
  expect((await p.exit).code, p.out).toBe(0);
  expect(check(db, [])!.status).toBe('completed');
  const s = Store.open(db);
  expect(weightsOf(s, id)).toEqual(expected);
  s.close();
}

describe('fault injection', () => {
  it(`${KILLS} seeded kills of the CLI, its worker and serve lose nothing, and every run ends with the uninterrupted run's bits`, async () => {
    const random = prng(SEED);
    const counts: Record<string, number> = {};
    const count = (k: string) => (counts[k] = (counts[k] ?? 0) + 1);
    let kills = 0,
      completed = 0;

    const lane = async (name: string): Promise<void> => {
      const db = join(mkdtempSync(join(tmpdir(), `wb-faults-${name}-`)), 'workbench.db');
      let run: RunSummary | null = null;
      for (let cycle = 0; kills < KILLS && cycle < KILLS; cycle++) {
        const target: Target = (['cli', 'cli', 'worker', 'serve'] as const)[Math.floor(random() * 4)];
        const signal: Signal = (['SIGINT-group', 'SIGTERM', 'SIGKILL'] as const)[Math.floor(random() * 3)];
        const delay = Math.floor(random() * 1500);
        const resumable = run !== null && run.status !== 'created' && run.status !== 'completed';
        let p: Proc;
        if (target === 'serve') {
          p = start(['serve', '--db', db]);
          const url = await serveUrl(p);
          if (resumable) await api(url, 'runs:resume', { id: run!.id, steps: null });
          else await api(url, 'runs:create', { config: configFromFlags(FLAGS), name: null, tags: [], notes: '', start: true });
        } else {
          p = start(resumable ? ['resume', String(run!.id), '--db', db, '--json'] : ['train', ...argv, '--db', db, '--json']);
        }
        let victim = p.child.pid!;
        if (target === 'worker') {
          for (let i = 0; i < 400 && alive(p) && workerOf(p) === null; i++) await sleep(10);
          victim = workerOf(p) ?? victim;
        }
        await sleep(delay);
        if (alive(p)) {
          kills++;
          count(`${target} ${signal}`);
          if (signal === 'SIGINT-group') process.kill(-p.child.pid!, 'SIGINT');
          else process.kill(victim, signal);
        }
        const exit = await Promise.race([p.exit, sleep(60_000).then(() => null)]);
        expect(exit, `${target} ${signal} did not end: ${p.out}`).not.toBeNull();
        expect(p.out, `${target} ${signal}`).not.toMatch(/\n\s+at /); // no stack trace, whatever happened
        const reported = [...p.out.matchAll(/"type":"step","run":\d+,"step":(\d+)/g)].map((m) => Number(m[1]));
        run = check(db, reported);
        count(`→ ${run?.status ?? 'no run yet'}`);
        // a signal to stop, not a kill: a run that was training stopped cleanly (or had just completed)
        if (signal !== 'SIGKILL' && reported.length > 0)
          expect(['stopped', 'completed'], `${target} ${signal}: ${run?.endMessage}`).toContain(run?.status);
        if (run?.status === 'completed') {
          const s = Store.open(db);
          expect(weightsOf(s, run.id)).toEqual(expected);
          s.close();
          completed++;
        }
      }
      // the lane's last run, to its end without interruption
      if (run && run.status !== 'completed' && run.status !== 'created') {
        await finish(db, run.id);
        completed++;
      }
    };
    await Promise.all([lane('a'), lane('b')]); // two processes at a time, one database each
    console.log(JSON.stringify({ seed: SEED, kills, completed, counts }));
    expect(kills).toBeGreaterThanOrEqual(KILLS);
  }, 600_000);
});

describe('other faults, as the CLI meets them', () => {
  // a tmpfs needs root and a sandbox that lets it mount; elsewhere this test says it is skipped
  const dir = mkdtempSync(join(tmpdir(), 'wb-tmpfs-'));
  const mounted = (() => {
    try {
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=640k', 'tmpfs', dir], { stdio: 'ignore' });
      return true;
    } catch {
      return false;
    }
  })();
  it.skipIf(!mounted)(
    'a full disk (a small tmpfs): the run fails saying to free space, and resumes bit-identically once there is room',
    async () => {
      const db = join(dir, 'workbench.db');
      const p = start(['train', ...argv, '--db', db]);
      const exit = await p.exit;
      expect(exit.code, p.out).toBe(1);
      expect(p.out).toMatch(/the disk holding ".*workbench\.db" is full: free some space, then resume it \(rnn-workbench resume 1/);
      expect(p.out).not.toMatch(/\n\s+at /);
      // room first: where the disk was too full even for the run's 'failed', the next process marks it interrupted, which is a write
      execFileSync('mount', ['-o', 'remount,size=64m', dir]);
      const run = check(db, [])!;
      expect(run.lastStep).toBeGreaterThan(0);
      expect(run.lastStep).toBeLessThan(4000);
      await finish(db, run.id);
    },
    120_000,
  );
  afterAll(() => {
    if (mounted) execFileSync('umount', ['-l', dir]);
  });

  it('a write lock another program holds for 2 s: the run waits it out and loses nothing', async () => {
    const db = join(mkdtempSync(join(tmpdir(), 'wb-lock-')), 'workbench.db');
    const p = start(['train', ...argv, '--db', db, '--json']);
    await firstStep(p);
    const other = new Database(db);
    other.prepare('BEGIN IMMEDIATE').run();
    await sleep(2000);
    other.prepare('COMMIT').run();
    other.close();
    expect((await p.exit).code, p.out).toBe(0);
    expect(check(db, [])!.status).toBe('completed');
    const s = Store.open(db);
    expect(weightsOf(s, 1)).toEqual(expected);
    s.close();
  }, 120_000);

  it('other processes open the database mid-run: list and show see it running, resume and delete are refused naming its owner, stop stops it through its owner', async () => {
    const db = join(mkdtempSync(join(tmpdir(), 'wb-second-')), 'workbench.db');
    const p = start(['train', ...argv, '--steps', '100000000', '--db', db, '--json']); // trains until stopped
    const id = await firstStep(p);
    const cli = async (...args: string[]) => {
      const q = start([...args, '--db', db]);
      return { code: (await q.exit).code, out: q.out };
    };
    expect((await cli('list')).out).toMatch(new RegExp(`^${id}\\s.*\\srunning\\s`, 'm'));
    expect((await cli('show', String(id))).out).toMatch(/^ {2}status {6}running$/m);
    const owner = new RegExp(`being trained by rnn-workbench train \\(pid ${p.child.pid} on `);
    const resume = await cli('resume', String(id));
    expect(resume.code).toBe(2);
    expect(resume.out).toMatch(owner);
    const del = await cli('delete', String(id));
    expect(del.code).toBe(2);
    expect(del.out).toMatch(owner);
    expect(alive(p)).toBe(true);
    const stop = await cli('stop', String(id));
    expect(stop.code, stop.out).toBe(0);
    expect(stop.out).toMatch(new RegExp(`^run ${id} stopped at step \\d+`));
    expect((await p.exit).code).toBe(0); // the training CLI saw its run stopped and ended normally
    const stopped = check(db, [])!;
    expect(stopped.status).toBe('stopped');
    const more = await cli('resume', String(id), '--steps', String(stopped.lastStep! + 50));
    expect(more.code, more.out).toBe(0);
    expect(check(db, [])!.lastStep).toBe(stopped.lastStep! + 50);
  }, 120_000);
});
