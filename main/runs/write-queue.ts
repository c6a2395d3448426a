// A run's writes to the store, in the order they arrived, each retried while
// another process holds the database's write lock. The worker keeps
// training meanwhile; its batches wait here, in memory, and no event loop is
// blocked by the wait (the store's own busy timeout is short). A write that
// fails for any other reason, or stays locked past the deadline, drops the
// queue and is reported once.

export interface WriteQueueOptions {
  /** First retry after a busy write (ms); doubles up to 1 s. */
  retryMs: number;
  /** How long writes may stay locked out before the run is given up (ms). */
  busyDeadlineMs: number;
  /** Called once with the error that ended the queue. */
  onFault: (error: unknown) => void;
}

export class WriteQueue {
  private readonly ops: (() => void)[] = [];
  private timer: ReturnType<typeof setTimeout> | null = null;
  private busySince: number | null = null;
  private delay: number;
  private faulted = false;
  private draining = false;
  private idleWaiters: (() => void)[] = [];

  constructor(private readonly o: WriteQueueOptions) {
    this.delay = o.retryMs;
  }

  /** Runs `op` after every write queued before it (now, if none is waiting). */
  push(op: () => void): void {
    if (this.faulted) return;
    this.ops.push(op);
    // an op that (through an event listener) queues another leaves it to the drain already running
    if (this.timer === null && !this.draining) this.drain();
  }

  /** Resolves once every queued write is done or dropped. */
  idle(): Promise<void> {
    return this.ops.length === 0 ? Promise.resolve() : new Promise((r) => this.idleWaiters.push(r));
  }

  private drain(): void {
    this.timer = null;
    this.draining = true;
    try {
      this.run();
    } finally {
      this.draining = false;
    }
  }

  private run(): void {
    while (this.ops.length > 0) {
      try {
        this.ops[0]();
        this.ops.shift();
        this.busySince = null;
        this.delay = this.o.retryMs;
      } catch (e) {
        const now = Date.now();
        this.busySince ??= now;
        if (isBusy(e) && now - this.busySince < this.o.busyDeadlineMs) {
          this.timer = setTimeout(() => this.drain(), this.delay);
          this.delay = Math.min(1000, 2 * this.delay);
          return;
        }
        this.ops.length = 0;
        this.faulted = true;
        this.o.onFault(e);
      }
    }
    for (const r of this.idleWaiters.splice(0)) r();
  }
}

/** SQLITE_BUSY and its extended codes: another connection holds the lock. */
export function isBusy(e: unknown): boolean {
  return String((e as { code?: unknown } | null)?.code).startsWith('SQLITE_BUSY');
}
