// Run ownership across processes (the run_owners table): which process
// trains each active run, whether that process is still alive, and the
// stop / pause / resume requests other processes leave for it. The same
// holds for sweeps (the sweep_owners table): one process runs a sweep.
//
// An owner is alive while its heartbeat is fresh and, on this host, while
// its process exists: a process killed outright is seen dead at once by any
// other process on the machine; one on another host (a database on a
// shared disk) or a frozen one (Ctrl-Z) once its heartbeat is stale.

import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type Database from 'better-sqlite3';
import { StoreError } from './errors';

export type OwnerRequest = 'stop' | 'pause' | 'resume';

/** This process, as the owner of the runs it trains. */
export interface OwnerIdentity {
  id: string;
  pid: number;
  host: string;
  /** What the process is, for messages: "rnn-workbench train", "RNN Workbench (desktop app)". */
  label: string;
}

export interface RunOwner extends OwnerIdentity {
  runId: number;
  heartbeatAt: number;
  request: OwnerRequest | null;
}

export function newOwnerIdentity(label: string): OwnerIdentity {
  return { id: randomUUID(), pid: process.pid, host: hostname(), label };
}

/** "rnn-workbench train (pid 4242 on lab-3)", for messages that name who trains a run. */
export function describeOwner(o: OwnerIdentity): string {
  return `${o.label} (pid ${o.pid} on ${o.host})`;
}

interface OwnerRow {
  runId: number;
  id: string;
  pid: number;
  host: string;
  label: string;
  heartbeatAt: number;
  request: OwnerRequest | null;
}

/** What is owned: runs (run_owners) or sweeps (sweep_owners), named so in messages. */
export interface Owned {
  table: 'run_owners' | 'sweep_owners';
  key: 'run_id' | 'sweep_id';
  noun: 'run' | 'sweep';
}

export const RUNS: Owned = { table: 'run_owners', key: 'run_id', noun: 'run' };
export const SWEEPS: Owned = { table: 'sweep_owners', key: 'sweep_id', noun: 'sweep' };

export class Owners {
  private readonly getRow;
  private readonly upsert;
  private readonly remove;
  private readonly beat;
  private readonly requestsOf;
  private readonly clearRequest;
  private readonly setRequest;

  constructor(
    db: Database.Database,
    readonly self: OwnerIdentity,
    /** How old a heartbeat may be before its owner counts as dead (ms). */
    private readonly staleMs: number,
    private readonly owned: Owned = RUNS,
  ) {
    const { table, key } = owned;
    const columns = `${key} AS runId, owner AS id, pid, host, label, heartbeat_at AS heartbeatAt, request`;
    this.getRow = db.prepare<[number], OwnerRow>(`SELECT ${columns} FROM ${table} WHERE ${key} = ?`);
    this.upsert = db.prepare(
      `INSERT INTO ${table} (${key}, owner, pid, host, label, heartbeat_at, request) VALUES (?, ?, ?, ?, ?, ?, NULL) ` +
        `ON CONFLICT (${key}) DO UPDATE SET owner = excluded.owner, pid = excluded.pid, host = excluded.host, ` +
        'label = excluded.label, heartbeat_at = excluded.heartbeat_at, request = NULL',
    );
    this.remove = db.prepare(`DELETE FROM ${table} WHERE ${key} = ?`);
    this.beat = db.prepare(`UPDATE ${table} SET heartbeat_at = ? WHERE owner = ?`);
    this.requestsOf = db.prepare<[string], { runId: number; request: OwnerRequest }>(
      `SELECT ${key} AS runId, request FROM ${table} WHERE owner = ? AND request IS NOT NULL ORDER BY ${key}`,
    );
    this.clearRequest = db.prepare(`UPDATE ${table} SET request = NULL WHERE ${key} = ? AND owner = ?`);
    this.setRequest = db.prepare(`UPDATE ${table} SET request = ? WHERE ${key} = ?`);
  }

  /** The run's owner, or null when no process holds it. */
  of(runId: number): RunOwner | null {
    return this.getRow.get(runId) ?? null;
  }

  /** Whether `owner` is this process, or another that is still alive. */
  alive(owner: RunOwner, now: number): boolean {
    if (owner.id === this.self.id) return true;
    if (now - owner.heartbeatAt > this.staleMs) return false;
    return owner.host !== this.self.host || processExists(owner.pid);
  }

  /** The run's owner when it is a live process other than this one. */
  otherLiveOwner(runId: number, now: number): RunOwner | null {
    const o = this.of(runId);
    return o !== null && o.id !== this.self.id && this.alive(o, now) ? o : null;
  }

  /** Takes the run for this process; refused while another live process holds it. Call inside a transaction. */
  claim(runId: number, now: number): void {
    const other = this.otherLiveOwner(runId, now);
    if (other) throw ownedElsewhere(runId, other, this.owned);
    const s = this.self;
    this.upsert.run(runId, s.id, s.pid, s.host, s.label, now);
  }

  /** Lets the run go (it ended, or a dead owner's hold is cleared). */
  release(runId: number): void {
    this.remove.run(runId);
  }

  /** Proves this process alive for every run it holds. */
  heartbeat(now: number): void {
    this.beat.run(now, this.self.id);
  }

  hasRequests(): boolean {
    return this.requestsOf.get(this.self.id) !== undefined;
  }

  /** Requests other processes left for this one's runs; each is cleared as it is handed out. */
  takeRequests(): { runId: number; request: OwnerRequest }[] {
    const list = this.requestsOf.all(this.self.id);
    for (const r of list) this.clearRequest.run(r.runId, this.self.id);
    return list;
  }

  request(runId: number, request: OwnerRequest): void {
    this.setRequest.run(request, runId);
  }
}

/** The error for touching a run that another live process trains (or a sweep it runs). */
export function ownedElsewhere(id: number, owner: OwnerIdentity, owned: Owned = RUNS): StoreError {
  const doing = owned.noun === 'run' ? 'trained' : 'run';
  return new StoreError('owned-elsewhere', `${owned.noun} ${id} is being ${doing} by ${describeOwner(owner)}`);
}

function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM'; // it exists, under another user
  }
}
