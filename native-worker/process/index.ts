// The training worker's entry: connect to whichever host started it, then
// serve its messages.

import { isMainThread } from 'node:worker_threads';
import { WorkerLoop } from './loop';
import { connectPort } from './port';

const loop = new WorkerLoop(connectPort());

// A terminal's Ctrl-C signals the whole foreground process group, this
// worker with its host; a service manager's SIGTERM may do the same. The
// first such signal ends an active run cleanly (last steps and a final
// snapshot sent to the host, which stores them as 'stopped') instead of
// killing it mid-step; the next (the host's kill, once it has them) ends the
// process as usual, as does one that finds no run. A worker thread shares
// its host's process and gets no signals of its own.
if (isMainThread) {
  const signals = ['SIGINT', 'SIGTERM'] as const;
  const onSignal = (signal: NodeJS.Signals): void => {
    for (const s of signals) process.off(s, onSignal);
    if (!loop.interrupt(signal)) process.kill(process.pid, signal);
  };
  for (const s of signals) process.on(s, onSignal);
}
