// A way to talk to one training worker process. The host is written over
// this interface; each runtime supplies its own: a Node child process or
// worker thread (CLI, tests) or an Electron utility process (the app).

import type { HostToWorker } from '../../common/contract';

export interface ExitInfo {
  /** Exit code, or null when a signal ended it. */
  code: number | null;
  signal: string | null;
}

export interface WorkerChannel {
  send(message: HostToWorker): void;
  onMessage(listener: (message: unknown) => void): void;
  onExit(listener: (info: ExitInfo) => void): void;
  /** Ask the process to die now (SIGKILL where there is one). */
  kill(): void;
  /** OS process id where there is one (for tests that kill it from outside). */
  readonly pid: number | null;
}
